//! The driver's side: today's published stops, and what happened at each.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::Caller;
use super::extract::{Params, PathId};
use super::json::{parse, Body};
use super::{AppError, AppState};
use crate::domain::{Manifest, Role, StopEvent, StopEventInput};
use crate::store::StopOwner;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(manifest))
        .routes(routes!(list_events, add_event))
}

const CREW: &[Role] = &[Role::Admin, Role::Dispatcher, Role::Driver];

/// A driver's published routes of the date (today by default), with only what
/// is needed at each door. Planners name the volunteer with `volunteer_id`.
#[utoipa::path(get, path = "/api/v1/manifest", tag = "drivers",
    params(("date" = Option<String>, Query), ("volunteer_id" = Option<i64>, Query)),
    responses((status = 200, body = Manifest)))]
async fn manifest(
    State(s): State<AppState>,
    caller: Caller,
    q: Params,
) -> Result<axum::Json<Manifest>, AppError> {
    caller.allow(CREW)?;
    let date = q
        .date("date")?
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let volunteer = match caller.user.role {
        Role::Driver => caller
            .user
            .volunteer_id
            .ok_or_else(|| AppError::forbidden("this driver has no volunteer record"))?,
        _ => q.id("volunteer_id")?.ok_or_else(|| AppError::BadRequest {
            field: Some("volunteer_id".into()),
            message: "volunteer_id: required for planners".into(),
        })?,
    };
    Ok(axum::Json(s.store.manifest(volunteer, date).await?))
}

/// Drivers reach only stops of published routes they drive.
async fn check_stop(s: &AppState, caller: &Caller, stop: i64) -> Result<StopOwner, AppError> {
    let owner = s.store.stop_owner(stop).await?;
    if caller.user.role == Role::Driver
        && (owner.plan_status != "published"
            || owner.volunteer_id.is_none()
            || owner.volunteer_id != caller.user.volunteer_id)
    {
        return Err(AppError::NotFound("stop".into()));
    }
    Ok(owner)
}

#[utoipa::path(get, path = "/api/v1/stops/{id}/events", tag = "drivers", params(("id" = i64, Path)),
    responses((status = 200, body = [StopEvent]), (status = 404, body = super::ErrorBody)))]
async fn list_events(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<axum::Json<Vec<StopEvent>>, AppError> {
    caller.allow(CREW)?;
    check_stop(&s, &caller, id).await?;
    Ok(axum::Json(s.store.stop_events(id).await?))
}

/// Reports arrival, completion, a no-show or a skipped stop.
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
    let owner = check_stop(&s, &caller, id).await?;
    let input: StopEventInput = parse(&body)?;
    // Phones may report late, but an event belongs to its day.
    if input
        .at
        .is_some_and(|at| (at.date_naive() - owner.date).num_days().abs() > 1)
    {
        return Err(AppError::invalid(
            "at",
            "must be within a day of the plan's date",
        ));
    }
    if input
        .note
        .as_ref()
        .is_some_and(|n| n.chars().count() > 1000)
    {
        return Err(AppError::invalid("note", "must be at most 1000 characters"));
    }
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.add_stop_event(caller.actor(), id, &input).await?),
    ))
}
