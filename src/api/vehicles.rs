use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, PLANNERS};
use super::extract::PathId;
use super::json::{parse, Body};
use super::{AppError, AppState};
use crate::domain::{Role, Vehicle, VehicleInput};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

const READERS: &[Role] = &[Role::Admin, Role::Dispatcher, Role::Driver];

#[utoipa::path(get, path = "/api/v1/vehicles", tag = "vehicles", responses((status = 200, body = [Vehicle])))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<axum::Json<Vec<Vehicle>>, AppError> {
    caller.allow(READERS)?;
    Ok(axum::Json(s.store.vehicles().await?))
}

#[utoipa::path(post, path = "/api/v1/vehicles", tag = "vehicles", request_body = VehicleInput,
    responses((status = 201, body = Vehicle), (status = 422, body = super::ErrorBody)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, axum::Json<Vehicle>), AppError> {
    caller.allow(PLANNERS)?;
    let input: VehicleInput = parse(&body)?;
    input.validate()?;
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_vehicle(caller.actor(), &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/vehicles/{id}", tag = "vehicles", params(("id" = i64, Path)),
    responses((status = 200, body = Vehicle), (status = 404, body = super::ErrorBody)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<axum::Json<Vehicle>, AppError> {
    caller.allow(READERS)?;
    Ok(axum::Json(s.store.vehicle(id).await?))
}

#[utoipa::path(put, path = "/api/v1/vehicles/{id}", tag = "vehicles", params(("id" = i64, Path)),
    request_body = VehicleInput,
    responses((status = 200, body = Vehicle), (status = 422, body = super::ErrorBody)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<axum::Json<Vehicle>, AppError> {
    caller.allow(PLANNERS)?;
    let input: VehicleInput = parse(&body)?;
    input.validate()?;
    Ok(axum::Json(
        s.store.update_vehicle(caller.actor(), id, &input).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/vehicles/{id}", tag = "vehicles", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = super::ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(PLANNERS)?;
    s.store.delete_vehicle(caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
