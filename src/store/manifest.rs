//! What drivers see: the published stops of their routes, each with the state
//! its events left it in.

use chrono::NaiveDate;
use sqlx::Row;

use super::{json, Store, StoreError};
use crate::domain::{
    latest_states, Clock, Id, Manifest, ManifestRoute, ManifestStop, StopKey, StopRole,
};

impl Store {
    /// The published routes a volunteer drives on a date, with need-to-know fields only.
    pub async fn manifest(
        &self,
        volunteer_id: Id,
        date: NaiveDate,
    ) -> Result<Manifest, StoreError> {
        let Some(plan) = self.published_plan(date).await? else {
            return Ok(Manifest {
                date,
                revision: None,
                routes: Vec::new(),
            });
        };
        // Events follow the key, so those reported on earlier revisions count too.
        let states = latest_states(&self.events_of_date(date).await?);
        let mut routes = Vec::new();
        for r in plan
            .routes
            .iter()
            .filter(|r| r.volunteer_id == Some(volunteer_id))
        {
            let vehicle = self.vehicle(r.vehicle_id).await?;
            let rows = sqlx::query(
                "SELECT s.id, s.seq, s.request_id, s.role, s.start_min, q.kind, q.load, q.status, q.notes, \
                 p.name AS place_name, p.address, p.lat, p.lon, pe.name AS person_name, pe.phone, \
                 pe.mobility, pe.assistance, pe.driver_notes FROM stops s \
                 JOIN requests q ON q.id = s.request_id JOIN places p ON p.id = s.place_id \
                 LEFT JOIN people pe ON pe.id = q.person_id \
                 WHERE s.route_id = $1 ORDER BY s.seq",
            )
            .bind(r.id)
            .fetch_all(&self.pool)
            .await?;
            let mut stops = Vec::with_capacity(rows.len());
            for s in &rows {
                let role: String = s.try_get("role")?;
                let load: String = s.try_get("load")?;
                let role = StopRole::parse(&role)
                    .ok_or_else(|| StoreError::Corrupt(format!("stop role {role:?}")))?;
                let key = StopKey::new(s.try_get("request_id")?, role);
                stops.push(ManifestStop {
                    stop_id: s.try_get("id")?,
                    key,
                    seq: s.try_get("seq")?,
                    time: Clock::from_minutes_f64(s.try_get("start_min")?),
                    role,
                    kind: s.try_get("kind")?,
                    status: s.try_get("status")?,
                    place_name: s.try_get("place_name")?,
                    address: s.try_get("address")?,
                    lat: s.try_get("lat")?,
                    lon: s.try_get("lon")?,
                    person_name: s.try_get("person_name")?,
                    phone: s.try_get("phone")?,
                    mobility: s.try_get("mobility")?,
                    assistance: s.try_get("assistance")?,
                    driver_notes: s.try_get("driver_notes")?,
                    request_notes: s.try_get("notes")?,
                    load: json(&load)?,
                    state: states.get(&key).cloned(),
                });
            }
            routes.push(ManifestRoute {
                route_id: r.id,
                vehicle_id: r.vehicle_id,
                vehicle_name: vehicle.name,
                layout: r.layout.clone(),
                start: Clock::from_minutes_f64(r.start_min),
                end: Clock::from_minutes_f64(r.end_min),
                stops,
            });
        }
        Ok(Manifest {
            date,
            revision: Some(plan.revision),
            routes,
        })
    }
}
