use std::collections::BTreeMap;

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::db::exists;
use super::owned::Owned;
use super::places::visible_place;
use super::{clock, json, parse_date, to_json, Actor, Scope, Store, StoreError, Tx};
use crate::domain::ride_policy::Purpose;
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{
    Clock, Id, Invalid, Lifecycle, NewRequest, Request, RequestKind, RequestStatus, ReturnOf,
    Window, WindowAt,
};

/// With the promised pickup: the planned start at the pickup in the date's
/// published revision (none before publishing, or when it was left out).
pub(super) const COLUMNS: &str =
    "id, organisation_id, date, kind, person_id, from_place_id, to_place_id, \
    window_at, window_start, window_end, load, skills, service_minutes, max_ride_minutes, \
    outbound_id, after_minutes, same_vehicle, purpose, notes, status, \
    pickup_at, appointment, companions, way_back, \
    (SELECT s.start_min FROM stops s JOIN routes r ON r.id = s.route_id \
     JOIN plans p ON p.id = r.plan_id WHERE p.status = 'published' \
     AND s.request_id = requests.id AND s.role = 'pickup') AS promised_pickup_min";

pub(super) fn decode(r: &AnyRow) -> Result<Request, StoreError> {
    let bad = |what: &str, v: &str| StoreError::Corrupt(format!("request {what} {v:?}"));
    let date: String = r.try_get("date")?;
    let kind: String = r.try_get("kind")?;
    let window_at: String = r.try_get("window_at")?;
    let status: String = r.try_get("status")?;
    let load: String = r.try_get("load")?;
    let skills: String = r.try_get("skills")?;
    let outbound: Option<Id> = r.try_get("outbound_id")?;
    let after: Option<i64> = r.try_get("after_minutes")?;
    let same: i64 = r.try_get("same_vehicle")?;
    let minutes = |v: Option<i64>| v.map(|m| m.clamp(0, u32::MAX.into()) as u32);
    let promised: Option<f64> = r.try_get("promised_pickup_min")?;
    Ok(Request {
        id: r.try_get("id")?,
        organisation_id: r.try_get("organisation_id")?,
        date: parse_date(&date)?,
        kind: RequestKind::parse(&kind).ok_or_else(|| bad("kind", &kind))?,
        person_id: r.try_get("person_id")?,
        from_place_id: r.try_get("from_place_id")?,
        to_place_id: r.try_get("to_place_id")?,
        window_at: WindowAt::parse(&window_at).ok_or_else(|| bad("window_at", &window_at))?,
        window: Window::new(
            clock(r.try_get("window_start")?)?,
            clock(r.try_get("window_end")?)?,
        ),
        load: json(&load)?,
        skills: json(&skills)?,
        service_minutes: minutes(r.try_get("service_minutes")?),
        max_ride_minutes: minutes(r.try_get("max_ride_minutes")?),
        return_of: outbound.map(|request_id| ReturnOf {
            request_id,
            after_minutes: minutes(after).unwrap_or(0),
            same_vehicle: same != 0,
        }),
        way_back: r
            .try_get::<Option<String>, _>("way_back")?
            .map(|w| json(&w))
            .transpose()?,
        pickup_at: r
            .try_get::<Option<i64>, _>("pickup_at")?
            .map(clock)
            .transpose()?,
        appointment: r
            .try_get::<Option<i64>, _>("appointment")?
            .map(clock)
            .transpose()?,
        companions: minutes(r.try_get("companions")?).unwrap_or(0),
        purpose: r
            .try_get::<Option<String>, _>("purpose")?
            .map(|p| Purpose::parse(&p).ok_or_else(|| bad("purpose", &p)))
            .transpose()?,
        notes: r.try_get("notes")?,
        status: RequestStatus::parse(&status).ok_or_else(|| bad("status", &status))?,
        promised_pickup: promised.map(Clock::from_minutes_f64),
        // Settled by the reads below (`request_status`): it needs the plan and the events.
        lifecycle: Lifecycle::Requested,
    })
}

