//! What the retention job reads and clears (`service::personal::retention`).

use chrono::NaiveDate;
use sqlx::Row;

use super::audit::record;
use super::{Actor, Store, StoreError};
use crate::domain::{AuditAction, AuditEntity, Id};

impl Store {
    /// People not anonymised, recorded before `cutoff`, with no request of
    /// any kind on or after it.
    pub async fn people_unserved_since(&self, cutoff: NaiveDate) -> Result<Vec<Id>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.id FROM people p WHERE p.anonymised_at IS NULL AND p.created_on < $1 \
             AND NOT EXISTS (SELECT 1 FROM requests q WHERE q.person_id = p.id AND q.date >= $1) \
             ORDER BY p.id",
        )
        .bind(cutoff.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| r.try_get("id").map_err(StoreError::from))
            .collect()
    }

    /// Drivers' notes on stops of dates before `cutoff`: how many there are,
    /// and with `clear` they are cleared (one audit line for them all).
    pub async fn old_event_notes(
        &self,
        actor: Actor,
        cutoff: NaiveDate,
        clear: bool,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin().await?;
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM stop_events WHERE date < $1 AND note IS NOT NULL",
        )
        .bind(cutoff.to_string())
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if clear && n > 0 {
            sqlx::query("UPDATE stop_events SET note = NULL WHERE date < $1 AND note IS NOT NULL")
                .bind(cutoff.to_string())
                .execute(&mut *tx)
                .await?;
            record(
                &mut tx,
                actor,
                AuditAction::Purge,
                AuditEntity::StopEvent,
                None,
                Some(format!("{n} notes before {cutoff}")),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(n.max(0) as u64)
    }
}
