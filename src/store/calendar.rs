//! A volunteer's published routes over a range of dates, for the calendar
//! feed: times, vehicle, stop count and the first public place, read without
//! touching anyone's name (`domain::calendar`).

use chrono::NaiveDate;
use sqlx::Row;

use super::{Store, StoreError};
use crate::domain::calendar::RouteSpan;
use crate::domain::{Clock, Id};

impl Store {
    /// The routes of the published plans from `from` to `to` (inclusive) the
    /// volunteer drives, by date and time; routes without stops left out.
    pub async fn route_spans(
        &self,
        volunteer_id: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<RouteSpan>, StoreError> {
        // The first stop at a public place (no association owns it: never a home).
        let public = |col: &str| {
            format!(
                "(SELECT p.{col} FROM stops s JOIN places p ON p.id = s.place_id \
                 WHERE s.route_id = r.id AND p.organisation_id IS NULL ORDER BY s.seq LIMIT 1)"
            )
        };
        let sql = format!(
            "SELECT pl.date, pl.revision, r.vehicle_id, v.name AS vehicle_name, r.start_min, r.end_min, \
             (SELECT MIN(s.start_min) FROM stops s WHERE s.route_id = r.id) AS first_min, \
             (SELECT MAX(s.start_min) FROM stops s WHERE s.route_id = r.id) AS last_min, \
             (SELECT COUNT(*) FROM stops s WHERE s.route_id = r.id) AS stops, \
             {} AS place_name, {} AS place_address \
             FROM plans pl JOIN routes r ON r.plan_id = pl.id JOIN vehicles v ON v.id = r.vehicle_id \
             WHERE pl.status = 'published' AND pl.date >= $1 AND pl.date <= $2 AND r.volunteer_id = $3 \
             ORDER BY pl.date, r.start_min, r.id",
            public("name"),
            public("address"),
        );
        let rows = sqlx::query(&sql)
            .bind(from.to_string())
            .bind(to.to_string())
            .bind(volunteer_id)
            .fetch_all(&self.pool)
            .await?;
        let mut spans = Vec::with_capacity(rows.len());
        for r in &rows {
            let (Some(first), Some(last)) = (
                r.try_get::<Option<f64>, _>("first_min")?,
                r.try_get::<Option<f64>, _>("last_min")?,
            ) else {
                continue;
            };
            let date: String = r.try_get("date")?;
            let name: Option<String> = r.try_get("place_name")?;
            let address: Option<String> = r.try_get("place_address")?;
            spans.push(RouteSpan {
                date: date
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("plan date {date:?}")))?,
                revision: r.try_get("revision")?,
                vehicle_id: r.try_get("vehicle_id")?,
                vehicle_name: r.try_get("vehicle_name")?,
                depart: Clock::from_minutes_f64(r.try_get("start_min")?),
                back: Clock::from_minutes_f64(r.try_get("end_min")?),
                first: Clock::from_minutes_f64(first),
                last: Clock::from_minutes_f64(last),
                stops: r.try_get("stops")?,
                place: name.zip(address),
            });
        }
        Ok(spans)
    }
}
