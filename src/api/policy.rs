//! The ride policy: windows, ride-time bands, priorities by purpose, the
//! late-cancellation cut-off. Everyone who books may read it; planners set it.

use axum::extract::State;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{BOOKERS, PLANNERS};
use super::json::{parse, Body};
use super::{AppError, AppState, Caller};
use crate::domain::ride_policy::RidePolicy;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get, put))
}

#[utoipa::path(get, path = "/api/v1/policy", tag = "policy", operation_id = "get_ride_policy",
    responses((status = 200, body = RidePolicy)))]
async fn get(State(s): State<AppState>, caller: Caller) -> Result<Json<RidePolicy>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(s.store.ride_policy().await?))
}

/// Replaces the policy; the next solve uses it.
#[utoipa::path(put, path = "/api/v1/policy", tag = "policy", operation_id = "set_ride_policy",
    request_body = RidePolicy, responses((status = 200, body = RidePolicy)))]
async fn put(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<Json<RidePolicy>, AppError> {
    caller.allow(PLANNERS)?;
    let policy: RidePolicy = parse(&body)?;
    policy.validate()?;
    Ok(Json(s.store.set_setting(caller.actor(), &policy).await?))
}
