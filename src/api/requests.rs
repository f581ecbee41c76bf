//! Requests: booked through `service::rides`, which settles the window, the
//! room and the way back; a member sees and writes only its association's.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::BOOKERS;
use super::extract::{Params, PathId};
use super::json::{parse, Body};
use super::{AppError, AppState, Caller, ErrorBody};
use crate::domain::{Request, RequestInput};
use crate::service::rides;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

/// Requests, optionally of one date; a member sees only its association's.
#[utoipa::path(get, path = "/api/v1/requests", tag = "requests", operation_id = "list_requests",
    params(("date" = Option<String>, Query, description = "YYYY-MM-DD")),
    responses((status = 200, body = [Request])))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    q: Params,
) -> Result<Json<Vec<Request>>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(
        s.store.requests(caller.scope(), q.date("date")?).await?,
    ))
}

/// Books a request; with `way_back`, its way back too (both in the answer's
/// list of the date).
#[utoipa::path(post, path = "/api/v1/requests", tag = "requests", request_body = RequestInput,
    operation_id = "create_request", responses((status = 201, body = Request)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, Json<Request>), AppError> {
    caller.allow(BOOKERS)?;
    let input: RequestInput = parse(&body)?;
    let org = caller.organisation_for(input.organisation_id, "organisation_id")?;
    let made = rides::book(&s.store, caller.actor(), org, &input).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = i64, Path)),
    operation_id = "get_request", responses((status = 200, body = Request)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<Request>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(s.store.request(caller.scope(), id).await?))
}

#[utoipa::path(put, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = i64, Path)),
    request_body = RequestInput, operation_id = "update_request",
    responses((status = 200, body = Request)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<Request>, AppError> {
    caller.allow(BOOKERS)?;
    s.store.request(caller.scope(), id).await?;
    let input: RequestInput = parse(&body)?;
    let org = caller.organisation_for(input.organisation_id, "organisation_id")?;
    Ok(Json(
        rides::update(&s.store, caller.actor(), id, org, &input).await?,
    ))
}

/// Refused with 409 once a plan routes the request: cancel it instead.
#[utoipa::path(delete, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = i64, Path)),
    operation_id = "delete_request", responses((status = 204), (status = 409, body = ErrorBody)))]
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
