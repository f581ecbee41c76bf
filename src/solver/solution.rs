//! What the solver returns: routes with their schedule, and the jobs left out.

use serde::{Deserialize, Serialize};

use super::model::{JobId, Time, VehicleId};

/// Which of a job's two stops a visit serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopRole {
    Pickup,
    Dropoff,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub job: JobId,
    pub role: StopRole,
    pub arrival: Time,
    /// Start of the visit; waiting, if any, is `start - arrival`.
    pub start: Time,
    /// The place's setup time paid here: zero when the stop time is shared
    /// with the visit before, at the same place.
    #[serde(default)]
    pub setup: Time,
    /// `start + setup + service`.
    pub departure: Time,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub vehicle: VehicleId,
    /// Index into the vehicle's layouts.
    pub layout: usize,
    /// Departure from the vehicle's start location.
    pub start: Time,
    /// Arrival at the vehicle's end location.
    pub end: Time,
    pub visits: Vec<Visit>,
    pub distance: f64,
    pub cost: f64,
}

impl Route {
    pub fn duration(&self) -> Time {
        self.end - self.start
    }
}

/// The constraint that keeps a job out of every route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// No vehicle has the skills the job needs.
    Skills,
    /// No layout of any suitable vehicle has room for the load.
    Capacity,
    /// The stops' time windows cannot be met by any suitable vehicle's shift.
    TimeWindow,
    /// The ride-time (or kitchen-to-door) limit cannot be met.
    RideTime,
    /// The route would run past the shift or its maximum duration.
    Shift,
    /// A link to another job cannot be honoured.
    Link,
    /// Feasible on its own, but no room left beside the other jobs.
    NoRoom,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unassigned {
    pub job: JobId,
    pub reason: Reason,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    pub routes: Vec<Route>,
    pub unassigned: Vec<Unassigned>,
    /// Route costs plus the priorities of the jobs left out.
    pub cost: f64,
    pub distance: f64,
    /// The exact step proved no plan cheaper (small one-vehicle days only).
    #[serde(default)]
    pub proved_optimal: bool,
}
