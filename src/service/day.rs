//! A date's records and the problem they make, as solves and edits need them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::{AppState, ServiceError};
use crate::blocking::{self, ShuttingDown};
use crate::domain::meals::MealSettings;
use crate::domain::ride_policy::RidePolicy;
use crate::domain::surplus::{Donor, SurplusSettings};
use crate::domain::{Id, Organisation, Person, Place, Request, Shift, Vehicle, VehicleBlock};
use crate::planning::{self, Built, Day, PlanningError};
use crate::store::{Scope, StoreError};
use crate::travel::TravelError;

#[derive(Debug, thiserror::Error)]
pub enum DayError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("travel times: {0}")]
    Travel(#[from] TravelError),
    #[error("the day's data does not make a valid problem: {0}")]
    Planning(#[from] PlanningError),
    #[error(transparent)]
    ShuttingDown(#[from] ShuttingDown),
}

impl From<DayError> for ServiceError {
    fn from(e: DayError) -> Self {
        match e {
            DayError::Store(e) => Self::Store(e),
            DayError::Travel(_) | DayError::ShuttingDown(_) => Self::Busy(e.to_string()),
            DayError::Planning(_) => Self::Conflict(e.to_string()),
        }
    }
}

/// A date's records, as the store holds them.
pub struct Records {
    pub date: NaiveDate,
    pub requests: Vec<Request>,
    pub places: Vec<Place>,
    pub people: Vec<Person>,
    pub vehicles: Vec<Vehicle>,
    pub shifts: Vec<Shift>,
    pub organisations: Vec<Organisation>,
    pub blocks: Vec<VehicleBlock>,
    pub policy: RidePolicy,
    pub meals: MealSettings,
    /// The meal requests of priority recipients.
    pub priority_meals: BTreeSet<Id>,
    /// The volunteer each meal request's recipient would rather see.
    pub preferred_volunteers: BTreeMap<Id, Id>,
    pub surplus: SurplusSettings,
    pub donors: Vec<Donor>,
}

impl Records {
    pub async fn load(state: &AppState, date: NaiveDate) -> Result<Self, StoreError> {
        let store = &state.store;
        let wishes = store.meal_wishes(date).await?;
        Ok(Self {
            date,
            requests: store.requests(Scope::All, Some(date)).await?,
            places: store.places(Scope::All).await?,
            people: store.people(Scope::All).await?,
            vehicles: store.vehicles().await?,
            shifts: store.shifts(Some(date)).await?,
            organisations: store.organisations(Scope::All).await?,
            blocks: store.vehicle_blocks(Scope::All, Some(date)).await?,
            policy: store.ride_policy().await?,
            meals: store.meal_settings().await?,
            priority_meals: wishes.priority,
            preferred_volunteers: wishes.preferred_volunteers,
            surplus: store.surplus_settings().await?,
            donors: store.donors().await?,
        })
    }

    /// The records as the planner reads them.
    pub fn day(&self) -> Day<'_> {
        Day {
            policy: &self.policy,
            date: self.date,
            requests: &self.requests,
            places: &self.places,
            people: &self.people,
            vehicles: &self.vehicles,
            shifts: &self.shifts,
            organisations: &self.organisations,
            blocks: &self.blocks,
            meals: &self.meals,
            priority_meals: &self.priority_meals,
            preferred_volunteers: &self.preferred_volunteers,
            surplus: &self.surplus,
            donors: &self.donors,
        }
    }
}

/// The date's problem with its travel matrix, and where the times came from.
pub async fn problem(state: &AppState, date: NaiveDate) -> Result<(Built, String), DayError> {
    let (_, built, source) = records_and_problem(state, date).await?;
    Ok((built, source))
}

/// As `problem`, with the records it was made from.
pub async fn records_and_problem(
    state: &AppState,
    date: NaiveDate,
) -> Result<(Records, Built, String), DayError> {
    let records = Records::load(state, date).await?;
    let (place_ids, points) = planning::locations(&records.day())?;
    let matrix = state.travel.matrix(&points).await?;
    // Building a large day is CPU work: off the async threads.
    blocking::run(move || {
        let built = planning::build(&records.day(), &place_ids, &matrix)?;
        Ok((records, built, matrix.source))
    })
    .await?
}
