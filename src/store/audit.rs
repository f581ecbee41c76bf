//! Every write leaves a line, and so does every read of special-category data
//! (a person's record, a manifest): who, in which role, what, which record, when.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use utoipa::ToSchema;

use super::{now, Actor, Store, StoreError, Tx};
use crate::domain::{AuditAction, AuditEntity, Id, Role};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: Id,
    pub at: String,
    pub user_id: Option<Id>,
    /// The user's role when the line was written (the "why" of a read);
    /// none for the system and for lines older than this column.
    pub role: Option<Role>,
    pub action: AuditAction,
    pub entity: AuditEntity,
    pub entity_id: Option<Id>,
    pub detail: Option<String>,
}

/// Which lines to list; every field narrows, none means all.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub user_id: Option<Id>,
    pub action: Option<AuditAction>,
    pub entity: Option<AuditEntity>,
    pub entity_id: Option<Id>,
    /// From this date on (UTC), inclusive.
    pub from: Option<NaiveDate>,
    /// Up to this date (UTC), inclusive.
    pub to: Option<NaiveDate>,
    /// Lines older than this id only (the next page).
    pub before: Option<Id>,
}

/// One small insert. The role is read from the user's row by the same
/// statement, so no caller has to carry it and a line never disagrees with it.
pub(crate) async fn record(
    tx: &mut Tx,
    actor: Actor,
    action: AuditAction,
    entity: AuditEntity,
    entity_id: Option<Id>,
    detail: Option<String>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, role, action, entity, entity_id, detail) \
         VALUES ($1, $2, (SELECT role FROM users WHERE id = $2), $3, $4, $5, $6)",
    )
    .bind(now())
    .bind(actor.0)
    .bind(action.as_str())
    .bind(entity.as_str())
    .bind(entity_id)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn decode(r: &AnyRow) -> Result<AuditEntry, StoreError> {
    let action: String = r.try_get("action")?;
    let entity: String = r.try_get("entity")?;
    let role: Option<String> = r.try_get("role")?;
    Ok(AuditEntry {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        user_id: r.try_get("user_id")?,
        role: match role {
            Some(x) => Some(
                Role::parse(&x).ok_or_else(|| StoreError::Corrupt(format!("audit role {x:?}")))?,
            ),
            None => None,
        },
        action: AuditAction::parse(&action)
            .ok_or_else(|| StoreError::Corrupt(format!("audit action {action:?}")))?,
        entity: AuditEntity::read(&entity)
            .ok_or_else(|| StoreError::Corrupt(format!("audit entity {entity:?}")))?,
        entity_id: r.try_get("entity_id")?,
        detail: r.try_get("detail")?,
    })
}

impl Store {
    /// Writes the line of a read, right after the read in a transaction of
    /// its own: one insert on the writer, so on SQLite it queues behind the
    /// other writes rather than failing the read.
    pub async fn note(
        &self,
        actor: Actor,
        action: AuditAction,
        entity: AuditEntity,
        entity_id: Option<Id>,
        detail: Option<String>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        record(&mut tx, actor, action, entity, entity_id, detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest entries first, at most `limit`.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit_lines(&AuditFilter::default(), limit).await
    }

    /// The newest entries that pass `filter` first, at most `limit`.
    pub async fn audit_lines(
        &self,
        filter: &AuditFilter,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        // Each condition is fixed text with its own placeholder; only values are bound.
        let mut conditions = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut ids: Vec<Id> = Vec::new();
        let mut n = 0;
        let mut next = || {
            n += 1;
            n
        };
        if let Some(u) = filter.user_id {
            conditions.push(format!("user_id = ${}", next()));
            ids.push(u);
        }
        if let Some(e) = filter.entity_id {
            conditions.push(format!("entity_id = ${}", next()));
            ids.push(e);
        }
        if let Some(b) = filter.before {
            conditions.push(format!("id < ${}", next()));
            ids.push(b);
        }
        if let Some(a) = filter.action {
            conditions.push(format!("action = ${}", next()));
            texts.push(a.as_str().into());
        }
        if let Some(e) = filter.entity {
            // The old spelling of a deleted vehicle block reads as the new one.
            let (a, b) = (next(), next());
            conditions.push(format!("entity IN (${a}, ${b})"));
            texts.push(e.as_str().into());
            texts.push(if e == AuditEntity::VehicleBlock {
                "vehicle block".into()
            } else {
                e.as_str().into()
            });
        }
        // `at` is RFC 3339 in UTC, so text order is time order.
        if let Some(f) = filter.from {
            conditions.push(format!("at >= ${}", next()));
            texts.push(f.to_string());
        }
        if let Some(t) = filter.to {
            conditions.push(format!("at < ${}", next()));
            texts.push(t.succ_opt().unwrap_or(t).to_string());
        }
        let limit_at = next();
        let sql = format!(
            "SELECT id, at, user_id, role, action, entity, entity_id, detail FROM audit_log{} \
             ORDER BY id DESC LIMIT ${limit_at}",
            if conditions.is_empty() {
                String::new()
            } else {
                format!(" WHERE {}", conditions.join(" AND "))
            }
        );
        let mut q = sqlx::query(&sql);
        for i in ids {
            q = q.bind(i);
        }
        for t in texts {
            q = q.bind(t);
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(decode).collect()
    }
}
