//! `/meals/settings`: the kitchen's ready time, the hot meals' kitchen-to-
//! door limit, the diet list, the box dimension each meal type fills and the
//! kitchen, written through `service::meals::set_settings` as the API's
//! `PUT /meals/settings` (planners). Bad input marks the field.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::api::{AppError, AppState, PLANNERS};
use crate::domain::meals::{BoxDimensions, MealSettings};
use crate::domain::Id;
use crate::service::{meals, ServiceError};
use crate::store::{Actor, Scope, StoreError};
use crate::web::ctx::Ctx;
use crate::web::form::{clock, Checked};
use crate::web::render;

type Marks = BTreeMap<&'static str, &'static str>;

struct Choice {
    value: String,
    name: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "meals/settings.html")]
struct SettingsPage {
    ctx: Ctx,
    ready_at: String,
    hot_max_minutes: String,
    /// One tag a line.
    diets: String,
    box_hot: String,
    box_cold: String,
    box_frozen: String,
    places: Vec<Choice>,
    errors: Marks,
    saved: bool,
}

impl SettingsPage {
    fn error(&self, field: &str) -> Option<&'static str> {
        self.errors.get(field).map(|k| self.ctx.t.t(k))
    }

    fn invalid(&self, field: &str) -> &'static str {
        super::invalid(&self.errors, field)
    }
}

/// The form's values as typed.
struct Typed {
    ready_at: String,
    hot_max_minutes: String,
    diets: String,
    box_hot: String,
    box_cold: String,
    box_frozen: String,
    centre_place_id: String,
}

impl Typed {
    fn of(s: &MealSettings) -> Self {
        Typed {
            ready_at: s.ready_at.to_string(),
            hot_max_minutes: s.hot_max_minutes.to_string(),
            diets: s.diets.join("\n"),
            box_hot: s.boxes.hot.clone(),
            box_cold: s.boxes.cold.clone(),
            box_frozen: s.boxes.frozen.clone(),
            centre_place_id: s.centre_place_id.map(|p| p.to_string()).unwrap_or_default(),
        }
    }
}

async fn page_of(
    s: &AppState,
    ctx: Ctx,
    typed: Typed,
    errors: Marks,
    saved: bool,
) -> Result<SettingsPage, AppError> {
    let mut places = vec![Choice {
        value: String::new(),
        name: ctx.t.t("meals.centre_auto").to_string(),
        selected: typed.centre_place_id.is_empty(),
    }];
    let mut public: Vec<_> = s
        .store
        .places(Scope::All)
        .await?
        .into_iter()
        .filter(|p| p.organisation_id.is_none())
        .collect();
    // The meal centres first.
    public.sort_by_key(|p| (p.kind != "meal_centre", p.name.clone()));
    places.extend(public.into_iter().map(|p| Choice {
        selected: typed.centre_place_id == p.id.to_string(),
        value: p.id.to_string(),
        name: p.name,
    }));
    Ok(SettingsPage {
        ready_at: typed.ready_at,
        hot_max_minutes: typed.hot_max_minutes,
        diets: typed.diets,
        box_hot: typed.box_hot,
        box_cold: typed.box_cold,
        box_frozen: typed.box_frozen,
        places,
        errors,
        saved,
        ctx,
    })
}

#[derive(Deserialize)]
pub struct PageQuery {
    saved: Option<String>,
}

pub async fn page(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    ctx.require(PLANNERS)?;
    let settings = s.store.meal_settings().await?;
    let p = page_of(
        &s,
        ctx,
        Typed::of(&settings),
        Marks::new(),
        q.saved.is_some(),
    )
    .await?;
    Ok(render(&p)?.into_response())
}

/// The diet list as typed: one tag a line, or separated by commas.
fn diet_list(raw: &str) -> Vec<String> {
    raw.split(['\n', ','])
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
        .collect()
}

