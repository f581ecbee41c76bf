//! A request's lifecycle in the store: read from its status, the published
//! plan and the drivers' events (`domain::lifecycle` decides); written by
//! cancelling, a no-show, keeping a way back and a will-call rider's call,
//! each with its way back in the same transaction.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use sqlx::Row;

use super::audit::record;
use super::{json, now, parse_date, parse_instant, Actor, Store, StoreError, Tx};
use crate::domain::lifecycle::{self, CancelCause, Facts};
use crate::domain::{
    latest_states, Id, PlanUnassigned, Request, RequestStatus, StopEvent, StopEventKind, StopKey,
    StopRole, UnassignedReason, WayBack, Window,
};
use crate::domain::{AuditAction, AuditEntity};

/// Statuses a request can still leave.
const OPEN: &str = "('active', 'will_call')";

/// Dates per query: far below either backend's limit on parameters.
const CHUNK: usize = 200;

/// What the lifecycle's writes leave on a request beside its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marks {
    pub cause: Option<CancelCause>,
    /// The association keeps the way back whatever happens to its outbound.
    pub keep_return: bool,
    /// A will-call rider has called.
    pub called: bool,
}

fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why the date's published plan left each request out.
async fn left_out(
    store: &Store,
    dates: &[String],
) -> Result<HashMap<Id, UnassignedReason>, StoreError> {
    let sql = format!(
        "SELECT unassigned FROM plans WHERE status = 'published' AND date IN ({})",
        placeholders(dates.len())
    );
    let mut q = sqlx::query(&sql);
    for d in dates {
        q = q.bind(d);
    }
    let mut out = HashMap::new();
    for row in q.fetch_all(&store.pool).await? {
        let list: Vec<PlanUnassigned> = json(&row.try_get::<String, _>("unassigned")?)?;
        out.extend(list.into_iter().map(|u| (u.request_id, u.reason)));
    }
    Ok(out)
}

/// The events of the dates, enough of each for `latest_states`.
async fn events(store: &Store, dates: &[String]) -> Result<Vec<StopEvent>, StoreError> {
    let sql = format!(
        "SELECT id, date, request_id, role, kind, at FROM stop_events WHERE date IN ({})",
        placeholders(dates.len())
    );
    let mut q = sqlx::query(&sql);
    for d in dates {
        q = q.bind(d);
    }
    q.fetch_all(&store.pool)
        .await?
        .iter()
        .map(|r| {
            let (role, kind): (String, String) = (r.try_get("role")?, r.try_get("kind")?);
            let bad = |what: &str, v: &str| StoreError::Corrupt(format!("event {what} {v:?}"));
            let at = parse_instant(&r.try_get::<String, _>("at")?)?;
            Ok(StopEvent {
                id: r.try_get("id")?,
                date: parse_date(&r.try_get::<String, _>("date")?)?,
                key: StopKey::new(
                    r.try_get("request_id")?,
                    StopRole::parse(&role).ok_or_else(|| bad("role", &role))?,
                ),
                stop_id: None,
                kind: StopEventKind::parse(&kind).ok_or_else(|| bad("kind", &kind))?,
                at,
                received_at: at,
                note: None,
                kg: None,
                client_id: None,
                user_id: None,
            })
        })
        .collect()
}

/// Cancels the open way back of `outbound` (unless kept), with its audit line.
async fn cascade(
    tx: &mut Tx,
    actor: Actor,
    outbound: Id,
    status: RequestStatus,
    cause: CancelCause,
) -> Result<(), StoreError> {
    let ids = sqlx::query(&format!(
        "UPDATE requests SET status = $1, cancelled_at = $2, cancel_cause = $3 \
         WHERE outbound_id = $4 AND status IN {OPEN} AND keep_return = 0 RETURNING id"
    ))
    .bind(status.as_str())
    .bind(now())
    .bind(cause.as_str())
    .bind(outbound)
    .fetch_all(&mut **tx)
    .await?;
    for row in ids {
        let id: Id = row.try_get("id")?;
        let detail = format!("{} with request {outbound}", status.as_str());
        record(
            tx,
            actor,
            AuditAction::Cancel,
            AuditEntity::Request,
            Some(id),
            Some(detail),
        )
        .await?;
    }
    Ok(())
}

