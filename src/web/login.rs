//! Signing in and out, the language switch, and the front door that sends each
//! role to its page.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::ctx::Ctx;
use super::form::Form;
use super::i18n::{Lang, LANG_COOKIE};
use super::render;
use crate::api::{self, AppError, AppState, ClientAddr};
use crate::domain::Role;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/lang/{lang}", get(switch_lang))
}

/// Each role's own page.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Admin | Role::Dispatcher => "/board",
        Role::Member => "/portal",
        Role::Driver => "/driver",
    }
}

/// Only paths of this server: never `//elsewhere` or a full URL.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .map(str::to_string)
}

async fn home(ctx: Ctx) -> Redirect {
    match &ctx.user {
        Some(u) => Redirect::to(home_of(u.role)),
        None => Redirect::to("/login"),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: Ctx,
    next: String,
    email: String,
    failed: bool,
    /// Too many failed sign-ins: seconds to wait.
    wait_s: Option<u64>,
}

impl LoginPage {
    fn wait(&self, n: &u64) -> String {
        self.ctx.t.f("login.too_many", &[("n", &n)])
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(ctx: Ctx, Query(q): Query<NextQuery>) -> Result<Response, AppError> {
    let next = safe_next(q.next.as_deref());
    if let Some(u) = &ctx.user {
        return Ok(Redirect::to(&next.unwrap_or_else(|| home_of(u.role).into())).into_response());
    }
    Ok(render(&LoginPage {
        ctx,
        next: next.unwrap_or_default(),
        email: String::new(),
        failed: false,
        wait_s: None,
    })?
    .into_response())
}

async fn login(
    State(state): State<AppState>,
    ClientAddr(from): ClientAddr,
    ctx: Ctx,
    form: Form,
) -> Result<Response, AppError> {
    ctx.check_form(None)?;
    let email = form.get("email").unwrap_or("").to_string();
    let password = form.get("password").unwrap_or("").to_string();
    let next = safe_next(form.get("next"));
    let (status, wait_s) = match api::sign_in(&state, &email, password, from).await {
        Ok((user, cookie)) => {
            let to = next.unwrap_or_else(|| home_of(user.role).into());
            return Ok(([(SET_COOKIE, cookie)], Redirect::to(&to)).into_response());
        }
        Err(AppError::BadCredentials) => (StatusCode::UNAUTHORIZED, None),
        Err(AppError::TooMany { retry_after_s, .. }) => {
            (StatusCode::TOO_MANY_REQUESTS, Some(retry_after_s))
        }
        Err(e) => return Err(e),
    };
    let page = render(&LoginPage {
        ctx,
        next: next.unwrap_or_default(),
        email,
        failed: true,
        wait_s,
    })?;
    let mut res = (status, page).into_response();
    if let Some(n) = wait_s {
        res.headers_mut().insert(RETRY_AFTER, HeaderValue::from(n));
    }
    Ok(res)
}

async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    form: Form,
) -> Result<Response, AppError> {
    ctx.check_form(form.csrf())?;
    let clear = api::sign_out(&state, &headers).await?;
    Ok(([(SET_COOKIE, clear)], Redirect::to("/login")).into_response())
}

async fn switch_lang(
    axum::extract::Path(lang): axum::extract::Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    let lang = Lang::parse(&lang).unwrap_or_default();
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.as_str()
    );
    let to = safe_next(q.next.as_deref()).unwrap_or_else(|| "/".into());
    (
        [(SET_COOKIE, HeaderValue::from_str(&cookie).expect("ascii"))],
        Redirect::to(&to),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_followed_after_signing_in() {
        assert_eq!(
            super::safe_next(Some("/board?date=2026-12-02")).as_deref(),
            Some("/board?date=2026-12-02")
        );
        assert_eq!(super::safe_next(Some("//evil.example")), None);
        assert_eq!(super::safe_next(Some("https://evil.example")), None);
        assert_eq!(super::safe_next(Some("/\\evil")), None);
        assert_eq!(super::safe_next(None), None);
    }
}
