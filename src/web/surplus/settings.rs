//! `/surplus/settings`: the cold chain's longest minutes from the donor's
//! door to the unloading, per food, written through
//! `service::surplus::set_settings` as the API's `PUT /surplus/settings`
//! (planners). Bad input marks the field and writes nothing.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{control_marks, invalid_of, Marks};
use crate::api::{AppError, AppState, PLANNERS};
use crate::domain::surplus::SurplusSettings;
use crate::service::surplus;
use crate::store::Actor;
use crate::web::ctx::Ctx;
use crate::web::form::Checked;
use crate::web::render;

const FIELDS: [&str; 3] = [
    "chilled_max_minutes",
    "frozen_max_minutes",
    "cooked_max_minutes",
];

#[derive(Template)]
#[template(path = "surplus/settings.html")]
struct SettingsPage {
    ctx: Ctx,
    chilled_max_minutes: String,
    frozen_max_minutes: String,
    cooked_max_minutes: String,
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
    let settings = s.store.surplus_settings().await?;
    Ok(render(&SettingsPage {
        chilled_max_minutes: settings.chilled_max_minutes.to_string(),
        frozen_max_minutes: settings.frozen_max_minutes.to_string(),
        cooked_max_minutes: settings.cooked_max_minutes.to_string(),
        errors: Marks::new(),
        saved: q.saved.is_some(),
        ctx,
    })?
    .into_response())
}

/// The settings as typed; a field that is not a whole number is marked.
fn read(typed: &[String; 3]) -> Result<SurplusSettings, Marks> {
    let mut errors = Marks::new();
    let mut minutes = [0u32; 3];
    for (i, field) in FIELDS.iter().enumerate() {
        match typed[i].parse::<u32>() {
            Ok(m) => minutes[i] = m,
            Err(_) => {
                errors.insert(field, "surplus.err_minutes");
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(SurplusSettings {
        chilled_max_minutes: minutes[0],
        frozen_max_minutes: minutes[1],
        cooked_max_minutes: minutes[2],
    })
}

pub async fn save(
    State(s): State<AppState>,
    ctx: Ctx,
    Checked { form, faults }: Checked,
) -> Result<Response, AppError> {
    let user = ctx.require(PLANNERS)?;
    ctx.check_form(form.csrf())?;
    let actor = Actor(Some(user.id));
    let typed = FIELDS.map(|n| form.get(n).unwrap_or("").to_string());
    let mut errors = control_marks(&faults, &FIELDS);
    if errors.is_empty() {
        match read(&typed) {
            Ok(settings) => match surplus::set_settings(&s.store, actor, &settings).await {
                Ok(_) => return Ok(Redirect::to("/surplus/settings?saved=1").into_response()),
                Err(e) => {
                    let e = invalid_of(e)?;
                    for f in &e.0 {
                        let field = FIELDS
                            .into_iter()
                            .find(|n| *n == f.field)
                            .ok_or_else(|| AppError::Invalid(e.clone()))?;
                        errors.insert(field, "surplus.err_minutes");
                    }
                }
            },
            Err(marks) => errors = marks,
        }
    }
    let [chilled_max_minutes, frozen_max_minutes, cooked_max_minutes] = typed;
    let p = SettingsPage {
        chilled_max_minutes,
        frozen_max_minutes,
        cooked_max_minutes,
        errors,
        saved: false,
        ctx,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response())
}
