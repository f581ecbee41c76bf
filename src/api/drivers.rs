//! Drivers' personal sign-in links and PINs, managed by the dispatcher.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, PLANNERS};
use super::extract::PathId;
use super::json::{parse, Body};
use super::{AppError, AppState};
use crate::domain::PinInput;
use crate::service::drivers::{self, NewLink};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_link, revoke_links))
        .routes(routes!(set_pin))
}

/// A new personal link for a driver (the secret is shown this once); the
/// driver's earlier links stop working. 422 when the user is not a driver.
#[utoipa::path(post, path = "/api/v1/users/{id}/link", tag = "drivers", params(("id" = i64, Path)),
    responses((status = 201, body = NewLink), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
async fn create_link(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<(StatusCode, axum::Json<NewLink>), AppError> {
    caller.allow(PLANNERS)?;
    let link = drivers::create_link(&s.store, caller.actor(), id).await?;
    Ok((StatusCode::CREATED, axum::Json(link)))
}

/// Revokes the user's personal links.
#[utoipa::path(delete, path = "/api/v1/users/{id}/link", tag = "drivers", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = super::ErrorBody)))]
async fn revoke_links(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(PLANNERS)?;
    drivers::revoke_links(&s.store, caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets the PIN asked after the driver opens the link (4 to 8 digits), or
/// removes it with `null`.
#[utoipa::path(put, path = "/api/v1/users/{id}/pin", tag = "drivers", params(("id" = i64, Path)),
    request_body = PinInput,
    responses((status = 204), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn set_pin(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<StatusCode, AppError> {
    caller.allow(PLANNERS)?;
    let input: PinInput = parse(&body)?;
    drivers::set_pin(&s.store, caller.actor(), id, input.pin.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}
