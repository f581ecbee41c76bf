//! Logging in and out, who am I, and personal API tokens.

use axum::extract::State;
use axum::http::{header::SET_COOKIE, HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{cookie, Caller, SESSION_COOKIE};
use super::extract::PathId;
use super::{AppError, AppState, Json};
use crate::auth::{password, token};
use crate::domain::{Checks, User};
use crate::store::TokenInfo;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(delete_token))
}

const SESSION_HOURS: i64 = 12;

static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The session cookie: never readable by scripts, not sent on cross-site
/// posts, and only over HTTPS when the deployment says it has HTTPS.
fn session_cookie(secret: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={secret}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{secure}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cookie_is_secure_when_served_over_https() {
        let plain = super::session_cookie("abc", 60, false);
        assert_eq!(
            plain,
            "giro_session=abc; HttpOnly; SameSite=Lax; Path=/; Max-Age=60"
        );
        assert!(super::session_cookie("abc", 60, true).ends_with("; Secure"));
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub email: String,
    pub password: String,
}

/// Starts a session: the answer sets the `giro_session` cookie.
#[utoipa::path(post, path = "/api/v1/login", tag = "session", request_body = Login,
    responses((status = 200, body = User), (status = 401, body = super::ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    Json(body): Json<Login>,
) -> Result<impl IntoResponse, AppError> {
    let (user, cookie) = sign_in(&state, &body.email, body.password).await?;
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, cookie);
    Ok((headers, axum::Json(user)))
}

/// Checks e-mail and password and opens a session: the user and the
/// `Set-Cookie` value. The API's login and the sign-in page share it.
pub(crate) async fn sign_in(
    state: &AppState,
    email: &str,
    password: String,
) -> Result<(User, HeaderValue), AppError> {
    let found = state.store.user_for_login(email).await?;
    // Verify even for unknown e-mails, against a hash made once, so timing
    // does not tell which exist; argon2 runs off the async threads.
    let (user, stored) = match found {
        Some((u, h)) if u.active => (Some(u), Some(h)),
        _ => (None, None),
    };
    let ok = tokio::task::spawn_blocking(move || {
        let stored =
            stored.unwrap_or_else(|| DUMMY.get_or_init(|| password::hash("no such user")).clone());
        password::verify(&password, &stored)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let user = user.filter(|_| ok).ok_or(AppError::BadCredentials)?;
    let cookie = open_session(state, &user).await?;
    Ok((user, cookie))
}

/// A new session for a user already identified: the `Set-Cookie` value.
pub(crate) async fn open_session(state: &AppState, user: &User) -> Result<HeaderValue, AppError> {
    let secret = token::generate();
    state
        .store
        .create_session(user.id, &token::hash(&secret), SESSION_HOURS)
        .await?;
    let cookie = session_cookie(&secret, SESSION_HOURS * 3600, state.secure_cookies);
    Ok(cookie.parse().expect("ascii cookie"))
}

/// Ends the session of the cookie in `headers`: the `Set-Cookie` value that clears it.
pub(crate) async fn sign_out(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<HeaderValue, AppError> {
    if let Some(s) = cookie(headers, SESSION_COOKIE) {
        state.store.delete_session(&token::hash(&s)).await?;
    }
    let clear = session_cookie("", 0, state.secure_cookies);
    Ok(clear.parse().expect("ascii cookie"))
}

/// Ends the session of the cookie sent.
#[utoipa::path(post, path = "/api/v1/logout", tag = "session",
    responses((status = 204), (status = 401, body = super::ErrorBody)))]
async fn logout(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
) -> Result<impl IntoResponse, AppError> {
    let mut out = HeaderMap::new();
    out.insert(SET_COOKIE, sign_out(&state, &headers).await?);
    Ok((StatusCode::NO_CONTENT, out))
}

#[utoipa::path(get, path = "/api/v1/me", tag = "session",
    responses((status = 200, body = User), (status = 401, body = super::ErrorBody)))]
async fn me(caller: Caller) -> axum::Json<User> {
    axum::Json(caller.user)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    /// What the token is for, e.g. "association booking system".
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct NewToken {
    /// Shown once: send it as `Authorization: Bearer <token>`.
    pub token: String,
    pub info: TokenInfo,
}

/// The caller's own API tokens (never the secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "session",
    responses((status = 200, body = [TokenInfo]), (status = 401, body = super::ErrorBody)))]
async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<axum::Json<Vec<TokenInfo>>, AppError> {
    Ok(axum::Json(state.store.tokens(caller.user.id).await?))
}

/// A new API token acting as the caller, with the caller's role and scope.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "session", request_body = TokenInput,
    responses((status = 201, body = NewToken), (status = 422, body = super::ErrorBody)))]
async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<TokenInput>,
) -> Result<impl IntoResponse, AppError> {
    let mut c = Checks::default();
    c.text("name", &body.name, 100);
    c.done()?;
    let secret = token::generate();
    let info = state
        .store
        .create_token(caller.user.id, &body.name, &token::hash(&secret))
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(NewToken {
            token: secret,
            info,
        }),
    ))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "session",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = super::ErrorBody)))]
async fn delete_token(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    state.store.delete_token(caller.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
