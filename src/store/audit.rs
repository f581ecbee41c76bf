//! Every write leaves a line: who, what, which record, when.

use serde::Serialize;
use sqlx::Row;
use utoipa::ToSchema;

use super::{now, Actor, Store, StoreError, Tx};
use crate::domain::Id;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: Id,
    pub at: String,
    pub user_id: Option<Id>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<Id>,
    pub detail: Option<String>,
}

pub(crate) async fn record(
    tx: &mut Tx,
    actor: Actor,
    action: &str,
    entity: &str,
    entity_id: Option<Id>,
    detail: Option<String>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now())
    .bind(actor.0)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// The newest entries first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at, user_id, action, entity, entity_id, detail FROM audit_log \
             ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    user_id: r.try_get("user_id")?,
                    action: r.try_get("action")?,
                    entity: r.try_get("entity")?,
                    entity_id: r.try_get("entity_id")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }
}
