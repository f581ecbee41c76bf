use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, ADMINS};
use super::extract::Params;
use super::{AppError, AppState};
use crate::domain::{AuditAction, AuditEntity};
use crate::store::{AuditEntry, AuditFilter};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// The filters of the audit log from a query, shared by this API and the
/// admin page: each bad value is an error naming its parameter.
pub fn filter(q: &Params) -> Result<AuditFilter, AppError> {
    let action = match q.0.get("action").map(String::as_str) {
        None | Some("") => None,
        Some(a) => Some(
            AuditAction::parse(a).ok_or_else(|| AppError::invalid("action", "no such action"))?,
        ),
    };
    let entity = match q.0.get("entity").map(String::as_str) {
        None | Some("") => None,
        Some(e) => Some(
            AuditEntity::parse(e).ok_or_else(|| AppError::invalid("entity", "no such entity"))?,
        ),
    };
    let f = AuditFilter {
        user_id: q.id("user_id")?,
        action,
        entity,
        entity_id: q.id("entity_id")?,
        from: q.date("from")?,
        to: q.date("to")?,
        before: q.id("before")?,
    };
    if let (Some(from), Some(to)) = (f.from, f.to) {
        if to < from {
            return Err(AppError::invalid("to", "must not be before from"));
        }
    }
    Ok(f)
}

/// The newest audit entries first (`limit`, default 200, at most 5000),
/// narrowed by user, action, entity and its id, and dates (UTC, inclusive);
/// `before` an entry id for the next page. As CSV with `format=csv` or
/// `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", operation_id = "list_audit_entries",
    params(("limit" = Option<i64>, Query, minimum = 1, maximum = 5000),
        ("user_id" = Option<i64>, Query, minimum = 1),
        ("action" = Option<AuditAction>, Query),
        ("entity" = Option<AuditEntity>, Query),
        ("entity_id" = Option<i64>, Query, minimum = 1),
        ("from" = Option<String>, Query, description = "YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD"),
        ("before" = Option<i64>, Query, minimum = 1),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([AuditEntry] = "application/json"), (String = "text/csv"))),
        (status = 422, body = super::ErrorBody)))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    q: Params,
) -> Result<axum::response::Response, AppError> {
    caller.allow(ADMINS)?;
    let format = super::format::Format::of(&q, &headers)?;
    let limit = q.int("limit")?.unwrap_or(200);
    if !(1..=5000).contains(&limit) {
        return Err(AppError::invalid("limit", "must be between 1 and 5000"));
    }
    let filter = filter(&q)?;
    let lines = s.store.audit_lines(&filter, limit).await?;
    Ok(format.list(lines, "giro-audit.csv"))
}
