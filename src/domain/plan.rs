//! A plan: one revision of a date's routes, draft or published.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::person::str_enum;
use super::{Clock, FitsIf, Id, NewViolation, PlanViolation, StopKey, StopState, UnassignedReason};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Being prepared: drivers never see it.
    Draft,
    /// What drivers follow.
    Published,
    /// An earlier published revision.
    Superseded,
}

str_enum!(PlanStatus { Draft => "draft", Published => "published", Superseded => "superseded" });

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[schema(as = StopRole)]
pub enum Role {
    Pickup,
    Dropoff,
}

str_enum!(Role { Pickup => "pickup", Dropoff => "dropoff" });

/// What the solver reported, kept with the plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Figures {
    pub cost: f64,
    pub distance_km: f64,
    /// Minutes on the road summed over routes.
    pub duration_min: f64,
    pub solve_seconds: f64,
    /// `haversine` or `osrm`.
    pub travel_source: String,
    /// The core's checker passed the plan.
    pub feasible: bool,
    /// No plan of the day costs less: the exact step proved it (one vehicle,
    /// a handful of rides).
    #[serde(default)]
    pub proved_optimal: bool,
    pub violations: Vec<PlanViolation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlanUnassigned {
    pub request_id: Id,
    pub reason: UnassignedReason,
    /// The smallest change that would let it in, found against this plan
    /// when it was solved; `null` when none was found or none was sought
    /// (taken out by hand, or the plan edited since).
    #[serde(default)]
    pub fits_if: Option<FitsIf>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PlanStop {
    /// 0 for a stop an unsaved edit changed (see `EditOutcome`).
    #[schema(value_type = i64, minimum = 0)]
    pub id: Id,
    /// The stop's identity across revisions.
    #[schema(value_type = String, example = "42-pickup")]
    pub key: StopKey,
    pub seq: i64,
    pub request_id: Id,
    pub role: Role,
    pub place_id: Id,
    /// Minutes after midnight, exact as planned.
    pub arrival_min: f64,
    pub start_min: f64,
    pub departure_min: f64,
    /// Start of service, to the minute, for people.
    #[schema(value_type = String, example = "08:42")]
    pub time: Clock,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Route {
    pub id: Id,
    pub shift_id: Option<Id>,
    pub vehicle_id: Id,
    pub volunteer_id: Option<Id>,
    pub layout: String,
    pub start_min: f64,
    pub end_min: f64,
    pub distance_km: f64,
    /// Kept as it is by the next solves.
    pub locked: bool,
    pub stops: Vec<PlanStop>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Plan {
    pub id: Id,
    pub date: NaiveDate,
    /// 1, 2, … for each new solve or edit of a published plan.
    pub revision: i64,
    pub status: PlanStatus,
    /// Changes with every edit; send it back to edit or publish.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub figures: Figures,
    pub routes: Vec<Route>,
    pub unassigned: Vec<PlanUnassigned>,
}

/// A plan as the planner produces it, before it has ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewPlan {
    /// Its violations come separately, naming routes by position.
    pub figures: Figures,
    pub routes: Vec<NewRoute>,
    pub unassigned: Vec<PlanUnassigned>,
    pub violations: Vec<NewViolation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewRoute {
    pub shift_id: Option<Id>,
    pub vehicle_id: Id,
    pub volunteer_id: Option<Id>,
    pub layout: String,
    pub start_min: f64,
    pub end_min: f64,
    pub distance_km: f64,
    pub locked: bool,
    pub stops: Vec<NewStop>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewStop {
    pub request_id: Id,
    pub role: Role,
    pub place_id: Id,
    pub arrival_min: f64,
    pub start_min: f64,
    pub departure_min: f64,
}

/// A dispatcher's change to one route of a plan.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteEdit {
    /// The plan version the edit was made on; a stale one gets 409.
    pub version: i64,
    /// Who drives the route; `null` leaves it without a driver.
    pub volunteer_id: Option<Id>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishInput {
    pub revision: i64,
    pub version: i64,
}

/// What a driver sees at a stop: enough to do the job, nothing more.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ManifestStop {
    pub stop_id: Id,
    /// Report events on this key: it stays the same when the plan is re-published.
    #[schema(value_type = String, example = "42-pickup")]
    pub key: StopKey,
    pub seq: i64,
    #[schema(value_type = String, example = "08:42")]
    pub time: Clock,
    pub role: Role,
    /// `ride`, `meal` or `collection`.
    pub kind: String,
    /// `active`, or `cancelled` since the plan was published.
    pub status: String,
    pub place_name: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub person_name: Option<String>,
    pub phone: Option<String>,
    pub mobility: Option<String>,
    pub assistance: Option<String>,
    pub driver_notes: Option<String>,
    /// The booking's notes: for a meal, the diets and what to do at the door.
    pub request_notes: Option<String>,
    pub load: std::collections::BTreeMap<String, u32>,
    /// What was last reported here, so a reloaded page shows what is done.
    pub state: Option<StopState>,
}

impl ManifestStop {
    /// What the driver reads at the door: the person's standing notes, then
    /// the booking's (for a meal, its diets and what to do at the door).
    pub fn notes(&self) -> Option<String> {
        let parts: Vec<&str> = [&self.driver_notes, &self.request_notes]
            .into_iter()
            .flatten()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" — "))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ManifestRoute {
    pub route_id: Id,
    pub vehicle_id: Id,
    pub vehicle_name: String,
    pub layout: String,
    #[schema(value_type = String, example = "07:30")]
    pub start: Clock,
    #[schema(value_type = String, example = "13:00")]
    pub end: Clock,
    pub stops: Vec<ManifestStop>,
}

/// A driver's day: the published routes he or she drives.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Manifest {
    pub date: NaiveDate,
    pub revision: Option<i64>,
    pub routes: Vec<ManifestRoute>,
}
