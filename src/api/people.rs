use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, BOOKERS};
use super::extract::PathId;
use super::json::{parse, Body};
use super::{AppError, AppState};
use crate::domain::{Person, PersonInput};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

/// Everyone served, or for a member only its association's people.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", responses((status = 200, body = [Person])))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<axum::Json<Vec<Person>>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(axum::Json(s.store.people(caller.scope()).await?))
}

#[utoipa::path(post, path = "/api/v1/people", tag = "people", request_body = PersonInput,
    responses((status = 201, body = Person), (status = 422, body = super::ErrorBody)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, axum::Json<Person>), AppError> {
    caller.allow(BOOKERS)?;
    let input: PersonInput = parse(&body)?;
    let org = caller.organisation_for(input.organisation_id, "organisation_id")?;
    input.validate()?;
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_person(caller.actor(), org, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = Person), (status = 404, body = super::ErrorBody)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<axum::Json<Person>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(axum::Json(s.store.person(caller.scope(), id).await?))
}

#[utoipa::path(put, path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path)),
    request_body = PersonInput,
    responses((status = 200, body = Person), (status = 422, body = super::ErrorBody)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<axum::Json<Person>, AppError> {
    caller.allow(BOOKERS)?;
    s.store.person(caller.scope(), id).await?;
    let input: PersonInput = parse(&body)?;
    let org = caller.organisation_for(input.organisation_id, "organisation_id")?;
    input.validate()?;
    Ok(axum::Json(
        s.store
            .update_person(caller.actor(), id, org, &input)
            .await?,
    ))
}

/// Refused with 409 while requests still name the person.
#[utoipa::path(delete, path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = super::ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(BOOKERS)?;
    s.store.person(caller.scope(), id).await?;
    s.store.delete_person(caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
