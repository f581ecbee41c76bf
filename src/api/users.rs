use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, ADMINS};
use super::extract::PathId;
use super::json::{parse, Body};
use super::{AppError, AppState};
use crate::auth::password;
use crate::domain::{User, UserInput};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

async fn hash(p: Option<String>) -> Result<Option<String>, AppError> {
    match p {
        None => Ok(None),
        Some(p) => tokio::task::spawn_blocking(move || Some(password::hash(&p)))
            .await
            .map_err(|e| AppError::Internal(e.to_string())),
    }
}

/// Every user, never a password or a token; as CSV with `format=csv` or
/// `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", operation_id = "list_users",
    params(("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([User] = "application/json"), (String = "text/csv")))))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    q: super::extract::Params,
) -> Result<axum::response::Response, AppError> {
    caller.allow(ADMINS)?;
    let format = super::format::Format::of(&q, &headers)?;
    Ok(format.list(s.store.users().await?, "giro-users.csv"))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", operation_id = "create_user", request_body = UserInput,
    responses((status = 201, body = User), (status = 422, body = super::ErrorBody)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, axum::Json<User>), AppError> {
    caller.allow(ADMINS)?;
    let input: UserInput = parse(&body)?;
    input.validate(true)?;
    let h = hash(input.password.clone()).await?.unwrap_or_default();
    let u = s.store.create_user(caller.actor(), &input, &h).await?;
    Ok((StatusCode::CREATED, axum::Json(u)))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", operation_id = "get_user", params(("id" = i64, Path)),
    responses((status = 200, body = User), (status = 404, body = super::ErrorBody)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<axum::Json<User>, AppError> {
    caller.allow(ADMINS)?;
    Ok(axum::Json(s.store.user(id).await?))
}

/// Replaces the user; a `null` password keeps the current one. Ends the user's sessions.
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "users", operation_id = "update_user", params(("id" = i64, Path)),
    request_body = UserInput,
    responses((status = 200, body = User), (status = 422, body = super::ErrorBody)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<axum::Json<User>, AppError> {
    caller.allow(ADMINS)?;
    let input: UserInput = parse(&body)?;
    input.validate(false)?;
    if id == caller.user.id && (input.role != caller.user.role || !input.active) {
        return Err(AppError::invalid(
            "role",
            "admins cannot demote or deactivate themselves",
        ));
    }
    let h = hash(input.password.clone()).await?;
    Ok(axum::Json(
        s.store
            .update_user(caller.actor(), id, &input, h.as_deref())
            .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/users/{id}", tag = "users", operation_id = "delete_user", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = super::ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(ADMINS)?;
    if id == caller.user.id {
        return Err(AppError::Conflict("admins cannot delete themselves".into()));
    }
    s.store.delete_user(caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
