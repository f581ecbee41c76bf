//! Everything the board shows for one date, fetched once per page from the same
//! store functions the API uses, with lookups by id.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::api::{AppError, AppState};
use crate::domain::live::LivePlan;
use crate::domain::ride_policy::RidePolicy;
use crate::domain::PlanStatus;
use crate::domain::{Id, Organisation, Person, Place, Plan, Request, Shift, Vehicle, Volunteer};
use crate::service::live;
use crate::store::{Scope, SolveRecord, StoreError};

pub struct Day {
    pub requests: Vec<Request>,
    /// The newest revision, draft or published.
    pub plan: Option<Plan>,
    /// The revision drivers follow, when it is not `plan` itself.
    pub published: Option<Plan>,
    pub solve: Option<SolveRecord>,
    pub vehicles: Vec<Vehicle>,
    /// The date's shifts, for the services a route's shift keeps to.
    pub shifts: Vec<Shift>,
    places: HashMap<Id, Place>,
    people: HashMap<Id, Person>,
    pub organisations: Vec<Organisation>,
    volunteers: HashMap<Id, Volunteer>,
    /// The day as it runs (`service::live`), when `plan` is the published revision.
    pub live: Option<LivePlan>,
    /// How promised windows are told, for the changes against `published`.
    pub policy: RidePolicy,
}

/// `NotFound` is an answer here (no plan yet, never solved), not an error.
fn optional<T>(r: Result<T, StoreError>) -> Result<Option<T>, AppError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(StoreError::NotFound(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

impl Day {
    pub async fn load(state: &AppState, date: NaiveDate) -> Result<Self, AppError> {
        let store = &state.store;
        let plan = optional(store.plan(date, None).await)?;
        let published = store
            .published_plan(date)
            .await?
            .filter(|r| plan.as_ref().is_none_or(|p| p.revision != r.revision));
        let requests = store.requests(Scope::All, Some(date)).await?;
        let vehicles = store.vehicles().await?;
        let live = match &plan {
            Some(p) if p.status == PlanStatus::Published => {
                let events = store.events_of_date(date).await?;
                Some(live::assemble(
                    p,
                    &requests,
                    &events,
                    &vehicles,
                    chrono::Utc::now(),
                ))
            }
            _ => None,
        };
        Ok(Self {
            requests,
            plan,
            published,
            solve: optional(store.latest_solve(date).await)?,
            vehicles,
            live,
            policy: store.ride_policy().await?,
            shifts: store.shifts(Some(date)).await?,
            places: by_id(store.places(Scope::All).await?, |p| p.id),
            people: by_id(store.people(Scope::All).await?, |p| p.id),
            organisations: store.organisations(Scope::All).await?,
            volunteers: by_id(store.volunteers().await?, |v| v.id),
        })
    }

    pub fn place(&self, id: Id) -> Option<&Place> {
        self.places.get(&id)
    }

    pub fn person(&self, id: Option<Id>) -> Option<&Person> {
        id.and_then(|id| self.people.get(&id))
    }

    pub fn volunteer(&self, id: Option<Id>) -> Option<&Volunteer> {
        id.and_then(|id| self.volunteers.get(&id))
    }

    pub fn vehicle(&self, id: Id) -> Option<&Vehicle> {
        self.vehicles.iter().find(|v| v.id == id)
    }

    pub fn shift(&self, id: Option<Id>) -> Option<&Shift> {
        id.and_then(|id| self.shifts.iter().find(|s| s.id == id))
    }

    pub fn request(&self, id: Id) -> Option<&Request> {
        self.requests.iter().find(|r| r.id == id)
    }

    pub fn organisation_name(&self, id: Id) -> &str {
        self.organisations
            .iter()
            .find(|o| o.id == id)
            .map_or("", |o| o.name.as_str())
    }

    pub fn place_name(&self, id: Id) -> &str {
        self.place(id).map_or("", |p| p.name.as_str())
    }
}

fn by_id<T>(rows: Vec<T>, id: impl Fn(&T) -> Id) -> HashMap<Id, T> {
    rows.into_iter().map(|r| (id(&r), r)).collect()
}
