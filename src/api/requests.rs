//! Requests: booked through `service::rides`, which settles the window, the
//! room and the way back; a member sees and writes only its association's.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::BOOKERS;
use super::extract::{Params, PathId};
use super::format::Format;
use super::json::{parse, Body};
use super::{AppError, AppState, Caller, ErrorBody};
use crate::domain::lifecycle::CallInput;
use crate::domain::{Request, RequestInput};
use crate::service::{lifecycle, rides};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
        .routes(routes!(cancel))
        .routes(routes!(keep_return))
        .routes(routes!(call))
}

/// Requests, optionally of one date; a member sees only its association's.
/// As CSV with `format=csv` or `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/requests", tag = "requests", operation_id = "list_requests",
    params(("date" = Option<String>, Query, description = "YYYY-MM-DD"),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([Request] = "application/json"), (String = "text/csv")))))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    q: Params,
) -> Result<axum::response::Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = Format::of(&q, &headers)?;
    let date = q.date("date")?;
    let list = s.store.requests(caller.scope(), date).await?;
    let name = match date {
        Some(d) => format!("giro-requests-{d}.csv"),
        None => "giro-requests.csv".into(),
    };
    Ok(format.list(list, &name))
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

/// Cancels the request and, with it, its way back (unless kept): late when
/// within the policy's cut-off before the pickup. Cancelling again answers
/// the request as it is; one already on board, done or missed is a 409. A
/// published plan keeps showing it (as cancelled) until the next solve.
#[utoipa::path(post, path = "/api/v1/requests/{id}/cancel", tag = "requests",
    params(("id" = i64, Path)), operation_id = "cancel_request",
    responses((status = 200, body = Request), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
async fn cancel(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<Request>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(
        lifecycle::cancel(&s.store, caller.actor(), caller.scope(), id, rides::now()).await?,
    ))
}

/// Keeps the way back of ride `id` (or way back `id`) even if the outbound
/// is cancelled or missed; one already cancelled with its outbound comes back
/// while its window is not over. Answers the way back.
#[utoipa::path(post, path = "/api/v1/requests/{id}/keep-return", tag = "requests",
    params(("id" = i64, Path)), operation_id = "keep_return",
    responses((status = 200, body = Request), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
async fn keep_return(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<Request>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(
        lifecycle::keep_return(&s.store, caller.actor(), caller.scope(), id, rides::now()).await?,
    ))
}

/// The rider of a will-call way back called: it is planned from `at` (now
/// when left out) over the policy's pickup window, on its own day only.
#[utoipa::path(post, path = "/api/v1/requests/{id}/call", tag = "requests",
    params(("id" = i64, Path)), request_body(content = Option<CallInput>, description = "optional: an empty body means now"),
    operation_id = "call_request",
    responses((status = 200, body = Request), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn call(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<Request>, AppError> {
    caller.allow(BOOKERS)?;
    let input: CallInput = if body.iter().all(u8::is_ascii_whitespace) {
        CallInput::default()
    } else {
        parse(&body)?
    };
    let now = rides::now();
    Ok(Json(
        lifecycle::call(&s.store, caller.actor(), caller.scope(), id, input.at, now).await?,
    ))
}
