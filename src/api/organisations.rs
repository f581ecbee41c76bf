use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, ADMINS, BOOKERS};
use super::extract::PathId;
use super::json::{parse, Body};
use super::{AppError, AppState};
use crate::domain::{Organisation, OrganisationInput};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

/// Members see only their own association. As CSV with `format=csv` or
/// `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", operation_id = "list_organisations",
    params(("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([Organisation] = "application/json"), (String = "text/csv")))))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    q: super::extract::Params,
) -> Result<axum::response::Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = super::format::Format::of(&q, &headers)?;
    let list = s.store.organisations(caller.scope()).await?;
    Ok(format.list(list, "giro-organisations.csv"))
}

#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", operation_id = "create_organisation",
    request_body = OrganisationInput,
    responses((status = 201, body = Organisation), (status = 422, body = super::ErrorBody)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, axum::Json<Organisation>), AppError> {
    caller.allow(ADMINS)?;
    let input: OrganisationInput = parse(&body)?;
    input.validate()?;
    let o = s.store.create_organisation(caller.actor(), &input).await?;
    Ok((StatusCode::CREATED, axum::Json(o)))
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations", operation_id = "get_organisation",
    params(("id" = i64, Path)),
    responses((status = 200, body = Organisation), (status = 404, body = super::ErrorBody)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<axum::Json<Organisation>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(axum::Json(s.store.organisation(caller.scope(), id).await?))
}

#[utoipa::path(put, path = "/api/v1/organisations/{id}", tag = "organisations", operation_id = "update_organisation",
    params(("id" = i64, Path)), request_body = OrganisationInput,
    responses((status = 200, body = Organisation), (status = 422, body = super::ErrorBody)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<axum::Json<Organisation>, AppError> {
    caller.allow(ADMINS)?;
    let input: OrganisationInput = parse(&body)?;
    input.validate()?;
    Ok(axum::Json(
        s.store
            .update_organisation(caller.actor(), id, &input)
            .await?,
    ))
}

/// Refused with 409 while people, places or requests still belong to it.
#[utoipa::path(delete, path = "/api/v1/organisations/{id}", tag = "organisations", operation_id = "delete_organisation",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = super::ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(ADMINS)?;
    s.store.delete_organisation(caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
