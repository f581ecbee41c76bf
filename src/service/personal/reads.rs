//! The audited reads (one person's record through the API is audited by
//! `api::people`'s `get`). Lists (`GET /people`, the recipients' list) leave no
//! line per person: they show names and needs at a glance, where the record
//! read is the one that opens a person (or a driver's day). One read is one
//! line, written after the read succeeded: a 404 or 403 reads nothing.

use chrono::NaiveDate;

use crate::domain::calendar::RouteSpan;
use crate::domain::{AuditAction, AuditEntity, Id, Manifest};
use crate::store::{Actor, Store, StoreError};

/// A person's record seen on a page through another record (a meal
/// recipient's form): the line names the person.
pub async fn person_seen(store: &Store, actor: Actor, person_id: Id) -> Result<(), StoreError> {
    store
        .note(
            actor,
            AuditAction::Read,
            AuditEntity::Person,
            Some(person_id),
            None,
        )
        .await
}

/// A volunteer's manifest of a date (JSON, route sheet CSV or the driver's
/// page): the line names the volunteer and the date.
pub async fn manifest(
    store: &Store,
    actor: Actor,
    volunteer_id: Id,
    date: NaiveDate,
) -> Result<Manifest, StoreError> {
    let m = store.manifest(volunteer_id, date).await?;
    store
        .note(
            actor,
            AuditAction::Read,
            AuditEntity::Manifest,
            Some(volunteer_id),
            Some(date.to_string()),
        )
        .await?;
    Ok(m)
}

/// Every driver's route sheets of a date on one page: one line, no volunteer.
pub async fn route_sheets(store: &Store, actor: Actor, date: NaiveDate) -> Result<(), StoreError> {
    store
        .note(
            actor,
            AuditAction::Read,
            AuditEntity::Manifest,
            None,
            Some(date.to_string()),
        )
        .await
}

/// A volunteer's published routes from `from` to `to` for the calendar feed
/// (API or the driver's link): one line naming the volunteer and the range,
/// as a manifest read.
pub async fn calendar(
    store: &Store,
    actor: Actor,
    volunteer_id: Id,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<RouteSpan>, StoreError> {
    let spans = store.route_spans(volunteer_id, from, to).await?;
    store
        .note(
            actor,
            AuditAction::Read,
            AuditEntity::Manifest,
            Some(volunteer_id),
            Some(format!("calendar {from}..{to}")),
        )
        .await?;
    Ok(spans)
}
