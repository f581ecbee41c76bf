//! What happened at each stop, as drivers report it.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, CREW, PLANNERS};
use super::extract::{Params, PathId};
use super::json::{parse, Body};
use super::{AppError, AppState};
use crate::domain::{EventInput, StopEvent, StopEventInput};
use crate::service::drivers::{self, Reported};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_events, add_event))
        .routes(routes!(day_events, report))
}

/// Reports what happened at a stop, named by its key. The device's event `id`
/// makes it count once: the first send answers 201, a resend 200 with the
/// stored event, the same id with other content 409. Drivers report on their
/// own stops of the published revision or of one it replaced.
#[utoipa::path(post, path = "/api/v1/events", tag = "drivers", request_body = EventInput,
    responses((status = 201, body = StopEvent), (status = 200, body = StopEvent),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
async fn report(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, axum::Json<StopEvent>), AppError> {
    caller.allow(CREW)?;
    let input: EventInput = parse(&body)?;
    Ok(
        match drivers::report(&s.store, &caller.user, &input).await? {
            Reported::Created(e) => (StatusCode::CREATED, axum::Json(e)),
            Reported::Repeated(e) => (StatusCode::OK, axum::Json(e)),
        },
    )
}

/// Every event of a date, in the order received: the board's live view.
#[utoipa::path(get, path = "/api/v1/events", tag = "drivers",
    params(("date" = String, Query, description = "YYYY-MM-DD"),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([StopEvent] = "application/json"), (String = "text/csv"))),
        (status = 400, body = super::ErrorBody)))]
async fn day_events(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    q: Params,
) -> Result<axum::response::Response, AppError> {
    caller.allow(PLANNERS)?;
    let format = super::format::Format::of(&q, &headers)?;
    let date = q.date("date")?.ok_or_else(|| AppError::BadRequest {
        field: Some("date".into()),
        message: "date: required, as YYYY-MM-DD".into(),
    })?;
    let list = s.store.events_of_date(date).await?;
    Ok(format.list(list, &format!("giro-events-{date}.csv")))
}

/// The events of the stop's key, whichever revision they were reported on.
#[utoipa::path(get, path = "/api/v1/stops/{id}/events", tag = "drivers", params(("id" = i64, Path)),
    responses((status = 200, body = [StopEvent]), (status = 404, body = super::ErrorBody)))]
async fn list_events(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<axum::Json<Vec<StopEvent>>, AppError> {
    caller.allow(CREW)?;
    Ok(axum::Json(
        drivers::events_of_stop_row(&s.store, &caller.user, id).await?,
    ))
}

/// Reports arrival, completion, a no-show or a skipped stop on a stop row;
/// it is kept by the row's key. Phones should prefer `POST /api/v1/events`.
#[utoipa::path(post, path = "/api/v1/stops/{id}/events", tag = "drivers", params(("id" = i64, Path)),
    request_body = StopEventInput,
    responses((status = 201, body = StopEvent), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn add_event(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<(StatusCode, axum::Json<StopEvent>), AppError> {
    caller.allow(CREW)?;
    let input: StopEventInput = parse(&body)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(drivers::report_on_stop_row(&s.store, &caller.user, id, &input).await?),
    ))
}
