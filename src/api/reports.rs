//! The report of a date range (`service::reports`) as JSON or CSV.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::BOOKERS;
use super::extract::Params;
use super::format::Format;
use super::{AppError, AppState, Caller};
use crate::domain::report::{Report, Service};
use crate::service::reports::{self, Ask};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get))
}

/// What each service did from `from` to `to` (at most 366 days), per
/// association; the driving planned and from the drivers' events, each
/// volunteer's hours, the meals by type and diet, the kg per donor (these
/// four for the whole town only) and the fees due. A member gets its own
/// association's; another association, or one unknown, is 404 naming
/// `organisation_id`. CSV: one figure a line,
/// `figure,service,organisation,subject,measure,value`.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports", operation_id = "get_report",
    params(("from" = String, Query, description = "YYYY-MM-DD"),
        ("to" = String, Query, description = "YYYY-MM-DD, not before from"),
        ("organisation_id" = Option<i64>, Query, minimum = 1),
        ("service" = Option<String>, Query, pattern = "^(rides|meals|surplus)$"),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content((Report = "application/json"), (String = "text/csv"))),
        (status = 404, body = super::ErrorBody,
            description = "organisation_id names no association in the caller's scope")))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = Format::of(&q, &headers)?;
    let (from, to) = q.range()?;
    let service = match q.0.get("service").map(String::as_str) {
        None | Some("") => None,
        Some(raw) => Some(
            Service::parse(raw)
                .ok_or_else(|| AppError::invalid("service", "must be rides, meals or surplus"))?,
        ),
    };
    let ask = Ask {
        from,
        to,
        organisation_id: q.id("organisation_id")?,
        service,
    };
    let report = reports::report(&s, caller.scope(), ask).await?;
    Ok(format.answer(
        report,
        crate::csv::report,
        &format!("giro-report-{from}-{to}.csv"),
    ))
}
