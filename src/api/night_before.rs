//! The night-before list of an association, as JSON or CSV, and sending it.
//! A member gets its own association's; a planner names one.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{BOOKERS, PLANNERS};
use super::extract::{Params, PathDate};
use super::format::Format;
use super::{AppError, AppState, Caller};
use crate::domain::night_before::NightBeforeList;
use crate::service::night_before::{self, Sent};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get))
        .routes(routes!(send))
}

/// Who is picked up when on `date`, by promised pickup, with the phone
/// number to call. `organisation_id`: a planner's choice (required); a
/// member's own association (another one is 403).
#[utoipa::path(get, path = "/api/v1/night-before/{date}", tag = "night-before",
    operation_id = "get_night_before",
    params(("date" = String, Path, description = "YYYY-MM-DD"),
        ("organisation_id" = Option<i64>, Query, minimum = 1),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content((NightBeforeList = "application/json"), (String = "text/csv")))))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
    headers: HeaderMap,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = Format::of(&q, &headers)?;
    let org = caller.organisation_for(q.id("organisation_id")?, "organisation_id")?;
    let list = night_before::list(&s.store, date, org).await?;
    Ok(format.answer(
        list,
        crate::csv::night_before,
        &format!("giro-{date}-{org}.csv"),
    ))
}

/// Sends the lists of `date` (published) to the associations' members:
/// `organisation_id`'s, or every association's with rides.
#[utoipa::path(post, path = "/api/v1/night-before/{date}/send", tag = "night-before",
    operation_id = "send_night_before",
    params(("date" = String, Path, description = "YYYY-MM-DD"),
        ("organisation_id" = Option<i64>, Query, minimum = 1)),
    responses((status = 200, body = [Sent])))]
async fn send(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
    q: Params,
) -> Result<Json<Vec<Sent>>, AppError> {
    caller.allow(PLANNERS)?;
    let org = q.id("organisation_id")?;
    Ok(Json(night_before::send(&s, date, org).await?))
}
