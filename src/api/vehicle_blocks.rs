//! Blocks on vehicles' calendars (`domain::vehicle_sharing`): planners write;
//! members read the blocks reserved for their association and those of the
//! vehicles they may ride (pooled or their own), so they know when the van
//! is theirs and when it is taken.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use super::auth::{BOOKERS, PLANNERS};
use super::extract::{Params, PathId};
use super::json::{parse, Body};
use super::{AppError, AppState, Caller, ErrorBody};
use crate::domain::{VehicleBlock, VehicleBlockInput};
use crate::service::vehicle_blocks;

pub fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list, create))
        .routes(utoipa_axum::routes!(get, update, delete))
}

/// Blocks, optionally of one date; a member sees its association's and
/// those of the vehicles it may ride.
/// As CSV with `format=csv` or `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/vehicle-blocks", tag = "vehicle_blocks",
    operation_id = "list_vehicle_blocks",
    params(("date" = Option<String>, Query, description = "YYYY-MM-DD"),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([VehicleBlock] = "application/json"), (String = "text/csv")))))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    q: Params,
) -> Result<axum::response::Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = super::format::Format::of(&q, &headers)?;
    let list = s
        .store
        .vehicle_blocks(caller.scope(), q.date("date")?)
        .await?;
    Ok(format.list(list, "giro-vehicle-blocks.csv"))
}

/// Reserve a span of a vehicle's date for one association, or keep it for
/// the municipality (`organisation_id` null).
#[utoipa::path(post, path = "/api/v1/vehicle-blocks", tag = "vehicle_blocks",
    request_body = VehicleBlockInput, operation_id = "create_vehicle_block",
    responses((status = 201, body = VehicleBlock)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, Json<VehicleBlock>), AppError> {
    caller.allow(PLANNERS)?;
    let input: VehicleBlockInput = parse(&body)?;
    let made = vehicle_blocks::create(&s.store, caller.actor(), &input).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

#[utoipa::path(get, path = "/api/v1/vehicle-blocks/{id}", tag = "vehicle_blocks",
    params(("id" = i64, Path)), operation_id = "get_vehicle_block",
    responses((status = 200, body = VehicleBlock)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<VehicleBlock>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(s.store.vehicle_block(caller.scope(), id).await?))
}

#[utoipa::path(put, path = "/api/v1/vehicle-blocks/{id}", tag = "vehicle_blocks",
    params(("id" = i64, Path)), request_body = VehicleBlockInput,
    operation_id = "update_vehicle_block",
    responses((status = 200, body = VehicleBlock)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<VehicleBlock>, AppError> {
    caller.allow(PLANNERS)?;
    let input: VehicleBlockInput = parse(&body)?;
    Ok(Json(
        vehicle_blocks::update(&s.store, caller.actor(), id, &input).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/vehicle-blocks/{id}", tag = "vehicle_blocks",
    params(("id" = i64, Path)), operation_id = "delete_vehicle_block",
    responses((status = 204), (status = 409, body = ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(PLANNERS)?;
    vehicle_blocks::delete(&s.store, caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
