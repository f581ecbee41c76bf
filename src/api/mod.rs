//! The HTTP edge: JSON under `/api/v1`, described at `/api/v1/openapi.json`.
//! Handlers are grouped per resource; each checks role and scope itself.

mod audit;
mod auth;
mod calendar;
mod closing_days;
mod crud;
mod doc;
mod drivers;
mod eligibility;
mod error;
mod events;
mod extract;
mod fees;
mod format;
mod import;
mod json;
mod manifest;
mod meals;
mod night_before;
mod organisations;
mod people;
mod personal;
mod places;
mod plans;
mod policy;
mod reports;
mod requests;
mod session;
mod shifts;
mod standing_orders;
mod surplus;
mod users;
mod vehicle_blocks;
mod vehicles;
mod volunteers;

use std::sync::Arc;

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use crate::service::{AppState, SolveSettings};
pub use audit::filter as audit_filter;
pub use auth::{cookie, Caller, ADMINS, BOOKERS, PLANNERS, SESSION_COOKIE};
pub(crate) use calendar::{dates as calendar_dates, feed as calendar_feed};
pub use error::{AppError, ErrorBody};
pub use extract::{Params, PathId};
pub use json::Json;
#[allow(unused_imports)]
pub(crate) use session::{busy, open_session, sign_in, sign_out, too_many, ClientAddr};

/// Solves a date now and waits for the end: for `giro demo` and scripts.
pub async fn solve_now(
    state: &AppState,
    date: chrono::NaiveDate,
    seconds: f64,
    seed: u64,
) -> Result<crate::store::SolveRecord, AppError> {
    Ok(crate::service::plans::solve_now(state, date, seconds, seed).await?)
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "giro",
        description = "Plans and runs the daily rounds of a town's social services. \
            Log in with POST /api/v1/login (session cookie) or send `Authorization: Bearer <token>`."
    ),
    components(schemas(ErrorBody))
)]
struct Doc;

/// JSON under `/api/`, a page elsewhere.
async fn not_found(t: crate::web::i18n::Tr, uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        AppError::NotFound("route".into()).into_response()
    } else {
        crate::web::errors::error_page(t, axum::http::StatusCode::NOT_FOUND, String::new())
    }
}

/// Each resource's routes with their annotations.
fn parts() -> Vec<OpenApiRouter<AppState>> {
    vec![
        session::routes(),
        organisations::routes(),
        users::routes(),
        places::routes(),
        people::routes(),
        personal::routes(),
        import::routes(),
        eligibility::routes(),
        vehicles::routes(),
        vehicle_blocks::routes(),
        volunteers::routes(),
        shifts::routes(),
        requests::routes(),
        standing_orders::routes(),
        closing_days::routes(),
        policy::routes(),
        fees::routes(),
        reports::routes(),
        night_before::routes(),
        meals::routes(),
        surplus::routes(),
        plans::routes(),
        manifest::routes(),
        calendar::routes(),
        events::routes(),
        drivers::routes(),
        audit::routes(),
    ]
}

/// All API routes with their OpenAPI description.
pub fn routes() -> OpenApiRouter<AppState> {
    parts()
        .into_iter()
        .fold(OpenApiRouter::with_openapi(Doc::openapi()), |all, part| {
            all.merge(part)
        })
}

/// The OpenAPI document of every route, as served.
pub fn openapi() -> utoipa::openapi::OpenApi {
    doc::complete(routes().split_for_parts().1)
}

/// The schemas each resource names, resource by resource. Merging keeps one
/// schema per name, so two Rust types of one name show only here: as one
/// name with two different bodies.
pub fn schemas_by_resource() -> Vec<std::collections::BTreeMap<String, serde_json::Value>> {
    parts()
        .into_iter()
        .map(|part| {
            let doc = part.split_for_parts().1;
            doc.components
                .map(|c| {
                    c.schemas
                        .into_iter()
                        .map(|(name, s)| (name, serde_json::to_value(s).expect("a schema is JSON")))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect()
}

pub fn app(state: AppState) -> Router {
    let (router, doc) = routes().split_for_parts();
    let doc = Arc::new(doc::complete(doc));
    let router = router
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .merge(crate::web::routes())
        .merge(crate::ops::routes())
        .fallback(not_found)
        // One size limit for every body axum buffers; `json::read` answers it with a JSON 413.
        .layer(axum::extract::DefaultBodyLimit::max(json::LIMIT))
        // Phones on weak signal: pages and JSON shrink about tenfold.
        .layer(tower_http::compression::CompressionLayer::new());
    crate::ops::layers(router, &state).with_state(state)
}
