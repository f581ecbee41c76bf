//! Stop events, kept by the stop's key and once per device event id; and
//! where a key sits in the date's revisions, to decide who may report on it.

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::{now, parse_date, parse_instant, Actor, Store, StoreError};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{
    Id, NewEvent, PlanStatus, RequestKind, StopEvent, StopEventKind, StopKey, StopRole,
};

/// One stop row holding a key, in one revision of its date.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyedStop {
    pub stop_id: Id,
    pub revision: i64,
    pub plan_status: PlanStatus,
    pub volunteer_id: Option<Id>,
    pub request_kind: RequestKind,
}

/// What storing an event did: a new row, or the one already stored under its id.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored {
    New(StopEvent),
    Existing(StopEvent),
}

pub(super) const COLUMNS: &str =
    "id, date, request_id, role, stop_id, kind, at, received_at, note, kg, client_id, user_id";

pub(super) fn decode(r: &AnyRow) -> Result<StopEvent, StoreError> {
    let date: String = r.try_get("date")?;
    let role: String = r.try_get("role")?;
    let kind: String = r.try_get("kind")?;
    let at: String = r.try_get("at")?;
    let received: String = r.try_get("received_at")?;
    let role =
        StopRole::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("stop role {role:?}")))?;
    Ok(StopEvent {
        id: r.try_get("id")?,
        date: parse_date(&date)?,
        key: StopKey::new(r.try_get("request_id")?, role),
        stop_id: r.try_get("stop_id")?,
        kind: StopEventKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("event kind {kind:?}")))?,
        at: parse_instant(&at)?,
        received_at: parse_instant(&received)?,
        note: r.try_get("note")?,
        kg: r.try_get("kg")?,
        client_id: r.try_get("client_id")?,
        user_id: r.try_get("user_id")?,
    })
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

impl Store {
    /// The date and key of a stop row.
    pub async fn stop_key(&self, stop_id: Id) -> Result<(NaiveDate, StopKey), StoreError> {
        let row = sqlx::query(
            "SELECT p.date, s.request_id, s.role FROM stops s JOIN routes r ON r.id = s.route_id \
             JOIN plans p ON p.id = r.plan_id WHERE s.id = $1",
        )
        .bind(stop_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("stop"))?;
        let date: String = row.try_get("date")?;
        let role: String = row.try_get("role")?;
        let role = StopRole::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("stop role {role:?}")))?;
        Ok((
            parse_date(&date)?,
            StopKey::new(row.try_get("request_id")?, role),
        ))
    }

    /// Every stop row with this key on this date, newest revision first.
    pub async fn stops_of_key(
        &self,
        date: NaiveDate,
        key: StopKey,
    ) -> Result<Vec<KeyedStop>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, p.revision, p.status, r.volunteer_id, q.kind FROM stops s \
             JOIN routes r ON r.id = s.route_id JOIN plans p ON p.id = r.plan_id \
             JOIN requests q ON q.id = s.request_id \
             WHERE p.date = $1 AND s.request_id = $2 AND s.role = $3 ORDER BY p.revision DESC",
        )
        .bind(date.to_string())
        .bind(key.request_id)
        .bind(key.role.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                let kind: String = r.try_get("kind")?;
                Ok(KeyedStop {
                    stop_id: r.try_get("id")?,
                    revision: r.try_get("revision")?,
                    plan_status: PlanStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("plan status {status:?}")))?,
                    volunteer_id: r.try_get("volunteer_id")?,
                    request_kind: RequestKind::parse(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("request kind {kind:?}")))?,
                })
            })
            .collect()
    }

    pub async fn event_by_client_id(
        &self,
        client_id: &str,
    ) -> Result<Option<StopEvent>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM stop_events WHERE client_id = $1"
        ))
        .bind(client_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(decode).transpose()
    }

    /// Stores an event once per device id: when one with the same id is
    /// already stored (also by a concurrent request), the unique index refuses
    /// the row and the stored one comes back unchanged.
    pub async fn store_event(
        &self,
        actor: Actor,
        stop_id: Option<Id>,
        event: &NewEvent,
    ) -> Result<Stored, StoreError> {
        let mut tx = self.begin().await?;
        // Without kg the column gets a literal NULL, not a NULL parameter: on
        // PostgreSQL the Any driver binds a NULL as an integer, and the
        // statement cached with that type then refuses the kg of a later
        // event ("incorrect binary data format").
        let (kg, rest) = match event.kg {
            Some(_) => ("$9", "$10, $11"),
            None => ("NULL", "$9, $10"),
        };
        let sql = format!(
            "INSERT INTO stop_events (date, request_id, role, stop_id, kind, at, received_at, \
             note, kg, client_id, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, {kg}, {rest}) \
             RETURNING {COLUMNS}"
        );
        let q = sqlx::query(&sql)
            .bind(event.date.to_string())
            .bind(event.key.request_id)
            .bind(event.key.role.as_str())
            .bind(stop_id)
            .bind(event.kind.as_str())
            .bind(
                event
                    .at
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            )
            .bind(now())
            .bind(&event.note);
        let q = match event.kg {
            Some(kg) => q.bind(kg),
            None => q,
        };
        let inserted = q
            .bind(&event.client_id)
            .bind(actor.0)
            .fetch_one(&mut *tx)
            .await;
        let stored = match inserted {
            Ok(row) => decode(&row)?,
            // A resend, or the same id sent twice at once: the first one stays.
            Err(e) if is_unique_violation(&e) && event.client_id.is_some() => {
                tx.rollback().await?;
                let cid = event.client_id.as_deref().unwrap_or_default();
                return match self.event_by_client_id(cid).await? {
                    Some(e) => Ok(Stored::Existing(e)),
                    None => Err(e.into()),
                };
            }
            Err(e) => return Err(e.into()),
        };
        record(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::StopEvent,
            Some(stored.id),
            Some(format!("{} {}", stored.key, stored.kind.as_str())),
        )
        .await?;
        tx.commit().await?;
        Ok(Stored::New(stored))
    }

    /// The events of one stop across the date's revisions, in the order received.
    pub async fn events_of_key(
        &self,
        date: NaiveDate,
        key: StopKey,
    ) -> Result<Vec<StopEvent>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM stop_events WHERE date = $1 AND request_id = $2 AND role = $3 \
             ORDER BY id"
        ))
        .bind(date.to_string())
        .bind(key.request_id)
        .bind(key.role.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decode).collect()
    }

    /// Every event on a stop of one person's requests (the subject access export).
    pub async fn events_of_person(&self, person_id: Id) -> Result<Vec<StopEvent>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM stop_events \
             WHERE request_id IN (SELECT id FROM requests WHERE person_id = $1) ORDER BY id"
        ))
        .bind(person_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decode).collect()
    }

    /// Every event of a date, in the order received.
    pub async fn events_of_date(&self, date: NaiveDate) -> Result<Vec<StopEvent>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM stop_events WHERE date = $1 ORDER BY id"
        ))
        .bind(date.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decode).collect()
    }
}
