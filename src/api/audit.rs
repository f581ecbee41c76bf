use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, ADMINS};
use super::extract::Params;
use super::{AppError, AppState};
use crate::store::AuditEntry;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// The newest audit entries first (`limit`, default 200, at most 5000).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", operation_id = "list_audit_entries",
    params(("limit" = Option<i64>, Query, minimum = 1, maximum = 5000)),
    responses((status = 200, body = [AuditEntry]), (status = 422, body = super::ErrorBody)))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    q: Params,
) -> Result<axum::Json<Vec<AuditEntry>>, AppError> {
    caller.allow(ADMINS)?;
    let limit = q.int("limit")?.unwrap_or(200);
    if !(1..=5000).contains(&limit) {
        return Err(AppError::invalid("limit", "must be between 1 and 5000"));
    }
    Ok(axum::Json(s.store.audit_log(limit).await?))
}
