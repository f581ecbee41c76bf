//! Shifts (`domain::shift`): planners read and write them; the writes go
//! through `service::shifts`, as the board's shift page does.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use super::auth::PLANNERS;
use super::extract::{Params, PathId};
use super::format::Format;
use super::json::{parse, Body};
use super::{AppError, AppState, Caller, ErrorBody};
use crate::domain::{Shift, ShiftInput};
use crate::service::shifts;

pub fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list, create))
        .routes(utoipa_axum::routes!(get, update, delete))
}

/// Shifts, optionally of one date; as CSV with `format=csv` or `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/shifts", tag = "shifts", operation_id = "list_shifts",
    params(("date" = Option<String>, Query, description = "YYYY-MM-DD"),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([Shift] = "application/json"), (String = "text/csv")))))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    q: Params,
) -> Result<axum::response::Response, AppError> {
    caller.allow(PLANNERS)?;
    let format = Format::of(&q, &headers)?;
    let list = shifts::list(&s.store, q.date("date")?).await?;
    Ok(format.list(list, "giro-shifts.csv"))
}

#[utoipa::path(post, path = "/api/v1/shifts", tag = "shifts", request_body = ShiftInput,
    operation_id = "create_shift",
    responses((status = 201, body = Shift)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, Json<Shift>), AppError> {
    caller.allow(PLANNERS)?;
    let input: ShiftInput = parse(&body)?;
    let made = shifts::create(&s.store, caller.actor(), &input).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

#[utoipa::path(get, path = "/api/v1/shifts/{id}", tag = "shifts", params(("id" = i64, Path)),
    operation_id = "get_shift",
    responses((status = 200, body = Shift)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<Shift>, AppError> {
    caller.allow(PLANNERS)?;
    Ok(Json(s.store.shift(id).await?))
}

#[utoipa::path(put, path = "/api/v1/shifts/{id}", tag = "shifts", params(("id" = i64, Path)),
    request_body = ShiftInput, operation_id = "update_shift",
    responses((status = 200, body = Shift)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<Shift>, AppError> {
    caller.allow(PLANNERS)?;
    let input: ShiftInput = parse(&body)?;
    Ok(Json(
        shifts::update(&s.store, caller.actor(), id, &input).await?,
    ))
}

/// A route of a plan that ran on the shift stays, without its shift.
#[utoipa::path(delete, path = "/api/v1/shifts/{id}", tag = "shifts", params(("id" = i64, Path)),
    operation_id = "delete_shift",
    responses((status = 204), (status = 409, body = ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(PLANNERS)?;
    shifts::delete(&s.store, caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
