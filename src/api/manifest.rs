//! The driver's day: the published stops of his or her routes.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, CREW};
use super::extract::Params;
use super::format::Format;
use super::{AppError, AppState};
use crate::domain::{Manifest, Role};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(manifest))
}

/// A driver's published routes of the date (today by default), with only what
/// is needed at each door and what was already reported there. Planners name
/// the volunteer with `volunteer_id`. As CSV it is the driver's route sheet,
/// one line per stop.
#[utoipa::path(get, path = "/api/v1/manifest", tag = "drivers", operation_id = "get_manifest",
    params(("date" = Option<String>, Query), ("volunteer_id" = Option<i64>, Query),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content((Manifest = "application/json"), (String = "text/csv")))))]
async fn manifest(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(CREW)?;
    let format = Format::of(&q, &headers)?;
    let date = q
        .date("date")?
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    // Malformed is 400 for every role, though drivers see only their own day.
    let asked = q.id("volunteer_id")?;
    let volunteer = match caller.user.role {
        Role::Driver => caller
            .user
            .volunteer_id
            .ok_or_else(|| AppError::forbidden("this driver has no volunteer record"))?,
        _ => asked.ok_or_else(|| AppError::BadRequest {
            field: Some("volunteer_id".into()),
            message: "volunteer_id: required for planners".into(),
        })?,
    };
    let manifest =
        crate::service::personal::reads::manifest(&s.store, caller.actor(), volunteer, date)
            .await?;
    Ok(format.answer(
        manifest,
        crate::csv::manifest,
        &format!("giro-{date}-route-{volunteer}.csv"),
    ))
}
