//! The dispatcher's board (admin, dispatcher): a date's requests, solving with
//! progress, the plan as timelines per vehicle and on a map, the requests left
//! out with their reasons in words, manual edits, publishing, printable route
//! sheets, the drivers' personal links, the vehicles' calendar blocks, and the
//! day's shifts.

mod changes;
mod day;
mod drivers;
mod live_day;
mod map;
mod page;
pub(crate) mod reasons;
mod requests_view;
mod routes_view;
mod sheets;
mod shifts;
mod vehicles;
pub(crate) mod words;

use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;

use crate::api::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/board", get(page::today))
        .route("/board/day", get(page::pick))
        .route("/board/drivers", get(drivers::page))
        .route("/board/drivers/qr", post(drivers::qr))
        .route("/board/vehicles", get(vehicles::page))
        .route("/board/vehicles/blocks", post(vehicles::create))
        .route("/board/vehicles/blocks/{id}/delete", post(vehicles::delete))
        .route("/board/{date}", get(page::on_date))
        .route("/board/{date}/solve", post(page::solve))
        .route("/board/{date}/solve/cancel", post(page::cancel))
        .route("/board/{date}/publish", post(page::publish))
        .route("/board/{date}/replan", post(live_day::replan))
        .route("/board/{date}/fit/accept", post(live_day::accept))
        .route("/board/{date}/fit/{request_id}", get(live_day::ask))
        .route("/board/{date}/sheets", get(sheets::sheets))
        .route(
            "/board/{date}/shifts",
            get(shifts::page).post(shifts::create),
        )
        .route("/board/{date}/shifts/copy", post(shifts::copy))
        .route("/board/{date}/shifts/{id}/edit", post(shifts::update))
        .route("/board/{date}/shifts/{id}/delete", post(shifts::delete))
}

/// A date in the path or a form, `YYYY-MM-DD` (400 otherwise) inside the
/// accepted range (422 otherwise), naming the field.
pub(crate) fn parse_date(raw: &str, field: &str) -> Result<NaiveDate, AppError> {
    let d = raw.parse().map_err(|_| AppError::BadRequest {
        field: Some(field.into()),
        message: format!("{field}: expected a date YYYY-MM-DD, got {raw:?}"),
    })?;
    crate::domain::date::check(d).map_err(|m| AppError::invalid(field, m))
}
