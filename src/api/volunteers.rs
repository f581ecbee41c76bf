use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, PLANNERS};
use super::extract::PathId;
use super::json::{parse, Body};
use super::{AppError, AppState};
use crate::domain::{Volunteer, VolunteerInput};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

#[utoipa::path(get, path = "/api/v1/volunteers", tag = "volunteers", responses((status = 200, body = [Volunteer])))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<axum::Json<Vec<Volunteer>>, AppError> {
    caller.allow(PLANNERS)?;
    Ok(axum::Json(s.store.volunteers().await?))
}

#[utoipa::path(post, path = "/api/v1/volunteers", tag = "volunteers", request_body = VolunteerInput,
    responses((status = 201, body = Volunteer), (status = 422, body = super::ErrorBody)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, axum::Json<Volunteer>), AppError> {
    caller.allow(PLANNERS)?;
    let input: VolunteerInput = parse(&body)?;
    input.validate()?;
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_volunteer(caller.actor(), &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/volunteers/{id}", tag = "volunteers", params(("id" = i64, Path)),
    responses((status = 200, body = Volunteer), (status = 404, body = super::ErrorBody)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<axum::Json<Volunteer>, AppError> {
    caller.allow(PLANNERS)?;
    Ok(axum::Json(s.store.volunteer(id).await?))
}

#[utoipa::path(put, path = "/api/v1/volunteers/{id}", tag = "volunteers", params(("id" = i64, Path)),
    request_body = VolunteerInput,
    responses((status = 200, body = Volunteer), (status = 422, body = super::ErrorBody)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<axum::Json<Volunteer>, AppError> {
    caller.allow(PLANNERS)?;
    let input: VolunteerInput = parse(&body)?;
    input.validate()?;
    Ok(axum::Json(
        s.store.update_volunteer(caller.actor(), id, &input).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/volunteers/{id}", tag = "volunteers", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = super::ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(PLANNERS)?;
    s.store.delete_volunteer(caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
