//! Logging in and out, who am I, and personal API tokens.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header::SET_COOKIE, HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{cookie, Caller, SESSION_COOKIE};
use super::extract::PathId;
use super::{AppError, AppState, Json};
use crate::auth::throttle::Throttled;
use crate::auth::verifier::Busy;
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

/// Starts a session: the answer sets the `giro_session` cookie. Failed
/// sign-ins are throttled per account and per client address.
#[utoipa::path(post, path = "/api/v1/login", tag = "session", request_body = Login,
    responses((status = 200, body = User),
        (status = 401, description = "wrong e-mail or password (`bad_credentials`)", body = super::ErrorBody),
        (status = 429, description = "too many failed sign-ins: wait `Retry-After` seconds",
            body = super::ErrorBody,
            headers(("Retry-After" = u64, description = "seconds to wait")))))]
async fn login(
    State(state): State<AppState>,
    ClientAddr(from): ClientAddr,
    Json(body): Json<Login>,
) -> Result<impl IntoResponse, AppError> {
    let (user, cookie) = sign_in(&state, &body.email, body.password, from).await?;
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, cookie);
    Ok((headers, axum::Json(user)))
}

/// Checks e-mail and password and opens a session: the user and the
/// `Set-Cookie` value. The API's login and the sign-in page share it.
/// A failure counts against the account and the address `from`; a success
/// does not.
pub(crate) async fn sign_in(
    state: &AppState,
    email: &str,
    password: String,
    from: IpAddr,
) -> Result<(User, HeaderValue), AppError> {
    let guard = &state.sign_ins;
    let attempt = guard
        .throttle
        .attempt(Some(email), from)
        .map_err(too_many)?;
    let found = state.store.user_for_login(email).await?;
    // Verify even for unknown e-mails, against a hash made once, so timing
    // does not tell which exist; argon2 runs off the async threads, a bounded
    // number at a time.
    let (user, stored) = match found {
        Some((u, h)) if u.active => (Some(u), h),
        _ => (None, password::STAND_IN.to_string()),
    };
    let ok = match guard.verifier.verify(password, stored).await {
        Ok(ok) => ok,
        Err(Busy) => {
            attempt.refund();
            return Err(busy());
        }
    };
    // A failure keeps its cells taken.
    let Some(user) = user.filter(|_| ok) else {
        return Err(AppError::BadCredentials);
    };
    attempt.refund();
    let cookie = open_session(state, &user).await?;
    Ok((user, cookie))
}

/// The throttle's refusal at the HTTP edge: 429 with `Retry-After`.
pub(crate) fn too_many(t: Throttled) -> AppError {
    let seconds = t.seconds();
    AppError::TooMany {
        message: format!("too many failed sign-ins: try again in {seconds} s"),
        retry_after_s: seconds,
    }
}

/// Every password check is taken: come back in a second.
pub(crate) fn busy() -> AppError {
    AppError::TooMany {
        message: "too many sign-ins at once: try again in a moment".into(),
        retry_after_s: 1,
    }
}

/// The client's address: the peer, or what a trusted proxy says it saw.
pub(crate) struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddr(client_ip(
            peer,
            &parts.headers,
            &state.sign_ins.trusted_proxies,
        )))
    }
}

/// Only a trusted proxy may name the client: the last `X-Forwarded-For`
/// entry is the address it saw (entries before it are the client's word).
/// Served without connection info (in-process tests), all share one key.
fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let peer = peer
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
        .to_canonical();
    if !trusted.contains(&peer) {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .and_then(|s| s.trim().parse::<IpAddr>().ok())
        .unwrap_or(peer)
}

#[cfg(test)]
mod client_tests {
    use axum::http::HeaderMap;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let mut h = HeaderMap::new();
        h.append(
            "x-forwarded-for",
            "198.51.100.7, 203.0.113.9".parse().unwrap(),
        );
        let peer = Some(ip("10.0.0.1"));
        assert_eq!(super::client_ip(peer, &h, &[]), ip("10.0.0.1"));
        assert_eq!(
            super::client_ip(peer, &h, &[ip("10.0.0.2")]),
            ip("10.0.0.1")
        );
        assert_eq!(
            super::client_ip(peer, &h, &[ip("10.0.0.1")]),
            ip("203.0.113.9")
        );
        assert_eq!(
            super::client_ip(peer, &HeaderMap::new(), &[ip("10.0.0.1")]),
            ip("10.0.0.1")
        );
        assert_eq!(
            super::client_ip(Some(ip("::ffff:10.0.0.1")), &h, &[ip("10.0.0.1")]),
            ip("203.0.113.9")
        );
    }
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
    #[schema(min_length = 1, max_length = 100)]
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
