//! The reads of a report (`service::reports`) beside the range's requests
//! (`store::requests`): its drivers' events and the dates with a published
//! plan. One query each, whatever the length of the range.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sqlx::Row;

use super::{events, parse_date, Store, StoreError};
use crate::domain::StopEvent;

impl Store {
    /// The drivers' events of `from..=to`, by date, in the order received.
    pub async fn events_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<BTreeMap<NaiveDate, Vec<StopEvent>>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM stop_events WHERE date >= $1 AND date <= $2 ORDER BY id",
            events::COLUMNS
        ))
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut by: BTreeMap<NaiveDate, Vec<StopEvent>> = BTreeMap::new();
        for r in &rows {
            let e = events::decode(r)?;
            by.entry(e.date).or_default().push(e);
        }
        Ok(by)
    }

    /// The dates of `from..=to` with a published plan.
    pub async fn published_dates(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<NaiveDate>, StoreError> {
        let rows = sqlx::query(
            "SELECT date FROM plans WHERE status = 'published' AND date >= $1 AND date <= $2 \
             ORDER BY date",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| parse_date(&r.try_get::<String, _>("date")?))
            .collect()
    }
}
