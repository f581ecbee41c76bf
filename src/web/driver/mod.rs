//! The driver's phone page: today's published route in words, big status
//! buttons, and a service worker that keeps page and route on the phone so
//! the round goes on where the hills cut the signal. Statuses are queued on
//! the device and sent to `POST /api/v1/events`, which stores each once.

mod link;
mod view;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;

use super::ctx::Ctx;
use super::{json_for_html, render};
use crate::api::{AppError, AppState};
use crate::domain::{Role, User};

pub use view::{Action, DayView};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/driver", get(page))
        .route("/driver/day.json", get(day_json))
        .route("/driver/sw.js", get(service_worker))
        .merge(link::routes())
}

/// Scripts and styles the page needs offline; the worker stores them on install.
const ASSETS: [&str; 3] = ["app.css", "driver/driver.css", "driver/driver.js"];

#[derive(Deserialize)]
struct DateQuery {
    date: Option<String>,
}

impl DateQuery {
    /// The date asked for, today by default (as the API's manifest).
    fn date(&self) -> Result<NaiveDate, AppError> {
        Ok(self
            .given()?
            .unwrap_or_else(|| chrono::Local::now().date_naive()))
    }

    /// The date named, if any.
    fn given(&self) -> Result<Option<NaiveDate>, AppError> {
        match self.date.as_deref() {
            None | Some("") => Ok(None),
            Some(raw) => raw.parse().map(Some).map_err(|_| AppError::BadRequest {
                field: Some("date".into()),
                message: format!("date: expected a date YYYY-MM-DD, got {raw:?}"),
            }),
        }
    }
}

/// The day of the signed-in driver, from the same store call as `GET /api/v1/manifest`.
async fn day(state: &AppState, ctx: &Ctx, date: NaiveDate) -> Result<DayView, AppError> {
    let user: &User = ctx.require(&[Role::Driver])?;
    let volunteer = user
        .volunteer_id
        .ok_or_else(|| AppError::forbidden("this driver has no volunteer record"))?;
    let manifest = crate::service::personal::reads::manifest(
        &state.store,
        crate::store::Actor(Some(user.id)),
        volunteer,
        date,
    )
    .await?;
    Ok(DayView::new(&ctx.t, user.id, &manifest))
}

#[derive(Template)]
#[template(path = "driver/page.html", whitespace = "minimize")]
struct Page {
    ctx: Ctx,
    day: DayView,
    /// The same day for the script, which repaints it from its offline copy.
    day_json: String,
    texts: String,
}

impl Page {
    fn heading(&self) -> String {
        let date = self
            .day
            .date
            .format(self.ctx.t.t("driver.date_format"))
            .to_string();
        self.ctx.t.f("driver.date", &[("date", &date)])
    }

    fn shift(&self, r: &view::RouteView) -> String {
        self.ctx
            .t
            .f("driver.shift", &[("start", &r.start), ("end", &r.end)])
    }

    fn state_text(&self, s: &view::StateView) -> String {
        self.ctx.t.f(
            "driver.state_at",
            &[("status", &s.label), ("time", &s.time)],
        )
    }
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DateQuery>,
) -> Result<Response, AppError> {
    let day = day(&state, &ctx, q.date()?).await?;
    let page = Page {
        day_json: json_for_html(&day),
        texts: ctx.t.json_prefix("driver."),
        day,
        ctx,
    };
    // The worker decides what is kept offline; the browser's own cache must not serve a stale route.
    Ok((
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
        render(&page)?,
    )
        .into_response())
}

/// The day again, for the page to refresh itself without a reload.
async fn day_json(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DateQuery>,
) -> Result<Response, AppError> {
    let day = day(&state, &ctx, q.date()?).await?;
    Ok((
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(day),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "driver/sw.js", escape = "none")]
struct Worker {
    /// Changes with any asset, so a new build replaces the old offline copy.
    version: String,
    assets: String,
}

/// The service worker, from a URL above `/driver` so that its scope covers the page.
async fn service_worker() -> Result<Response, AppError> {
    let urls: Vec<String> = ASSETS.iter().map(|a| super::assets::url(a)).collect();
    let version = crate::auth::token::hash(&urls.join(" "))[..12].to_string();
    let js = Worker {
        version: json_for_html(&version),
        assets: json_for_html(&urls),
    }
    .render()
    .map_err(|e| AppError::Internal(format!("template: {e}")))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::HeaderName::from_static("service-worker-allowed"),
                HeaderValue::from_static("/driver"),
            ),
        ],
        js,
    )
        .into_response())
}
