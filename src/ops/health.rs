//! Probes for a load balancer or an orchestrator: `/healthz` says the process
//! serves, `/readyz` that it can do its work (the database answers and has
//! this build's schema).

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::service::AppState;

/// A probe waits no longer than this for the database (probes time out too).
const WITHIN: Duration = Duration::from_secs(3);

/// `GET /healthz`: the process is up and serving.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /readyz`: 200 when the database answers and every migration of this
/// build is applied; 503 saying which is not so.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let unreachable = |message: String| {
        let body =
            json!({"status": "not_ready", "reason": "database_unreachable", "message": message});
        (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
    };
    let r = match tokio::time::timeout(WITHIN, state.store.ready()).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            tracing::warn!("readiness: {e}");
            return unreachable("the database does not answer (details in the server log)".into());
        }
        Err(_) => {
            tracing::warn!("readiness: no answer from the database within {WITHIN:?}");
            return unreachable(format!(
                "the database did not answer within {} s",
                WITHIN.as_secs()
            ));
        }
    };
    if r.ready() {
        return Json(json!({"status": "ready"})).into_response();
    }
    let body = if r.pending.is_empty() {
        json!({
            "status": "not_ready",
            "reason": "migrations_changed",
            "changed": r.changed.len(),
            "message": format!(
                "{} applied migration(s) differ from this build's (versions {:?})",
                r.changed.len(), r.changed
            ),
        })
    } else {
        json!({
            "status": "not_ready",
            "reason": "migrations_pending",
            "pending": r.pending.len(),
            "message": format!(
                "{} of this build's {} migrations not applied (versions {:?}): restart to migrate",
                r.pending.len(), r.embedded, r.pending
            ),
        })
    };
    (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
}
