//! The reads of a report (`service::reports`): a range's requests with
//! their lifecycles, its drivers' events, and the dates with a published
//! plan. One query each, whatever the length of the range.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sqlx::Row;

use super::{events, parse_date, requests, Scope, Store, StoreError};
use crate::domain::{Request, StopEvent};

impl Store {
    /// Every request of `from..=to` in scope, of every service, with its
    /// lifecycle.
    pub async fn requests_between(
        &self,
        scope: Scope,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Request>, StoreError> {
        let (org, all) = match scope {
            Scope::All => (0, 1),
            Scope::Organisation(o) => (o, 0),
        };
        let mut list = sqlx::query(&format!(
            "SELECT {} FROM requests WHERE date >= $1 AND date <= $2 \
             AND (organisation_id = $3 OR $4 = 1) ORDER BY date, id",
            requests::COLUMNS
        ))
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(org)
        .bind(all)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(requests::decode)
        .collect::<Result<Vec<_>, _>>()?;
        self.settle_lifecycles(&mut list).await?;
        Ok(list)
    }

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