impl Owned for Request {
    const TABLE: &'static str = "requests";
    const COLUMNS: &'static str = COLUMNS;
    const NAME: &'static str = "request";
    fn decode(row: &AnyRow) -> Result<Self, StoreError> {
        decode(row)
    }
    fn organisation(&self) -> Id {
        self.organisation_id
    }
}

async fn check_refs(tx: &mut Tx, id: Option<Id>, new: &NewRequest) -> Result<(), StoreError> {
    let (org, input) = (new.organisation_id, &new.input);
    if !exists(tx, "organisations", org).await? {
        return Err(Invalid::one("organisation_id", "no such organisation").into());
    }
    if let Some(p) = input.person_id {
        let row = sqlx::query("SELECT organisation_id FROM people WHERE id = $1")
            .bind(p)
            .fetch_optional(&mut **tx)
            .await?;
        let owner: Option<Id> = row
            .as_ref()
            .map(|r| r.try_get("organisation_id"))
            .transpose()?;
        if owner != Some(org) {
            return Err(Invalid::one("person_id", "no such person in this organisation").into());
        }
        // The room and the lift follow from the person: see `domain::booking`.
    }
    let scope = Scope::Organisation(org);
    if !visible_place(tx, scope, input.from_place_id).await? {
        return Err(Invalid::one("from_place_id", "no such place").into());
    }
    if !visible_place(tx, scope, input.to_place_id).await? {
        return Err(Invalid::one("to_place_id", "no such place").into());
    }
    if let Some(r) = &new.return_of.filter(|r| r.request_id != 0) {
        let row = sqlx::query(
            "SELECT organisation_id, date, kind, outbound_id FROM requests WHERE id = $1",
        )
        .bind(r.request_id)
        .fetch_optional(&mut **tx)
        .await?;
        let ok = match row {
            Some(row) if Some(r.request_id) != id => {
                let o: Id = row.try_get("organisation_id")?;
                let d: String = row.try_get("date")?;
                let k: String = row.try_get("kind")?;
                let its_own: Option<Id> = row.try_get("outbound_id")?;
                o == org && d == input.date.to_string() && k == "ride" && its_own.is_none()
            }
            _ => false,
        };
        if !ok {
            return Err(Invalid::one(
                "return_of.request_id",
                "no such outbound ride of this organisation on this date",
            )
            .into());
        }
        let taken = sqlx::query("SELECT id FROM requests WHERE outbound_id = $1 AND id <> $2")
            .bind(r.request_id)
            .bind(id.unwrap_or(-1))
            .fetch_optional(&mut **tx)
            .await?;
        if let Some(other) = taken {
            let other: Id = other.try_get("id")?;
            return Err(Invalid::one(
                "return_of.request_id",
                format!("that ride already has its way back: request {other}"),
            )
            .into());
        }
    }
    // An outbound ride keeps its returns consistent: same date, association, kind.
    if let Some(id) = id {
        let back =
            sqlx::query("SELECT id, date, organisation_id FROM requests WHERE outbound_id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
        if let Some(b) = back {
            let back_id: Id = b.try_get("id")?;
            let d: String = b.try_get("date")?;
            let o: Id = b.try_get("organisation_id")?;
            let field = if new.return_of.is_some() {
                "return_of"
            } else if input.kind != RequestKind::Ride {
                "kind"
            } else if d != input.date.to_string() {
                "date"
            } else if o != org {
                "organisation_id"
            } else {
                ""
            };
            if !field.is_empty() {
                return Err(Invalid::one(
                    field,
                    format!(
                        "request {back_id} is the way back of this ride: change or delete it first"
                    ),
                )
                .into());
            }
        }
    }
    Ok(())
}

fn bind_input<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    new: &'q NewRequest,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let input = &new.input;
    q.bind(new.organisation_id)
        .bind(input.date.to_string())
        .bind(input.kind.as_str())
        .bind(input.person_id)
        .bind(input.from_place_id)
        .bind(input.to_place_id)
        .bind(new.window_at.as_str())
        .bind(new.window.start.minutes())
        .bind(new.window.end.minutes())
        .bind(to_json(&new.load))
        .bind(to_json(&input.skills))
        .bind(input.service_minutes.map(i64::from))
        .bind(input.max_ride_minutes.map(i64::from))
        .bind(new.return_of.map(|r| r.request_id))
        .bind(new.return_of.map(|r| i64::from(r.after_minutes)))
        .bind(i64::from(new.return_of.is_some_and(|r| r.same_vehicle)))
        .bind(input.purpose.map(|p| p.as_str()))
        .bind(&input.notes)
        .bind(new.status.as_str())
        .bind(input.pickup_at.map(Clock::minutes))
        .bind(input.appointment.map(Clock::minutes))
        .bind(i64::from(new.companions))
        .bind(input.way_back.map(|w| to_json(&w)))
}

