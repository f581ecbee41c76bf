//! The municipality's closing days: everyone who books reads them (the
//! standing orders skip them); planners set them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{BOOKERS, PLANNERS};
use super::extract::{Params, PathDate};
use super::json::{parse, Body};
use super::{AppError, AppState, Caller, ErrorBody};
use crate::domain::{date, ClosingDay};
use crate::service::standing;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

/// A closing day's new label.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosingDayLabel {
    #[schema(max_length = 100, min_length = 1)]
    pub label: String,
}

/// The closing days from `from` to `to` (each optional), in date order; as
/// CSV with `format=csv` or `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/closing-days", tag = "closing-days",
    operation_id = "list_closing_days",
    params(("from" = Option<String>, Query, description = "YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD"),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([ClosingDay] = "application/json"), (String = "text/csv")))))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    q: Params,
) -> Result<axum::response::Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = super::format::Format::of(&q, &headers)?;
    let from = q.date("from")?.unwrap_or(date::FIRST);
    let to = q.date("to")?.unwrap_or(date::LAST);
    let list = s.store.closing_days(from, to).await?;
    Ok(format.list(list, "giro-closing-days.csv"))
}

/// Closes the service on a day (409 if it is closed already); rides of
/// standing orders generated for it are cancelled.
#[utoipa::path(post, path = "/api/v1/closing-days", tag = "closing-days",
    operation_id = "create_closing_day", request_body = ClosingDay,
    responses((status = 201, body = ClosingDay)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, Json<ClosingDay>), AppError> {
    caller.allow(PLANNERS)?;
    let day: ClosingDay = parse(&body)?;
    let made = standing::add_closing_day(&s.store, caller.actor(), &day).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

#[utoipa::path(get, path = "/api/v1/closing-days/{date}", tag = "closing-days",
    operation_id = "get_closing_day", params(("date" = String, Path)),
    responses((status = 200, body = ClosingDay), (status = 404, body = ErrorBody)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
) -> Result<Json<ClosingDay>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(s.store.closing_day(date).await?))
}

#[utoipa::path(put, path = "/api/v1/closing-days/{date}", tag = "closing-days",
    operation_id = "update_closing_day", params(("date" = String, Path)),
    request_body = ClosingDayLabel,
    responses((status = 200, body = ClosingDay), (status = 404, body = ErrorBody)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
    Body(body): Body,
) -> Result<Json<ClosingDay>, AppError> {
    caller.allow(PLANNERS)?;
    let ClosingDayLabel { label } = parse(&body)?;
    let day = ClosingDay { date, label };
    Ok(Json(
        standing::relabel_closing_day(&s.store, caller.actor(), &day).await?,
    ))
}

/// Opens the day again: the standing orders' rides cancelled when it
/// closed are booked anew at the next generation.
#[utoipa::path(delete, path = "/api/v1/closing-days/{date}", tag = "closing-days",
    operation_id = "delete_closing_day", params(("date" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
) -> Result<StatusCode, AppError> {
    caller.allow(PLANNERS)?;
    s.store.delete_closing_day(caller.actor(), date).await?;
    Ok(StatusCode::NO_CONTENT)
}
