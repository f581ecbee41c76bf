//! A date's records and the problem they make, as solves and edits need them.

use chrono::NaiveDate;

use super::{AppState, ServiceError};
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
}

impl From<DayError> for ServiceError {
    fn from(e: DayError) -> Self {
        match e {
            DayError::Store(e) => Self::Store(e),
            DayError::Travel(_) => Self::Busy(e.to_string()),
            DayError::Planning(_) => Self::Conflict(e.to_string()),
        }
    }
}

/// The date's problem with its travel matrix, and where the times came from.
pub async fn problem(state: &AppState, date: NaiveDate) -> Result<(Built, String), DayError> {
    let store = &state.store;
    let requests = store.requests(Scope::All, Some(date)).await?;
    let places = store.places(Scope::All).await?;
    let people = store.people(Scope::All).await?;
    let vehicles = store.vehicles().await?;
    let shifts = store.shifts(Some(date)).await?;
    let organisations = store.organisations(Scope::All).await?;
    let blocks = store.vehicle_blocks(Scope::All, Some(date)).await?;
    let policy = store.ride_policy().await?;
    let day = Day {
        policy: &policy,
        date,
        requests: &requests,
        places: &places,
        people: &people,
        vehicles: &vehicles,
        shifts: &shifts,
        organisations: &organisations,
        blocks: &blocks,
    };
    let (place_ids, points) = planning::locations(&day)?;
    let matrix = state.travel.matrix(&points).await?;
    let built = planning::build(&day, &place_ids, &matrix)?;
    Ok((built, matrix.source))
}
