//! Running giro in production: health and readiness probes, Prometheus
//! metrics, a request id on every request, request logs.

pub mod health;
pub mod logging;
pub mod metrics;
pub mod request_id;

use axum::routing::get;
use axum::Router;

pub use metrics::{Metrics, SolveKind};

use crate::service::AppState;

/// `/healthz`, `/readyz`, `/metrics`: outside `/api/v1` and without sign-in,
/// for probes and scrapers on the private network (see README).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::scrape))
}

/// Wraps every route, the fallback included: the request id outermost, so
/// the log span has it, then the request log, then the counts. Inside the router, where the route template is known.
pub fn layers(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::record,
        ))
        .layer(logging::requests())
        .layer(axum::middleware::from_fn(request_id::stamp))
}
