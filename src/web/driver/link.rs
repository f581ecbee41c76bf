//! Drivers sign in with their personal link `/d/{token}`: straight to their
//! page, or through a PIN when the dispatcher set one. The link's secret and
//! the PIN are checked by the drivers' service, as for the API.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use super::super::ctx::Ctx;
use super::super::form::Form;
use super::super::render;
use super::DateQuery;
use crate::api::{busy, open_session, too_many, AppError, AppState, ClientAddr};
use crate::domain::User;
use crate::service::drivers::{self, PinCheck};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/d/{token}", get(open_link).post(enter_pin))
        .route("/d/{token}/calendar.ics", get(calendar))
}

/// The driver's published routes as a calendar feed to subscribe to
/// (`api::calendar`): a week back, two months ahead, unless `from` and `to`
/// say otherwise. It holds no one's name,
/// phone or notes, so a calendar app can fetch it without the PIN; a revoked
/// link or a driver without a volunteer record gets 404. Audited as a read.
async fn calendar(
    State(state): State<AppState>,
    t: crate::web::i18n::Tr,
    Path(token): Path<String>,
    q: crate::api::Params,
) -> Result<Response, AppError> {
    let (from, to) = crate::api::calendar_dates(&q)?;
    let linked = drivers::user_for_link(&state.store, &token).await?;
    let Some((user, volunteer)) = linked.and_then(|l| l.user.volunteer_id.map(|v| (l.user, v)))
    else {
        return Err(AppError::NotFound("calendar".into()));
    };
    let spans = crate::service::personal::reads::calendar(
        &state.store,
        crate::store::Actor(Some(user.id)),
        volunteer,
        from,
        to,
    )
    .await?;
    Ok(crate::api::calendar_feed(&t, volunteer, &spans, "giro.ics"))
}

/// The link page: asking for the PIN, or saying the link no longer works.
#[derive(Template)]
#[template(path = "driver/link.html")]
struct LinkPage {
    ctx: Ctx,
    invalid: bool,
    /// Wrong PIN: how many tries are left before the link is revoked.
    attempts_left: Option<i64>,
    /// Too many failed sign-ins from this address: seconds to wait.
    wait_s: Option<u64>,
}

impl LinkPage {
    fn attempts(&self, n: &i64) -> String {
        self.ctx.t.f("driver.pin_attempts", &[("n", &n)])
    }

    fn wait(&self, n: &u64) -> String {
        self.ctx.t.f("login.too_many", &[("n", &n)])
    }
}

/// Pages holding a secret in their URL are never stored.
fn private(status: StatusCode, res: impl IntoResponse) -> Response {
    (
        status,
        [(CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        res,
    )
        .into_response()
}

fn page(ctx: Ctx, status: StatusCode, attempts_left: Option<i64>) -> Result<Response, AppError> {
    let invalid = status == StatusCode::NOT_FOUND;
    Ok(private(
        status,
        render(&LinkPage {
            ctx,
            invalid,
            attempts_left,
            wait_s: None,
        })?,
    ))
}

/// The PIN page again, with 429 and `Retry-After`: this address must wait.
fn throttled(ctx: Ctx, refused: AppError) -> Result<Response, AppError> {
    let AppError::TooMany { retry_after_s, .. } = refused else {
        return Err(refused);
    };
    let mut res = private(
        StatusCode::TOO_MANY_REQUESTS,
        render(&LinkPage {
            ctx,
            invalid: false,
            attempts_left: None,
            wait_s: Some(retry_after_s),
        })?,
    );
    res.headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(retry_after_s));
    Ok(res)
}

fn invalid(ctx: Ctx) -> Result<Response, AppError> {
    page(ctx, StatusCode::NOT_FOUND, None)
}

/// A session for the driver, and on to the route of the day the link names
/// (`?date=`, as the demo prints on a day its services do not run), or today's.
async fn signed_in(state: &AppState, user: &User, on: &DateQuery) -> Result<Response, AppError> {
    let cookie = open_session(state, user).await?;
    let to = match on.given()? {
        Some(d) => format!("/driver?date={d}"),
        None => "/driver".to_string(),
    };
    Ok(private(
        StatusCode::SEE_OTHER,
        ([(SET_COOKIE, cookie)], Redirect::to(&to)),
    ))
}

async fn open_link(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Query(on): Query<DateQuery>,
) -> Result<Response, AppError> {
    on.given()?;
    match drivers::user_for_link(&state.store, &token).await? {
        None => invalid(ctx),
        Some(linked) if linked.needs_pin => page(ctx, StatusCode::OK, None),
        Some(linked) => signed_in(&state, &linked.user, &on).await,
    }
}

/// A wrong PIN counts against the link (five revoke it) and, like a wrong
/// password, against the client's address; the check takes a password slot.
async fn enter_pin(
    State(state): State<AppState>,
    ClientAddr(from): ClientAddr,
    ctx: Ctx,
    Path(token): Path<String>,
    Query(on): Query<DateQuery>,
    form: Form,
) -> Result<Response, AppError> {
    ctx.check_form(form.csrf())?;
    on.given()?;
    let pin = form.get("pin").unwrap_or("");
    let guard = &state.sign_ins;
    let attempt = match guard.throttle.attempt(None, from) {
        Ok(a) => a,
        Err(t) => return throttled(ctx, too_many(t)),
    };
    let Ok(_slot) = guard.verifier.slot().await else {
        attempt.refund();
        return throttled(ctx, busy());
    };
    match drivers::check_pin(&state.store, &token, pin).await {
        Ok(PinCheck::Accepted(user)) => {
            attempt.refund();
            signed_in(&state, &user, &on).await
        }
        Ok(PinCheck::Wrong { attempts_left }) => {
            page(ctx, StatusCode::UNPROCESSABLE_ENTITY, Some(attempts_left))
        }
        Ok(PinCheck::Revoked) | Err(drivers::DriverError::NotFound(_)) => invalid(ctx),
        Err(e) => {
            attempt.refund();
            Err(e.into())
        }
    }
}
