//! The days a repeating plan generated (a meal recipient's week, a donor's
//! days): one row per day in a `…_days` table, so a day's request is booked
//! once. When the plan stops serving a day, its request is cancelled and the
//! day freed, from `today` on.

use chrono::NaiveDate;
use sqlx::Row;

use super::audit::record;
use super::closing_days::calendar_tx;
use super::{parse_date, Actor, StoreError, Tx};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{Calendar, Id};

/// A generator's days table and the column naming its owner (constants).
pub(super) struct Days {
    pub table: &'static str,
    pub owner: &'static str,
}

pub(super) const MEAL_DAYS: Days = Days {
    table: "meal_days",
    owner: "recipient_id",
};

pub(super) const SURPLUS_DAYS: Days = Days {
    table: "surplus_days",
    owner: "donor_id",
};

/// Cancels `owner`'s active generated requests from `today` on whose day
/// `keeps` no longer serves and frees those days; their request ids. `why`
/// is the audit line of each.
pub(super) async fn cancel_dropped(
    tx: &mut Tx,
    actor: Actor,
    (days, owner): (&Days, Id),
    today: NaiveDate,
    keeps: impl Fn(&Calendar, NaiveDate) -> bool,
    why: impl Fn(NaiveDate) -> String,
) -> Result<Vec<Id>, StoreError> {
    let Days {
        table,
        owner: column,
    } = days;
    let rows = sqlx::query(&format!(
        "SELECT d.date, q.id FROM {table} d JOIN requests q ON q.id = d.request_id \
         WHERE d.{column} = $1 AND d.date >= $2 AND q.status = 'active' ORDER BY d.date"
    ))
    .bind(owner)
    .bind(today.to_string())
    .fetch_all(&mut **tx)
    .await?;
    let pending: Vec<(NaiveDate, Id)> = rows
        .iter()
        .map(|row| {
            let date: String = row.try_get(0)?;
            Ok((parse_date(&date)?, row.try_get(1)?))
        })
        .collect::<Result<_, StoreError>>()?;
    let (Some(first), Some(last)) = (pending.first(), pending.last()) else {
        return Ok(Vec::new());
    };
    let calendar = calendar_tx(tx, first.0, last.0).await?;
    let mut cancelled = Vec::new();
    for (date, request) in pending {
        if keeps(&calendar, date) {
            continue;
        }
        sqlx::query("UPDATE requests SET status = 'cancelled' WHERE id = $1")
            .bind(request)
            .execute(&mut **tx)
            .await?;
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE {column} = $1 AND date = $2"
        ))
        .bind(owner)
        .bind(date.to_string())
        .execute(&mut **tx)
        .await?;
        record(
            tx,
            actor,
            AuditAction::Cancel,
            AuditEntity::Request,
            Some(request),
            Some(why(date)),
        )
        .await?;
        cancelled.push(request);
    }
    Ok(cancelled)
}
