//! Reporting at a stop. An event names the stop by its key, so one queued on
//! a phone before a re-publish still lands; its device id makes it count once
//! however often the phone sends it.

use chrono::NaiveDate;

use super::DriverError;
use crate::domain::{
    EventInput, Id, NewEvent, PlanStatus, Role, StopEvent, StopEventInput, StopKey, User,
};
use crate::service::lifecycle;
use crate::store::{Actor, KeyedStop, Store, Stored};

/// What a report did: stored it now, or found it stored by an earlier send.
#[derive(Debug, Clone, PartialEq)]
pub enum Reported {
    Created(StopEvent),
    Repeated(StopEvent),
}

/// The stop row a user may report on for a key, newest revision first:
/// a driver only on his or her own routes of a published or superseded
/// revision (a phone may still hold the one before a re-publish); planners
/// on any revision, preferring what drivers were given.
fn reachable<'a>(user: &User, stops: &'a [KeyedStop]) -> Option<&'a KeyedStop> {
    let given = |s: &&KeyedStop| s.plan_status != PlanStatus::Draft;
    match user.role {
        Role::Driver => stops
            .iter()
            .filter(given)
            .find(|s| s.volunteer_id.is_some() && s.volunteer_id == user.volunteer_id),
        Role::Admin | Role::Dispatcher => stops.iter().find(given).or_else(|| stops.first()),
        Role::Member => None,
    }
}

async fn reach(
    store: &Store,
    user: &User,
    date: NaiveDate,
    key: StopKey,
) -> Result<KeyedStop, DriverError> {
    let stops = store.stops_of_key(date, key).await?;
    reachable(user, &stops)
        .cloned()
        .ok_or(DriverError::NotFound("stop"))
}

/// A resend is welcome only from the same user with the same content.
fn repeated(user: &User, event: &NewEvent, stored: StopEvent) -> Result<Reported, DriverError> {
    let id = event.client_id.as_deref().unwrap_or_default();
    if stored.user_id != Some(user.id) {
        return Err(DriverError::Conflict(format!(
            "event id {id:?} was already used by another user"
        )));
    }
    if !event.same_as(&stored) {
        return Err(DriverError::Conflict(format!(
            "event id {id:?} was already used for a different event"
        )));
    }
    Ok(Reported::Repeated(stored))
}

/// Stores a phone's event exactly once. A resend of a stored event is
/// answered with it before any other check, so a retry never fails because
/// the plan moved on meanwhile.
pub async fn report(
    store: &Store,
    user: &User,
    input: &EventInput,
) -> Result<Reported, DriverError> {
    let reported = store_report(store, user, input).await?;
    // The rider's lifecycle follows (a no-show cancels the way back); a resend retries it.
    lifecycle::after_event(store, Actor(Some(user.id)), input.date, input.stop).await?;
    Ok(reported)
}

async fn store_report(
    store: &Store,
    user: &User,
    input: &EventInput,
) -> Result<Reported, DriverError> {
    let event = input.event();
    event.validate()?;
    if let Some(stored) = store.event_by_client_id(&input.id).await? {
        return repeated(user, &event, stored);
    }
    let stop = reach(store, user, event.date, event.key).await?;
    event.check_kg(stop.request_kind)?;
    match store
        .store_event(Actor(Some(user.id)), Some(stop.stop_id), &event)
        .await?
    {
        Stored::New(e) => Ok(Reported::Created(e)),
        Stored::Existing(e) => repeated(user, &event, e),
    }
}

/// An event on a stop row (the older endpoint, no device id): it goes to the
/// row's key, so a row of a superseded revision still takes it.
pub async fn report_on_stop_row(
    store: &Store,
    user: &User,
    stop_id: Id,
    input: &StopEventInput,
) -> Result<StopEvent, DriverError> {
    let (date, key) = store.stop_key(stop_id).await?;
    reach(store, user, date, key).await?;
    let event = input.event(date, key, chrono::Utc::now());
    event.validate()?;
    let stored = match store
        .store_event(Actor(Some(user.id)), Some(stop_id), &event)
        .await?
    {
        Stored::New(e) | Stored::Existing(e) => e,
    };
    lifecycle::after_event(store, Actor(Some(user.id)), date, key).await?;
    Ok(stored)
}

/// The events of a stop row's key, across the date's revisions.
pub async fn events_of_stop_row(
    store: &Store,
    user: &User,
    stop_id: Id,
) -> Result<Vec<StopEvent>, DriverError> {
    let (date, key) = store.stop_key(stop_id).await?;
    reach(store, user, date, key).await?;
    Ok(store.events_of_key(date, key).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RequestKind;

    fn user(role: Role, volunteer_id: Option<Id>) -> User {
        User {
            id: 1,
            email: "x@y.z".into(),
            name: "X".into(),
            role,
            organisation_id: None,
            volunteer_id,
            active: true,
        }
    }

    fn stop(stop_id: Id, revision: i64, status: PlanStatus, volunteer: Option<Id>) -> KeyedStop {
        KeyedStop {
            stop_id,
            revision,
            plan_status: status,
            volunteer_id: volunteer,
            request_kind: RequestKind::Ride,
        }
    }

    #[test]
    fn drivers_reach_their_own_given_revisions_and_planners_any() {
        use PlanStatus::*;
        // Newest first: a draft, the published one (now someone else's), an older one of Gino's.
        let stops = [
            stop(30, 3, Draft, Some(7)),
            stop(20, 2, Published, Some(8)),
            stop(10, 1, Superseded, Some(7)),
        ];
        let gino = user(Role::Driver, Some(7));
        assert_eq!(reachable(&gino, &stops).map(|s| s.stop_id), Some(10));
        let lia = user(Role::Driver, Some(8));
        assert_eq!(reachable(&lia, &stops).map(|s| s.stop_id), Some(20));
        assert_eq!(reachable(&user(Role::Driver, Some(9)), &stops), None);
        assert_eq!(
            reachable(&user(Role::Driver, None), &[stop(1, 1, Published, None)]),
            None
        );
        let planner = user(Role::Dispatcher, None);
        assert_eq!(reachable(&planner, &stops).map(|s| s.stop_id), Some(20));
        assert_eq!(
            reachable(&planner, &stops[..1]).map(|s| s.stop_id),
            Some(30)
        );
        assert_eq!(reachable(&user(Role::Member, None), &stops), None);
        assert_eq!(reachable(&planner, &[]), None);
    }
}
