//! What happens to a request after booking: the association cancels it (its
//! way back goes with it), keeps a way back, or reports a will-call rider's
//! call; a driver's no-show at the pickup cancels the way back. The rules are
//! in `domain::lifecycle`; a member reaches only its association's requests.

use chrono::{NaiveDate, NaiveDateTime};

use super::ServiceError;
use crate::domain::lifecycle::{self, Lifecycle};
use crate::domain::{
    latest_states, Clock, Id, Request, RequestKind, RequestStatus, StopKey, StopRole,
};
use crate::store::{Actor, Scope, Store, StoreError};

fn too_late(r: &Request, what: &str) -> ServiceError {
    ServiceError::Conflict(format!(
        "request {} is {}: it can no longer be {what}",
        r.id,
        r.lifecycle.name()
    ))
}

/// Cancels request `id` at `now`, late or on time by the policy's cut-off
/// before its pickup, with its way back. Cancelling again changes nothing.
pub async fn cancel(
    store: &Store,
    actor: Actor,
    scope: Scope,
    id: Id,
    now: NaiveDateTime,
) -> Result<Request, ServiceError> {
    let r = store.request(scope, id).await?;
    match r.lifecycle {
        Lifecycle::Cancelled | Lifecycle::CancelledLate => return Ok(r),
        Lifecycle::OnBoard | Lifecycle::Completed | Lifecycle::NoShow => {
            return Err(too_late(&r, "cancelled"))
        }
        _ => {}
    }
    let policy = store.ride_policy().await?;
    let pickup = lifecycle::cancel_reference(r.status, r.promised_pickup, r.window);
    let status = lifecycle::cancellation(now, r.date, pickup, &policy.cancel);
    store.cancel_request(actor, id, status).await?;
    Ok(store.request(scope, id).await?)
}

/// Keeps the way back of ride `id` (or way back `id` itself) whatever
/// happens to its outbound; one its outbound already cancelled comes back,
/// unless its window is over. Answers the way back.
pub async fn keep_return(
    store: &Store,
    actor: Actor,
    scope: Scope,
    id: Id,
    now: NaiveDateTime,
) -> Result<Request, ServiceError> {
    let r = store.request(scope, id).await?;
    let back = if r.return_of.is_some() {
        r
    } else {
        let back = store.way_back_id(id).await?.ok_or_else(|| {
            ServiceError::Conflict(format!("request {id} has no way back to keep"))
        })?;
        store.request(scope, back).await?
    };
    let marks = store.request_marks(back.id).await?;
    match back.status {
        RequestStatus::Active | RequestStatus::WillCall if marks.keep_return => {}
        RequestStatus::Active | RequestStatus::WillCall => {
            store.keep_return(actor, back.id, None).await?;
        }
        RequestStatus::Cancelled | RequestStatus::CancelledLate
            if marks.cause.is_some_and(|c| c.by_outbound()) =>
        {
            if !lifecycle::restorable(now, back.date, back.window) {
                return Err(ServiceError::Conflict(format!(
                    "way back {} was due by {} {}: book a new ride",
                    back.id, back.date, back.window.end
                )));
            }
            let status = lifecycle::restored_status(back.way_back, marks.called);
            store.keep_return(actor, back.id, Some(status)).await?;
        }
        _ => return Err(too_late(&back, "kept")),
    }
    Ok(store.request(scope, back.id).await?)
}

/// The rider of will-call request `id` called: planned from `at` (from now
/// when not given), today only.
pub async fn call(
    store: &Store,
    actor: Actor,
    scope: Scope,
    id: Id,
    at: Option<Clock>,
    now: NaiveDateTime,
) -> Result<Request, ServiceError> {
    let r = store.request(scope, id).await?;
    if r.status != RequestStatus::WillCall {
        return Err(ServiceError::Conflict(format!(
            "request {id} is {}: only a will-call ride waits for a call",
            r.lifecycle.name()
        )));
    }
    let policy = store.ride_policy().await?;
    let window = lifecycle::call_window(now, r.date, at, &policy)?;
    store.activate_call(actor, id, window).await?;
    Ok(store.request(scope, id).await?)
}

/// After a report at a stop: a ride whose rider was not at the pickup is a
/// no-show, and its way back is cancelled unless kept; a no-show the driver
/// takes back restores both. Repeats are harmless: it follows the latest report.
pub async fn after_event(
    store: &Store,
    actor: Actor,
    date: NaiveDate,
    key: StopKey,
) -> Result<(), StoreError> {
    if key.role != StopRole::Pickup {
        return Ok(());
    }
    let events = store.events_of_key(date, key).await?;
    let Some(latest) = latest_states(&events).remove(&key) else {
        return Ok(());
    };
    let r = store.request(Scope::All, key.request_id).await?;
    if r.kind != RequestKind::Ride || r.date != date {
        return Ok(());
    }
    match lifecycle::status_after_pickup(r.status, latest.kind) {
        Some(RequestStatus::NoShow) => store.mark_no_show(actor, r.id).await,
        Some(_) => store.undo_no_show(actor, r.id).await,
        None => Ok(()),
    }
}