/// Sets a status on one request if its status is one of `from`; whether it did.
async fn set_status(
    tx: &mut Tx,
    id: Id,
    from: &str,
    status: RequestStatus,
    cause: Option<CancelCause>,
) -> Result<bool, StoreError> {
    let cancelled_at = cause.map(|_| now());
    let n = sqlx::query(&format!(
        "UPDATE requests SET status = $1, cancelled_at = $2, cancel_cause = $3 \
         WHERE id = $4 AND status IN {from}"
    ))
    .bind(status.as_str())
    .bind(cancelled_at)
    .bind(cause.map(CancelCause::as_str))
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// Cancels an open request with `status`, and its way back with it.
pub(super) async fn cancel_in(
    tx: &mut Tx,
    actor: Actor,
    id: Id,
    status: RequestStatus,
) -> Result<(), StoreError> {
    if !set_status(tx, id, OPEN, status, Some(CancelCause::Asked)).await? {
        return Err(changed());
    }
    let detail = Some(status.as_str().into());
    record(
        tx,
        actor,
        AuditAction::Cancel,
        AuditEntity::Request,
        Some(id),
        detail,
    )
    .await?;
    cascade(tx, actor, id, status, CancelCause::WithOutbound).await
}

fn changed() -> StoreError {
    StoreError::Conflict("the request changed meanwhile; read it again".into())
}

impl Store {
    /// Fills in each request's lifecycle: one read of the policy, the
    /// published plans and the events of the dates involved.
    pub(crate) async fn settle_lifecycles(
        &self,
        requests: &mut [Request],
    ) -> Result<(), StoreError> {
        if requests.is_empty() {
            return Ok(());
        }
        let policy = self.ride_policy().await?;
        let dates: BTreeSet<NaiveDate> = requests.iter().map(|r| r.date).collect();
        let dates: Vec<String> = dates.iter().map(NaiveDate::to_string).collect();
        let (mut out, mut all) = (HashMap::new(), Vec::new());
        for chunk in dates.chunks(CHUNK) {
            out.extend(left_out(self, chunk).await?);
            all.extend(events(self, chunk).await?);
        }
        let states = latest_states(&all);
        let kind = |id, role| states.get(&StopKey::new(id, role)).map(|s| s.kind);
        for r in requests {
            let facts = Facts {
                promised_pickup: r.promised_pickup,
                left_out: out.get(&r.id).copied(),
                pickup: kind(r.id, StopRole::Pickup),
                dropoff: kind(r.id, StopRole::Dropoff),
            };
            r.lifecycle = lifecycle::lifecycle(r.status, &facts, &policy);
        }
        Ok(())
    }

    pub async fn request_marks(&self, id: Id) -> Result<Marks, StoreError> {
        let row =
            sqlx::query("SELECT cancel_cause, keep_return, called_at FROM requests WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(StoreError::NotFound("request"))?;
        let cause: Option<String> = row.try_get("cancel_cause")?;
        let keep: i64 = row.try_get("keep_return")?;
        let called: Option<String> = row.try_get("called_at")?;
        Ok(Marks {
            cause: cause
                .map(|c| {
                    CancelCause::parse(&c)
                        .ok_or_else(|| StoreError::Corrupt(format!("cancel cause {c:?}")))
                })
                .transpose()?,
            keep_return: keep != 0,
            called: called.is_some(),
        })
    }

    /// The way back booked with `outbound`, if any.
    pub async fn way_back_id(&self, outbound: Id) -> Result<Option<Id>, StoreError> {
        Ok(
            sqlx::query("SELECT id FROM requests WHERE outbound_id = $1")
                .bind(outbound)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get("id"))
                .transpose()?,
        )
    }

    /// Cancels an open request as `status` and, in the same transaction, its
    /// open way back (unless the association keeps it). A request no longer
    /// open is a conflict.
    pub async fn cancel_request(
        &self,
        actor: Actor,
        id: Id,
        status: RequestStatus,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        cancel_in(&mut tx, actor, id, status).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The rider missed the pickup of an active ride: a no-show, and its way
    /// back cancelled unless kept. Nothing happens to a request not active.
    pub async fn mark_no_show(&self, actor: Actor, id: Id) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        if set_status(&mut tx, id, "('active')", RequestStatus::NoShow, None).await? {
            record(
                &mut tx,
                actor,
                AuditAction::NoShow,
                AuditEntity::Request,
                Some(id),
                None,
            )
            .await?;
            let cause = CancelCause::OutboundNoShow;
            cascade(&mut tx, actor, id, RequestStatus::Cancelled, cause).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The driver took back a no-show: the ride is active again, and so is
    /// the way back the no-show cancelled.
    pub async fn undo_no_show(&self, actor: Actor, id: Id) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        if set_status(&mut tx, id, "('no_show')", RequestStatus::Active, None).await? {
            record(
                &mut tx,
                actor,
                AuditAction::UndoNoShow,
                AuditEntity::Request,
                Some(id),
                None,
            )
            .await?;
            let backs = sqlx::query(
                "SELECT id, way_back, called_at FROM requests WHERE outbound_id = $1 \
                 AND status = 'cancelled' AND cancel_cause = $2",
            )
            .bind(id)
            .bind(CancelCause::OutboundNoShow.as_str())
            .fetch_all(&mut *tx)
            .await?;
            for b in backs {
                let back: Id = b.try_get("id")?;
                let rule: Option<WayBack> = b
                    .try_get::<Option<String>, _>("way_back")?
                    .map(|w| json(&w))
                    .transpose()?;
                let called = b.try_get::<Option<String>, _>("called_at")?.is_some();
                let status = lifecycle::restored_status(rule, called);
                set_status(&mut tx, back, "('cancelled')", status, None).await?;
                record(
                    &mut tx,
                    actor,
                    AuditAction::Restore,
                    AuditEntity::Request,
                    Some(back),
                    None,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The association keeps way back `id`: flagged so that its outbound
    /// no longer cancels it, and, with `restore`, back from a cancellation
    /// its outbound caused.
    pub async fn keep_return(
        &self,
        actor: Actor,
        id: Id,
        restore: Option<RequestStatus>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let keep =
            format!("UPDATE requests SET keep_return = 1 WHERE id = $1 AND status IN {OPEN}");
        let n = match restore {
            None => sqlx::query(&keep).bind(id),
            Some(status) => sqlx::query(
                "UPDATE requests SET keep_return = 1, status = $1, cancelled_at = NULL, \
                 cancel_cause = NULL WHERE id = $2 AND status IN ('cancelled', 'cancelled_late') \
                 AND cancel_cause IN ($3, $4)",
            )
            .bind(status.as_str())
            .bind(id)
            .bind(CancelCause::WithOutbound.as_str())
            .bind(CancelCause::OutboundNoShow.as_str()),
        }
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(changed());
        }
        let detail = restore.map(|s| format!("restored as {}", s.as_str()));
        record(
            &mut tx,
            actor,
            AuditAction::KeepReturn,
            AuditEntity::Request,
            Some(id),
            detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A will-call rider called: the request is active with this pickup window.
    pub async fn activate_call(
        &self,
        actor: Actor,
        id: Id,
        window: Window,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let n = sqlx::query(
            "UPDATE requests SET status = 'active', window_start = $1, window_end = $2, \
             called_at = $3 WHERE id = $4 AND status = 'will_call'",
        )
        .bind(window.start.minutes())
        .bind(window.end.minutes())
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(changed());
        }
        let detail = format!("pickup {}-{}", window.start, window.end);
        record(
            &mut tx,
            actor,
            AuditAction::Call,
            AuditEntity::Request,
            Some(id),
            Some(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
