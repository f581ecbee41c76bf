//! A volunteer's published routes as an iCalendar feed (`domain::calendar`):
//! `GET /api/v1/volunteers/{id}/calendar` for planners and the driver's own,
//! and the same feed under the driver's personal link
//! (`web::driver::link`, `/d/{token}/calendar.ics`) for a phone's calendar.
//! Each read is audited like a manifest's.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, CREW};
use super::extract::{Params, PathId};
use super::{AppError, AppState};
use crate::domain::calendar::{self, RouteSpan, MAX_DAYS};
use crate::domain::{Id, Role};
use crate::web::i18n::Tr;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(volunteer_calendar))
}

/// The days a feed covers by default: from a week back to two months ahead.
pub const BEFORE_DAYS: i64 = 7;
pub const AHEAD_DAYS: i64 = 62;

/// The volunteer's published routes from `from` (a week back by default) to
/// `to` (two months ahead by default; at most 366 days), one event per route
/// (RFC 5545, times in Europe/Rome): vehicle, first and last stop's time,
/// the first public place and the count of stops — never a person carried.
/// A driver reads only its own.
#[utoipa::path(get, path = "/api/v1/volunteers/{id}/calendar", tag = "drivers",
    operation_id = "get_volunteer_calendar",
    params(("id" = i64, Path),
        ("from" = Option<String>, Query, description = "YYYY-MM-DD; a week back by default"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD, not before from and at most 366 days after")),
    responses((status = 200, content((String = "text/calendar"))),
        (status = 400, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn volunteer_calendar(
    State(s): State<AppState>,
    caller: Caller,
    t: Tr,
    PathId(id): PathId,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(CREW)?;
    let (from, to) = dates(&q)?;
    if caller.user.role == Role::Driver && caller.user.volunteer_id != Some(id) {
        return Err(AppError::forbidden("a driver reads only its own calendar"));
    }
    s.store.volunteer(id).await?;
    let spans =
        crate::service::personal::reads::calendar(&s.store, caller.actor(), id, from, to).await?;
    Ok(feed(&t, id, &spans, &format!("giro-volunteer-{id}.ics")))
}

/// The range asked for: `from` a week back by default, `to` two months
/// after today (or after `from`, when given) by default; `to` not before
/// `from` and at most `MAX_DAYS` after it, else 422 naming `to` (a
/// malformed date is 400 naming it).
pub(crate) fn dates(q: &Params) -> Result<(NaiveDate, NaiveDate), AppError> {
    let today = chrono::Local::now().date_naive();
    let asked = q.date("from")?;
    let from = asked.unwrap_or(today - Duration::days(BEFORE_DAYS));
    let to = match q.date("to")? {
        Some(to) => to,
        None => asked.unwrap_or(today) + Duration::days(AHEAD_DAYS),
    };
    range(from, to)?;
    Ok((from, to))
}

fn range(from: NaiveDate, to: NaiveDate) -> Result<(), AppError> {
    if to < from {
        return Err(AppError::invalid("to", "must not be before from"));
    }
    if (to - from).num_days() > MAX_DAYS {
        return Err(AppError::invalid(
            "to",
            &format!("must be at most {MAX_DAYS} days after from"),
        ));
    }
    Ok(())
}

/// The feed in the caller's language, as `text/calendar`, never stored by a
/// cache (the link's one holds a secret in its address).
pub(crate) fn feed(t: &Tr, volunteer_id: Id, spans: &[RouteSpan], file: &str) -> Response {
    let events = calendar::events(
        volunteer_id,
        spans,
        |r| {
            t.f(
                "driver.calendar_summary",
                &[
                    ("vehicle", &r.vehicle_name),
                    ("start", &r.first),
                    ("end", &r.last),
                ],
            )
        },
        |r| {
            t.f(
                "driver.calendar_description",
                &[
                    ("depart", &r.depart),
                    ("back", &r.back),
                    ("stops", &r.stops),
                ],
            )
        },
    );
    let body = calendar::ics(t.t("driver.calendar_name"), &events, chrono::Utc::now());
    let disposition = HeaderValue::from_str(&format!("inline; filename=\"{file}\""))
        .unwrap_or(HeaderValue::from_static("inline"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}
