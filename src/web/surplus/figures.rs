//! `/surplus/figures?year=YYYY`: each donor's kg by month and the year's
//! total, for the donation records (L. 166/2016) — the pickups the drivers
//! reported done and the kg they entered, from `service::surplus::figures`
//! as the API's — with a year picker (a GET form), the API's CSV download,
//! printable on one landscape page. Planners, as the API.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use serde::Deserialize;

use super::{food, kg, Marks};
use crate::api::{AppError, AppState, PLANNERS};
use crate::domain::surplus::SurplusFigures;
use crate::domain::Id;
use crate::service::surplus::{self, YEARS};
use crate::web::ctx::Ctx;
use crate::web::i18n::Tr;
use crate::web::render;

struct Cell {
    /// Kg in words, "37,5"; "–" for a month without pickups.
    kg: String,
    pickups: u32,
}

struct DonorRow {
    id: Id,
    name: String,
    food: &'static str,
    months: Vec<Cell>,
    pickups: u32,
    kg: String,
}

#[derive(Template)]
#[template(path = "surplus/figures.html")]
struct FiguresPage {
    ctx: Ctx,
    /// The year as typed in the picker.
    year: String,
    /// The year shown, when the typed one is good.
    shown: Option<i32>,
    /// "gen" … "dic".
    months: Vec<String>,
    rows: Vec<DonorRow>,
    /// Each month's kg over every donor.
    month_totals: Vec<Cell>,
    pickups: u32,
    total_kg: String,
    errors: Marks,
}

impl FiguresPage {
    fn error(&self, field: &str) -> Option<&'static str> {
        self.errors.get(field).map(|k| self.ctx.t.t(k))
    }

    fn invalid(&self, field: &str) -> &'static str {
        super::invalid(&self.errors, field)
    }

    fn tr(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.ctx.t.f(key, &[(name, &value)])
    }
}

#[derive(Deserialize)]
pub struct FiguresQuery {
    year: Option<String>,
}

fn cell(t: &Tr, pickups: u32, v: f64) -> Cell {
    Cell {
        kg: if pickups == 0 { "–".into() } else { kg(t, v) },
        pickups,
    }
}

fn rows(t: &Tr, f: &SurplusFigures) -> (Vec<DonorRow>, Vec<Cell>) {
    let rows = f
        .donors
        .iter()
        .map(|d| DonorRow {
            id: d.donor_id,
            name: d.name.clone(),
            food: food(t, d.food),
            months: d.months.iter().map(|m| cell(t, m.pickups, m.kg)).collect(),
            pickups: d.pickups,
            kg: kg(t, d.kg),
        })
        .collect();
    let totals = (0..12)
        .map(|i| {
            let month = f.donors.iter().filter_map(|d| d.months.get(i));
            let pickups = month.clone().map(|m| m.pickups).sum();
            // To the gram, as the figures add up each donor's.
            let v = (month.map(|m| m.kg).sum::<f64>() * 1000.0).round() / 1000.0;
            cell(t, pickups, v)
        })
        .collect();
    (rows, totals)
}

pub async fn page(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FiguresQuery>,
) -> Result<Response, AppError> {
    ctx.require(PLANNERS)?;
    let t = ctx.t;
    let typed = q
        .year
        .map(|y| y.trim().to_string())
        .filter(|y| !y.is_empty())
        .unwrap_or_else(|| crate::service::rides::now().date().year().to_string());
    let year = typed.parse::<i32>().ok().filter(|y| YEARS.contains(y));
    let months = (1..=12)
        .map(|m| t.t(&format!("surplus.month.{m}")).to_string())
        .collect();
    let mut page = FiguresPage {
        year: typed,
        shown: year,
        months,
        rows: Vec::new(),
        month_totals: Vec::new(),
        pickups: 0,
        total_kg: String::new(),
        errors: Marks::new(),
        ctx,
    };
    let Some(year) = year else {
        page.errors.insert("year", "surplus.err_year");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    };
    let figures = surplus::figures(&s.store, year).await?;
    let (rows, totals) = rows(&t, &figures);
    page.rows = rows;
    page.month_totals = totals;
    page.pickups = figures.pickups;
    page.total_kg = kg(&t, figures.kg);
    Ok(render(&page)?.into_response())
}
