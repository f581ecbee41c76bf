//! "It would fit on another day", for rides no change of their own day lets
//! in: the same ride on each of the next service days in turn, fitted against
//! that day's newest plan, or a short search of the day when it has none.
//! Here rather than in the pure planner because it reads other dates.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};

use super::day::Records;
use super::AppState;
use crate::domain::fits_if::{on_day, other_days, OTHER_DAYS};
use crate::domain::{FitsIf, Id, Request, Route as PlanRoute};
use crate::planning;
use crate::store::StoreError;

/// All the rides of one solve together: another day is the last resort,
/// and a day's records, travel times and a search each take a while.
const TOTAL: Duration = Duration::from_secs(3);
/// One search of a day that has no plan yet.
const SEARCH: Duration = Duration::from_millis(500);

/// Another day for each ride of `records` in `ids`, by request id; a ride
/// and its way back both left out are moved together and get the same day.
pub async fn other_day(
    state: &AppState,
    records: &Records,
    ids: &[Id],
    now: NaiveDateTime,
) -> Vec<(Id, FitsIf)> {
    let started = Instant::now();
    let Some(last) = records.date.checked_add_days(chrono::Days::new(OTHER_DAYS)) else {
        return Vec::new();
    };
    let calendar = match state.store.calendar(records.date, last).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("another day not tried: {e}");
            return Vec::new();
        }
    };
    let days = other_days(records.date, &calendar);
    let mut others = Others::new(state);
    let mut found = Vec::new();
    for group in groups(records, ids) {
        for &date in &days {
            let left = TOTAL.saturating_sub(started.elapsed());
            if left.is_zero() {
                return found;
            }
            match others.fits(&group, date, now, left.min(SEARCH)).await {
                Ok(true) => {
                    found.extend(group.iter().map(|r| (r.id, FitsIf::OtherDay { date })));
                    break;
                }
                Ok(false) => {}
                Err(e) => tracing::warn!("another day: {date} not tried: {e}"),
            }
        }
    }
    found
}

/// The rides to move together: each left-out ride with its way back when
/// that was left out too.
fn groups<'a>(records: &'a Records, ids: &[Id]) -> Vec<Vec<&'a Request>> {
    let of = |id: Id| records.requests.iter().find(|r| r.id == id);
    let mut out: Vec<Vec<&Request>> = Vec::new();
    for &id in ids {
        let Some(r) = of(id) else { continue };
        if r.return_of
            .as_ref()
            .is_some_and(|b| ids.contains(&b.request_id))
        {
            continue; // moved with its outbound
        }
        let back = records.requests.iter().find(|b| {
            b.return_of.as_ref().is_some_and(|l| l.request_id == id) && ids.contains(&b.id)
        });
        out.push(std::iter::once(r).chain(back).collect());
    }
    out
}

/// Other dates' records and newest plans, each read once.
struct Others<'s> {
    state: &'s AppState,
    days: HashMap<NaiveDate, (Records, Option<Vec<PlanRoute>>)>,
}

impl<'s> Others<'s> {
    fn new(state: &'s AppState) -> Self {
        Self {
            state,
            days: HashMap::new(),
        }
    }

    /// Whether `group`, moved to `date`, fits there.
    async fn fits(
        &mut self,
        group: &[&Request],
        date: NaiveDate,
        now: NaiveDateTime,
        search: Duration,
    ) -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
        let Some(moved) = group
            .iter()
            .map(|r| on_day(r, date, now))
            .collect::<Option<Vec<_>>>()
        else {
            return Ok(false);
        };
        let state = self.state;
        let (records, plan) = self.day(date).await?;
        // Nobody on duty: nothing to fit into (a vehicle called in is a
        // change of that day, not this one's).
        if records.shifts.is_empty() {
            return Ok(false);
        }
        let mut requests = records.requests.clone();
        requests.extend(moved);
        let day = planning::Day {
            requests: &requests,
            ..records.day()
        };
        let (ids, points) = planning::locations(&day)?;
        let matrix = state.travel.matrix(&points).await?;
        let built = planning::build(&day, &ids, &matrix)?;
        let plan = plan.clone();
        let ids: Vec<Id> = group.iter().map(|r| r.id).collect();
        let fits = tokio::task::spawn_blocking(move || {
            planning::fits_on(&built, plan.as_deref(), &ids, search)
        })
        .await?;
        Ok(fits)
    }

    async fn day(
        &mut self,
        date: NaiveDate,
    ) -> Result<&(Records, Option<Vec<PlanRoute>>), StoreError> {
        if !self.days.contains_key(&date) {
            let records = Records::load(self.state, date).await?;
            let plan = match self.state.store.plan(date, None).await {
                Ok(p) => Some(p.routes),
                Err(StoreError::NotFound(_)) => None,
                Err(e) => return Err(e),
            };
            self.days.insert(date, (records, plan));
        }
        Ok(&self.days[&date])
    }
}
