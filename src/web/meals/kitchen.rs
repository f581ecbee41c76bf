//! `/board/{date}/kitchen`: what the kitchen cooks on a date (counts by meal
//! type and diets, from the day's meal requests, planned or not) and what it
//! packs for each route of the newest plan, door by door — printable, one
//! route per page, beside the API's CSV downloads.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;

use super::{diets, meal_type};
use crate::api::{AppError, AppState, PLANNERS};
use crate::domain::meals::PackingLine;
use crate::domain::Id;
use crate::service::meals;
use crate::store::Scope;
use crate::web::board::{parse_date, words};
use crate::web::ctx::Ctx;
use crate::web::render;

struct ProductionRow {
    meal_type: &'static str,
    diets: String,
    meals: u32,
}

struct TypeRow {
    /// `hot`, `cold`, `frozen`.
    key: &'static str,
    meal_type: &'static str,
    meals: u32,
}

struct PackStop {
    seq: i64,
    time: String,
    recipient: String,
    address: String,
    meals: u32,
    meal_type: &'static str,
    diets: String,
    notes: String,
    /// The recipient's preferred volunteer; empty when none.
    preferred: String,
    /// The route is driven by someone else than the preferred volunteer.
    preferred_elsewhere: bool,
}

struct PackRoute {
    id: Id,
    vehicle: String,
    /// First and last door's times.
    span: String,
    /// The boxes to load, "3 contenitori caldi, 1 contenitore freddo".
    boxes: String,
    meals: u32,
    stops: Vec<PackStop>,
}

#[derive(Template)]
#[template(path = "meals/kitchen.html")]
struct KitchenPage {
    ctx: Ctx,
    date: String,
    date_words: String,
    total: u32,
    by_type: Vec<TypeRow>,
    lines: Vec<ProductionRow>,
    /// The plan's revision; `None` before the date is solved.
    revision: Option<i64>,
    routes: Vec<PackRoute>,
}

impl KitchenPage {
    fn tr(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.ctx.t.f(key, &[(name, &value)])
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<Html<String>, AppError> {
    ctx.require(PLANNERS)?;
    let date = parse_date(&raw, "date")?;
    let store = &state.store;
    let t = ctx.t;
    let production = meals::production(store, Scope::All, date).await?;
    let packing = meals::packing(store, Scope::All, date).await?;
    let settings = store.meal_settings().await?;
    let preferred = meals::preferred_volunteers(store, date).await?;
    // Who drives each route of the plan the packing list reads.
    let drivers: HashMap<Id, Option<Id>> = match packing.revision {
        Some(_) if !preferred.is_empty() => store
            .plan(date, None)
            .await?
            .routes
            .into_iter()
            .map(|r| (r.id, r.volunteer_id))
            .collect(),
        _ => HashMap::new(),
    };
    // The door's address: the meal request's drop-off place.
    let places: HashMap<Id, String> = store
        .places(Scope::All)
        .await?
        .into_iter()
        .map(|p| (p.id, p.address))
        .collect();
    let addresses: HashMap<Id, String> = store
        .requests(Scope::All, Some(date))
        .await?
        .into_iter()
        .filter_map(|r| Some((r.id, places.get(&r.to_place_id)?.clone())))
        .collect();
    let none = t.t("meals.standard");
    let mut routes: Vec<PackRoute> = Vec::new();
    let mut by_route: BTreeMap<Id, Vec<&PackingLine>> = BTreeMap::new();
    let mut order = Vec::new();
    for l in &packing.lines {
        if !by_route.contains_key(&l.route_id) {
            order.push(l.route_id);
        }
        by_route.entry(l.route_id).or_default().push(l);
    }
    for id in order {
        let lines = &by_route[&id];
        let mut boxes: BTreeMap<String, u32> = BTreeMap::new();
        for l in lines {
            if let Some(m) = l.meal_type {
                *boxes.entry(settings.boxes.of(m).to_string()).or_default() += l.meals;
            }
        }
        routes.push(PackRoute {
            id,
            vehicle: lines[0].vehicle_name.clone(),
            span: format!("{}–{}", lines[0].time, lines[lines.len() - 1].time),
            boxes: words::load(&t, &boxes),
            meals: lines.iter().map(|l| l.meals).sum(),
            stops: lines
                .iter()
                .map(|l| PackStop {
                    seq: l.stop_seq,
                    time: l.time.to_string(),
                    recipient: l.recipient.clone(),
                    address: addresses.get(&l.request_id).cloned().unwrap_or_default(),
                    meals: l.meals,
                    meal_type: l.meal_type.map_or("", |m| meal_type(&t, m)),
                    diets: diets(&l.diets, none),
                    notes: l.notes.clone().unwrap_or_default(),
                    preferred: preferred
                        .get(&l.request_id)
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                    preferred_elsewhere: preferred
                        .get(&l.request_id)
                        .is_some_and(|p| p.elsewhere(drivers.get(&l.route_id).copied().flatten())),
                })
                .collect(),
        });
    }
    render(&KitchenPage {
        date: date.to_string(),
        date_words: words::date(&t, date),
        total: production.total,
        by_type: production
            .by_type
            .iter()
            .map(|x| TypeRow {
                key: x.meal_type.as_str(),
                meal_type: meal_type(&t, x.meal_type),
                meals: x.meals,
            })
            .collect(),
        lines: production
            .lines
            .iter()
            .map(|l| ProductionRow {
                meal_type: meal_type(&t, l.meal_type),
                diets: diets(&l.diets, none),
                meals: l.meals,
            })
            .collect(),
        revision: packing.revision,
        routes,
        ctx,
    })
}
