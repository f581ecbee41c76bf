use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, PLANNERS};
use super::extract::{Params, PathId};
use super::json::{parse, Body};
use super::{AppError, AppState};
use crate::domain::{Shift, ShiftInput};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

/// Shifts, optionally of one date.
#[utoipa::path(get, path = "/api/v1/shifts", tag = "shifts",
    params(("date" = Option<String>, Query, description = "YYYY-MM-DD")),
    responses((status = 200, body = [Shift])))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    q: Params,
) -> Result<axum::Json<Vec<Shift>>, AppError> {
    caller.allow(PLANNERS)?;
    Ok(axum::Json(s.store.shifts(q.date("date")?).await?))
}

#[utoipa::path(post, path = "/api/v1/shifts", tag = "shifts", request_body = ShiftInput,
    responses((status = 201, body = Shift), (status = 422, body = super::ErrorBody)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, axum::Json<Shift>), AppError> {
    caller.allow(PLANNERS)?;
    let input: ShiftInput = parse(&body)?;
    input.validate()?;
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_shift(caller.actor(), &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/shifts/{id}", tag = "shifts", params(("id" = i64, Path)),
    responses((status = 200, body = Shift), (status = 404, body = super::ErrorBody)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<axum::Json<Shift>, AppError> {
    caller.allow(PLANNERS)?;
    Ok(axum::Json(s.store.shift(id).await?))
}

#[utoipa::path(put, path = "/api/v1/shifts/{id}", tag = "shifts", params(("id" = i64, Path)),
    request_body = ShiftInput,
    responses((status = 200, body = Shift), (status = 422, body = super::ErrorBody)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<axum::Json<Shift>, AppError> {
    caller.allow(PLANNERS)?;
    let input: ShiftInput = parse(&body)?;
    input.validate()?;
    Ok(axum::Json(
        s.store.update_shift(caller.actor(), id, &input).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/shifts/{id}", tag = "shifts", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = super::ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(PLANNERS)?;
    s.store.delete_shift(caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