fn read(typed: &Typed) -> Result<MealSettings, Marks> {
    let mut errors = Marks::new();
    let ready_at = clock(&typed.ready_at);
    if ready_at.is_none() {
        errors.insert("ready_at", "meals.err_ready_at");
    }
    let hot_max_minutes = typed.hot_max_minutes.parse::<u32>().ok();
    if hot_max_minutes.is_none() {
        errors.insert("hot_max_minutes", "meals.err_hot_max_minutes");
    }
    let centre_place_id = match typed.centre_place_id.as_str() {
        "" => None,
        raw => {
            let id = raw.parse::<Id>().ok();
            if id.is_none() {
                errors.insert("centre_place_id", "meals.err_centre_place_id");
            }
            id
        }
    };
    match (ready_at, hot_max_minutes) {
        (Some(ready_at), Some(hot_max_minutes)) if errors.is_empty() => Ok(MealSettings {
            ready_at,
            hot_max_minutes,
            diets: diet_list(&typed.diets),
            boxes: BoxDimensions {
                hot: typed.box_hot.clone(),
                cold: typed.box_cold.clone(),
                frozen: typed.box_frozen.clone(),
            },
            centre_place_id,
        }),
        _ => Err(errors),
    }
}

/// The form field a rule's path names, and the message to show by it.
fn mark(path: &str) -> Option<(&'static str, &'static str)> {
    if path == "diets" || path.starts_with("diets[") {
        return Some(("diets", "meals.err_diet_list"));
    }
    Some(match path {
        "ready_at" => ("ready_at", "meals.err_ready_at"),
        "hot_max_minutes" => ("hot_max_minutes", "meals.err_hot_max_minutes"),
        "boxes.hot" => ("box_hot", "meals.err_box"),
        "boxes.cold" => ("box_cold", "meals.err_box"),
        "boxes.frozen" => ("box_frozen", "meals.err_box"),
        "centre_place_id" => ("centre_place_id", "meals.err_centre_place_id"),
        _ => return None,
    })
}

const FIELDS: [&str; 7] = [
    "ready_at",
    "hot_max_minutes",
    "diets",
    "box_hot",
    "box_cold",
    "box_frozen",
    "centre_place_id",
];

pub async fn save(
    State(s): State<AppState>,
    ctx: Ctx,
    Checked { form, faults }: Checked,
) -> Result<Response, AppError> {
    let user = ctx.require(PLANNERS)?;
    ctx.check_form(form.csrf())?;
    let actor = Actor(Some(user.id));
    let v = |n: &str| form.get(n).unwrap_or("").to_string();
    let typed = Typed {
        ready_at: v("ready_at"),
        hot_max_minutes: v("hot_max_minutes"),
        diets: v("diets"),
        box_hot: v("box_hot"),
        box_cold: v("box_cold"),
        box_frozen: v("box_frozen"),
        centre_place_id: v("centre_place_id"),
    };
    let mut errors: Marks = faults
        .iter()
        .filter_map(|f| FIELDS.into_iter().find(|n| *n == f.field))
        .map(|n| (n, "meals.err_control"))
        .collect();
    if errors.is_empty() {
        match read(&typed) {
            Ok(settings) => match meals::set_settings(&s.store, actor, &settings).await {
                Ok(_) => return Ok(Redirect::to("/meals/settings?saved=1").into_response()),
                Err(ServiceError::Invalid(e) | ServiceError::Store(StoreError::Invalid(e))) => {
                    for f in &e.0 {
                        let (field, key) =
                            mark(&f.field).ok_or_else(|| AppError::Invalid(e.clone()))?;
                        errors.entry(field).or_insert(key);
                    }
                }
                Err(e) => return Err(e.into()),
            },
            Err(marks) => errors = marks,
        }
    }
    let p = page_of(&s, ctx, typed, errors, false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_of_the_settings_marks_a_field_of_the_form() {
        for path in [
            "ready_at",
            "hot_max_minutes",
            "diets",
            "diets[3]",
            "boxes.hot",
            "boxes.cold",
            "boxes.frozen",
            "centre_place_id",
        ] {
            let (field, _) = mark(path).unwrap_or_else(|| panic!("{path}"));
            assert!(FIELDS.contains(&field), "{path} → {field}");
        }
    }

    #[test]
    fn the_diet_list_is_read_a_tag_a_line_or_by_commas() {
        assert_eq!(
            diet_list("diabetico\r\n morbido, senza_maiale\n\n"),
            vec!["diabetico", "morbido", "senza_maiale"]
        );
    }
}