const INSERT: &str =
    "INSERT INTO requests (organisation_id, date, kind, person_id, from_place_id, \
     to_place_id, window_at, window_start, window_end, load, skills, service_minutes, \
     max_ride_minutes, outbound_id, after_minutes, same_vehicle, purpose, notes, status, \
     pickup_at, appointment, companions, way_back) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
     $17, $18, $19, $20, $21, $22, $23) RETURNING id";

/// Checks and writes one request with its audit line; the id.
pub(crate) async fn insert_request(
    tx: &mut Tx,
    actor: Actor,
    new: &NewRequest,
) -> Result<Id, StoreError> {
    check_refs(tx, None, new).await?;
    let id: Id = bind_input(sqlx::query(INSERT), new)
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")?;
    record(
        tx,
        actor,
        AuditAction::Create,
        AuditEntity::Request,
        Some(id),
        None,
    )
    .await?;
    Ok(id)
}

impl Store {
    pub async fn requests(
        &self,
        scope: Scope,
        date: Option<NaiveDate>,
    ) -> Result<Vec<Request>, StoreError> {
        let mut sql = format!("SELECT {COLUMNS} FROM requests WHERE 1 = 1");
        let mut n = 0;
        if scope != Scope::All {
            n += 1;
            sql.push_str(&format!(" AND organisation_id = ${n}"));
        }
        if date.is_some() {
            n += 1;
            sql.push_str(&format!(" AND date = ${n}"));
        }
        sql.push_str(" ORDER BY id");
        let mut q = sqlx::query(&sql);
        if let Scope::Organisation(o) = scope {
            q = q.bind(o);
        }
        if let Some(d) = date {
            q = q.bind(d.to_string());
        }
        let mut list = q
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode)
            .collect::<Result<Vec<_>, _>>()?;
        self.settle_lifecycles(&mut list).await?;
        Ok(list)
    }

    /// Every request for one person, with their lifecycles (the subject access export).
    pub async fn requests_of_person(&self, person_id: Id) -> Result<Vec<Request>, StoreError> {
        let mut list = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM requests WHERE person_id = $1 ORDER BY id"
        ))
        .bind(person_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(decode)
        .collect::<Result<Vec<_>, _>>()?;
        self.settle_lifecycles(&mut list).await?;
        Ok(list)
    }

    /// Every request of `from..=to` in scope, of every service, with its
    /// lifecycle (the reports).
    pub async fn requests_between(
        &self,
        scope: Scope,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Request>, StoreError> {
        self.between(scope, from, to, None).await
    }

    /// The rides of `from..=to` in scope, with their lifecycles (the fees).
    pub async fn rides_between(
        &self,
        scope: Scope,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Request>, StoreError> {
        self.between(scope, from, to, Some(RequestKind::Ride)).await
    }

    async fn between(
        &self,
        scope: Scope,
        from: NaiveDate,
        to: NaiveDate,
        kind: Option<RequestKind>,
    ) -> Result<Vec<Request>, StoreError> {
        let (org, all) = match scope {
            Scope::All => (0, 1),
            Scope::Organisation(o) => (o, 0),
        };
        let mut list = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM requests WHERE date >= $1 AND date <= $2 \
             AND (organisation_id = $3 OR $4 = 1) AND (kind = $5 OR $5 = '') ORDER BY date, id"
        ))
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(org)
        .bind(all)
        .bind(kind.map_or("", RequestKind::as_str))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(decode)
        .collect::<Result<Vec<_>, _>>()?;
        self.settle_lifecycles(&mut list).await?;
        Ok(list)
    }

    /// Each request of the date with its promised pickup time, `None` before
    /// the date is published or when the published plan leaves it out.
    pub async fn promised_pickups(
        &self,
        date: NaiveDate,
    ) -> Result<BTreeMap<Id, Option<Clock>>, StoreError> {
        Ok(self
            .requests(Scope::All, Some(date))
            .await?
            .into_iter()
            .map(|r| (r.id, r.promised_pickup))
            .collect())
    }

    pub async fn request(&self, scope: Scope, id: Id) -> Result<Request, StoreError> {
        let mut r: Request = self.owned_one(scope, id).await?;
        self.settle_lifecycles(std::slice::from_mut(&mut r)).await?;
        Ok(r)
    }

    /// Writes a booking: the request and its way back, linked, in one transaction.
    pub async fn create_request(
        &self,
        actor: Actor,
        new: &NewRequest,
        way_back: Option<&NewRequest>,
    ) -> Result<Request, StoreError> {
        let mut tx = self.begin().await?;
        let id = insert_request(&mut tx, actor, new).await?;
        if let Some(back) = way_back {
            let mut back = back.clone();
            back.return_of = back.return_of.map(|r| ReturnOf {
                request_id: id,
                ..r
            });
            insert_request(&mut tx, actor, &back).await?;
        }
        tx.commit().await?;
        self.request(Scope::All, id).await
    }

    pub async fn update_request(
        &self,
        actor: Actor,
        id: Id,
        new: &NewRequest,
    ) -> Result<Request, StoreError> {
        self.update_then_cancel(actor, id, new, None).await
    }

    /// Changes request `id` and cancels it with `status`, its way back with
    /// it, in one transaction: an edit that cancels.
    pub async fn update_and_cancel_request(
        &self,
        actor: Actor,
        id: Id,
        new: &NewRequest,
        status: RequestStatus,
    ) -> Result<Request, StoreError> {
        self.update_then_cancel(actor, id, new, Some(status)).await
    }

    async fn update_then_cancel(
        &self,
        actor: Actor,
        id: Id,
        new: &NewRequest,
        cancel: Option<RequestStatus>,
    ) -> Result<Request, StoreError> {
        let mut tx = self.begin().await?;
        update_in(&mut tx, actor, id, new).await?;
        if let Some(status) = cancel {
            super::request_status::cancel_in(&mut tx, actor, id, status).await?;
        }
        tx.commit().await?;
        self.request(Scope::All, id).await
    }

    pub async fn delete_request(&self, actor: Actor, id: Id) -> Result<(), StoreError> {
        self.delete_row(actor, "requests", crate::domain::AuditEntity::Request, id)
            .await
    }
}

async fn update_in(tx: &mut Tx, actor: Actor, id: Id, new: &NewRequest) -> Result<(), StoreError> {
    check_refs(tx, Some(id), new).await?;
    let sql = "UPDATE requests SET organisation_id = $1, date = $2, kind = $3, \
         person_id = $4, from_place_id = $5, to_place_id = $6, window_at = $7, \
         window_start = $8, window_end = $9, load = $10, skills = $11, \
         service_minutes = $12, max_ride_minutes = $13, outbound_id = $14, \
         after_minutes = $15, same_vehicle = $16, purpose = $17, notes = $18, status = $19, \
         pickup_at = $20, appointment = $21, companions = $22, way_back = $23 \
         WHERE id = $24";
    let n = bind_input(sqlx::query(sql), new)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound("request"));
    }
    record(
        tx,
        actor,
        AuditAction::Update,
        AuditEntity::Request,
        Some(id),
        None,
    )
    .await
}
