//! The municipality's closing days, one per date; with the national
//! holidays they make the service's `Calendar`.

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::standing_orders::cancel_closed_day;
use super::{parse_date, Actor, Store, StoreError, Tx};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{Calendar, ClosingDay};

fn decode(r: &AnyRow) -> Result<ClosingDay, StoreError> {
    let date: String = r.try_get("date")?;
    Ok(ClosingDay {
        date: parse_date(&date)?,
        label: r.try_get("label")?,
    })
}

const BETWEEN: &str =
    "SELECT date, label FROM closing_days WHERE date >= $1 AND date <= $2 ORDER BY date";

/// The calendar from `from` to `to`, read inside a write.
pub(crate) async fn calendar_tx(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Calendar, StoreError> {
    let rows = sqlx::query(BETWEEN)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&mut **tx)
        .await?;
    Ok(Calendar::new(
        rows.iter().map(decode).collect::<Result<Vec<_>, _>>()?,
    ))
}

impl Store {
    /// Closing days from `from` to `to`, in date order.
    pub async fn closing_days(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ClosingDay>, StoreError> {
        sqlx::query(BETWEEN)
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode)
            .collect()
    }

    /// The service's calendar from `from` to `to` (dates outside have no closing days).
    pub async fn calendar(&self, from: NaiveDate, to: NaiveDate) -> Result<Calendar, StoreError> {
        Ok(Calendar::new(self.closing_days(from, to).await?))
    }

    pub async fn closing_day(&self, date: NaiveDate) -> Result<ClosingDay, StoreError> {
        self.closing_days(date, date)
            .await?
            .pop()
            .ok_or(StoreError::NotFound("closing day"))
    }

    /// A conflict when the date is closed already. Standing orders' rides
    /// generated for the date (from `today` on) are cancelled with it.
    pub async fn create_closing_day(
        &self,
        actor: Actor,
        day: &ClosingDay,
        today: NaiveDate,
    ) -> Result<ClosingDay, StoreError> {
        let mut tx = self.begin().await?;
        let taken = sqlx::query("SELECT 1 FROM closing_days WHERE date = $1")
            .bind(day.date.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if taken {
            return Err(StoreError::Conflict(format!(
                "{} is a closing day already",
                day.date
            )));
        }
        sqlx::query("INSERT INTO closing_days (date, label) VALUES ($1, $2)")
            .bind(day.date.to_string())
            .bind(&day.label)
            .execute(&mut *tx)
            .await?;
        cancel_closed_day(&mut tx, actor, day.date, today).await?;
        record(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::ClosingDay,
            None,
            Some(day.date.to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(day.clone())
    }

    /// A new label for a closing day.
    pub async fn update_closing_day(
        &self,
        actor: Actor,
        day: &ClosingDay,
    ) -> Result<ClosingDay, StoreError> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE closing_days SET label = $1 WHERE date = $2")
            .bind(&day.label)
            .bind(day.date.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("closing day"));
        }
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::ClosingDay,
            None,
            Some(day.date.to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(day.clone())
    }

    pub async fn delete_closing_day(
        &self,
        actor: Actor,
        date: NaiveDate,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("DELETE FROM closing_days WHERE date = $1")
            .bind(date.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("closing day"));
        }
        record(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::ClosingDay,
            None,
            Some(date.to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
