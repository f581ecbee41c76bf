use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, BOOKERS};
use super::extract::{Params, PathId};
use super::json::{parse, Body};
use super::{AppError, AppState};
use crate::domain::{Request, RequestInput};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

/// Requests, optionally of one date; a member sees only its association's.
#[utoipa::path(get, path = "/api/v1/requests", tag = "requests",
    params(("date" = Option<String>, Query, description = "YYYY-MM-DD")),
    responses((status = 200, body = [Request])))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    q: Params,
) -> Result<axum::Json<Vec<Request>>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(axum::Json(
        s.store.requests(caller.scope(), q.date("date")?).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/requests", tag = "requests", request_body = RequestInput,
    responses((status = 201, body = Request), (status = 422, body = super::ErrorBody)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, axum::Json<Request>), AppError> {
    caller.allow(BOOKERS)?;
    let input: RequestInput = parse(&body)?;
    let org = caller.organisation_for(input.organisation_id, "organisation_id")?;
    input.validate()?;
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_request(caller.actor(), org, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = i64, Path)),
    responses((status = 200, body = Request), (status = 404, body = super::ErrorBody)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<axum::Json<Request>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(axum::Json(s.store.request(caller.scope(), id).await?))
}

#[utoipa::path(put, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = i64, Path)),
    request_body = RequestInput,
    responses((status = 200, body = Request), (status = 422, body = super::ErrorBody)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<axum::Json<Request>, AppError> {
    caller.allow(BOOKERS)?;
    s.store.request(caller.scope(), id).await?;
    let input: RequestInput = parse(&body)?;
    let org = caller.organisation_for(input.organisation_id, "organisation_id")?;
    input.validate()?;
    Ok(axum::Json(
        s.store
            .update_request(caller.actor(), id, org, &input)
            .await?,
    ))
}

/// Refused with 409 once a plan routes the request: cancel it instead.
#[utoipa::path(delete, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = super::ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(BOOKERS)?;
    s.store.request(caller.scope(), id).await?;
    s.store.delete_request(caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
