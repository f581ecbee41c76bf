//! What drivers see and report: the manifest of published stops, and stop events.

use chrono::NaiveDate;
use sqlx::Row;

use super::audit::record;
use super::{json, parse_instant, Actor, Store, StoreError};
use crate::domain::{
    Clock, Id, Manifest, ManifestRoute, ManifestStop, StopEvent, StopEventInput, StopEventKind,
    StopRole,
};

/// Where a stop belongs, to decide who may report on it.
pub struct StopOwner {
    pub plan_status: String,
    pub volunteer_id: Option<Id>,
    pub date: NaiveDate,
}

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
        let mut routes = Vec::new();
        for r in plan
            .routes
            .iter()
            .filter(|r| r.volunteer_id == Some(volunteer_id))
        {
            let vehicle = self.vehicle(r.vehicle_id).await?;
            let rows = sqlx::query(
                "SELECT s.id, s.seq, s.role, s.start_min, q.kind, q.load, q.status, p.name AS place_name, \
                 p.address, p.lat, p.lon, pe.name AS person_name, pe.phone, pe.mobility, \
                 pe.assistance, pe.driver_notes FROM stops s \
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
                stops.push(ManifestStop {
                    stop_id: s.try_get("id")?,
                    seq: s.try_get("seq")?,
                    time: Clock::from_minutes_f64(s.try_get("start_min")?),
                    role: StopRole::parse(&role)
                        .ok_or_else(|| StoreError::Corrupt(format!("stop role {role:?}")))?,
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
                    load: json(&load)?,
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

    pub async fn stop_owner(&self, stop_id: Id) -> Result<StopOwner, StoreError> {
        let row = sqlx::query(
            "SELECT p.status, p.date, r.volunteer_id FROM stops s JOIN routes r ON r.id = s.route_id \
             JOIN plans p ON p.id = r.plan_id WHERE s.id = $1",
        )
        .bind(stop_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("stop"))?;
        let date: String = row.try_get("date")?;
        Ok(StopOwner {
            plan_status: row.try_get("status")?,
            volunteer_id: row.try_get("volunteer_id")?,
            date: super::parse_date(&date)?,
        })
    }

    pub async fn add_stop_event(
        &self,
        actor: Actor,
        stop_id: Id,
        input: &StopEventInput,
    ) -> Result<StopEvent, StoreError> {
        let at = input.at.unwrap_or_else(chrono::Utc::now);
        let mut tx = self.begin().await?;
        let id: Id = sqlx::query(
            "INSERT INTO stop_events (stop_id, kind, at, note, user_id) VALUES ($1, $2, $3, $4, $5) \
             RETURNING id",
        )
        .bind(stop_id)
        .bind(input.kind.as_str())
        .bind(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .bind(&input.note)
        .bind(actor.0)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        record(
            &mut tx,
            actor,
            "create",
            "stop_event",
            Some(id),
            Some(input.kind.as_str().into()),
        )
        .await?;
        tx.commit().await?;
        Ok(StopEvent {
            id,
            stop_id,
            kind: input.kind,
            at,
            note: input.note.clone(),
            user_id: actor.0,
        })
    }

    pub async fn stop_events(&self, stop_id: Id) -> Result<Vec<StopEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, stop_id, kind, at, note, user_id FROM stop_events WHERE stop_id = $1 ORDER BY id",
        )
        .bind(stop_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let at: String = r.try_get("at")?;
                Ok(StopEvent {
                    id: r.try_get("id")?,
                    stop_id: r.try_get("stop_id")?,
                    kind: StopEventKind::parse(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("event kind {kind:?}")))?,
                    at: parse_instant(&at)?,
                    note: r.try_get("note")?,
                    user_id: r.try_get("user_id")?,
                })
            })
            .collect()
    }
}
