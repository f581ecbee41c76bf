use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, BOOKERS};
use super::extract::PathId;
use super::json::{parse, Body};
use super::{AppError, AppState};
use crate::domain::{Place, PlaceInput, Role};
use crate::store::Scope;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

/// A member writes only homes of its own association; public places are the dispatchers'.
fn check_write(
    caller: &Caller,
    input_org: Option<i64>,
    current_org: Option<Option<i64>>,
) -> Result<(), AppError> {
    if let Scope::Organisation(own) = caller.scope() {
        if current_org == Some(None)
            || input_org != Some(own)
            || current_org.is_some_and(|o| o != Some(own))
        {
            return Err(AppError::forbidden(
                "members may only write their own association's homes",
            ));
        }
    }
    Ok(())
}

/// Public places and, for members, their own association's homes; as CSV
/// with `format=csv` or `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/places", tag = "places", operation_id = "list_places",
    params(("format" = Option<String>, Query, pattern = "^(json|csv)$",
        description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([Place] = "application/json"), (String = "text/csv")))))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    q: super::extract::Params,
) -> Result<axum::response::Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = super::format::Format::of(&q, &headers)?;
    let places = s.store.places(caller.scope()).await?;
    Ok(format.answer(places, |p| crate::csv::places(p), "giro-places.csv"))
}

#[utoipa::path(post, path = "/api/v1/places", tag = "places", operation_id = "create_place", request_body = PlaceInput,
    responses((status = 201, body = Place), (status = 422, body = super::ErrorBody)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, axum::Json<Place>), AppError> {
    caller.allow(BOOKERS)?;
    let mut input: PlaceInput = parse(&body)?;
    if caller.user.role == Role::Member && input.organisation_id.is_none() {
        input.organisation_id = caller.user.organisation_id;
    }
    check_write(&caller, input.organisation_id, None)?;
    input.validate()?;
    Ok((
        StatusCode::CREATED,
        axum::Json(s.store.create_place(caller.actor(), &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/places/{id}", tag = "places", operation_id = "get_place", params(("id" = i64, Path)),
    responses((status = 200, body = Place), (status = 404, body = super::ErrorBody)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<axum::Json<Place>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(axum::Json(s.store.place(caller.scope(), id).await?))
}

#[utoipa::path(put, path = "/api/v1/places/{id}", tag = "places", operation_id = "update_place", params(("id" = i64, Path)),
    request_body = PlaceInput,
    responses((status = 200, body = Place), (status = 422, body = super::ErrorBody)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<axum::Json<Place>, AppError> {
    caller.allow(BOOKERS)?;
    let current = s.store.place(caller.scope(), id).await?;
    let mut input: PlaceInput = parse(&body)?;
    if caller.user.role == Role::Member && input.organisation_id.is_none() {
        input.organisation_id = caller.user.organisation_id;
    }
    check_write(
        &caller,
        input.organisation_id,
        Some(current.organisation_id),
    )?;
    input.validate()?;
    Ok(axum::Json(
        s.store.update_place(caller.actor(), id, &input).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/places/{id}", tag = "places", operation_id = "delete_place", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = super::ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(BOOKERS)?;
    let current = s.store.place(caller.scope(), id).await?;
    check_write(
        &caller,
        current.organisation_id,
        Some(current.organisation_id),
    )?;
    s.store.delete_place(caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
