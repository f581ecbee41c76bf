//! Personal data pages: the audit log for admins (`/admin/audit`, the
//! filters of `GET /api/v1/audit`) and a person's subject access export,
//! printable (`/board/people/{id}/export`, planners; the same document as
//! `GET /api/v1/people/{id}/export`, audited alike).

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::Router;

use super::ctx::Ctx;
use super::render;
use crate::api::{audit_filter, AppError, AppState, Params, PathId, ADMINS, PLANNERS};
use crate::domain::{AuditAction, AuditEntity};
use crate::service::personal::export::{export, SubjectAccess};
use crate::store::{Actor, AuditEntry, Scope};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(audit))
        .route("/board/people/{id}/export", get(subject_access))
}

/// Lines per page; the next page starts before the last one shown.
const PAGE: i64 = 100;

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: Ctx,
    lines: Vec<AuditEntry>,
    /// (code, words) of every action and entity, for the filters.
    actions: Vec<(&'static str, String)>,
    entities: Vec<(&'static str, String)>,
    /// The filters as typed, to show them back.
    q: std::collections::HashMap<String, String>,
    /// The query of the next page, when there is one.
    next: Option<String>,
}

impl AuditPage {
    fn typed(&self, name: &str) -> &str {
        self.q.get(name).map_or("", String::as_str)
    }

    /// Some filter is set: the filters start open.
    fn filtered(&self) -> bool {
        self.q.keys().any(|k| k != "before")
    }

    fn word(&self, area: &str, code: &str) -> String {
        audit_word(&self.ctx, area, code)
    }
}

async fn audit(State(s): State<AppState>, ctx: Ctx, q: Params) -> Result<Html<String>, AppError> {
    ctx.require(ADMINS)?;
    // A form sends its empty fields too: an empty filter is no filter.
    let q = Params(q.0.into_iter().filter(|(_, v)| !v.is_empty()).collect());
    let filter = audit_filter(&q)?;
    let lines = s.store.audit_lines(&filter, PAGE).await?;
    let next = (lines.len() as i64 == PAGE).then(|| {
        let mut kept: Vec<(String, String)> =
            q.0.iter()
                .filter(|(k, v)| k.as_str() != "before" && !v.is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
        kept.sort();
        kept.push(("before".into(), lines[lines.len() - 1].id.to_string()));
        kept.iter()
            .map(|(k, v)| format!("{k}={}", super::errors::url_escape(v)))
            .collect::<Vec<_>>()
            .join("&")
    });
    render(&AuditPage {
        lines,
        actions: choices(&ctx, AuditAction::VARIANTS, |a| a.as_str(), "action"),
        entities: choices(&ctx, AuditEntity::VARIANTS, |e| e.as_str(), "entity"),
        q: q.0,
        next,
        ctx,
    })
}

/// Every value as (code, words), sorted by the words people read.
fn choices<T: Copy>(
    ctx: &Ctx,
    all: &[T],
    code: fn(T) -> &'static str,
    area: &str,
) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = all
        .iter()
        .map(|&v| (code(v), audit_word(ctx, area, code(v))))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// The words for an audit action, entity or role code.
pub fn audit_word(ctx: &Ctx, area: &str, code: &str) -> String {
    ctx.t.t(&format!("personal.{area}.{code}")).to_string()
}

#[derive(Template)]
#[template(path = "board/person_export.html")]
struct ExportPage {
    ctx: Ctx,
    doc: SubjectAccess,
    /// The whole document, indented, for the record.
    json: String,
}

async fn subject_access(
    State(s): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> Result<Html<String>, AppError> {
    let user = ctx.require(PLANNERS)?;
    let doc = export(&s.store, Actor(Some(user.id)), Scope::All, id).await?;
    let json = serde_json::to_string_pretty(&doc).unwrap_or_default();
    render(&ExportPage { ctx, doc, json })
}

#[cfg(test)]
mod tests {
    use crate::domain::{AuditAction, AuditEntity, Role};
    use crate::web::i18n::{keys, Lang};

    #[test]
    fn every_action_entity_and_role_has_words_in_each_language() {
        let codes = AuditAction::VARIANTS
            .iter()
            .map(|a| format!("personal.action.{}", a.as_str()))
            .chain(
                AuditEntity::VARIANTS
                    .iter()
                    .map(|e| format!("personal.entity.{}", e.as_str())),
            )
            .chain(
                Role::ALL
                    .iter()
                    .map(|r| format!("personal.role.{}", r.as_str())),
            );
        for code in codes {
            for lang in Lang::ALL {
                assert!(keys(lang).contains(&code), "{code} in {lang:?}");
            }
        }
    }
}
