//! Requests: a ride for a person, a hot meal to a door, a pickup of surplus food.
//! Each carries what the solver needs to plan it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::person::str_enum;
use super::vehicle::{is_token, MAX_DIMENSIONS, MAX_SKILLS};
use super::{Checks, Clock, Id, Invalid, Window};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Ride,
    Meal,
    Collection,
}

/// Which end of the trip the window constrains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WindowAt {
    /// Be picked up inside the window.
    Pickup,
    /// Arrive inside the window (an appointment, the day centre opening).
    Dropoff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Active,
    Cancelled,
}

str_enum!(RequestKind { Ride => "ride", Meal => "meal", Collection => "collection" });
str_enum!(WindowAt { Pickup => "pickup", Dropoff => "dropoff" });
str_enum!(RequestStatus { Active => "active", Cancelled => "cancelled" });

/// Marks a request as the way back of an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnOf {
    pub request_id: Id,
    /// The way back starts no sooner than this after the outbound drop-off.
    #[schema(maximum = 720)]
    pub after_minutes: u32,
    /// Keep both legs in the same vehicle (a wheelchair strapped in the van).
    #[serde(default)]
    pub same_vehicle: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Request {
    pub id: Id,
    pub organisation_id: Id,
    pub date: NaiveDate,
    pub kind: RequestKind,
    pub person_id: Option<Id>,
    pub from_place_id: Id,
    pub to_place_id: Id,
    pub window_at: WindowAt,
    pub window: Window,
    pub load: BTreeMap<String, u32>,
    pub skills: Vec<String>,
    pub service_minutes: Option<u32>,
    pub max_ride_minutes: Option<u32>,
    pub return_of: Option<ReturnOf>,
    pub purpose: Option<String>,
    pub notes: Option<String>,
    pub status: RequestStatus,
    /// When the driver is due at the pickup, once the date's plan is published
    /// (`null` before, or when the plan could not fit the request in).
    #[schema(value_type = Option<String>, example = "08:40")]
    pub promised_pickup: Option<Clock>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    /// Members may leave it out: it defaults to their association.
    #[serde(default)]
    pub organisation_id: Option<Id>,
    #[serde(deserialize_with = "super::date::date")]
    pub date: NaiveDate,
    pub kind: RequestKind,
    /// The rider or meal recipient; none for a collection.
    #[serde(default)]
    pub person_id: Option<Id>,
    pub from_place_id: Id,
    pub to_place_id: Id,
    pub window_at: WindowAt,
    pub window: Window,
    /// Room taken per dimension, e.g. `{"seats": 1, "wheelchairs": 0}`; at
    /// least one above 0.
    #[schema(schema_with = super::forms::room)]
    pub load: BTreeMap<String, u32>,
    /// Equipment needed beyond what the load implies (a wheelchair implies `lift`).
    #[serde(default)]
    #[schema(schema_with = super::forms::skills)]
    pub skills: Vec<String>,
    /// Minutes at each stop; a default by kind when left out.
    #[serde(default)]
    #[schema(maximum = 120)]
    pub service_minutes: Option<u32>,
    /// Longest time on board; for hot meals, the kitchen-to-door limit.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 600)]
    pub max_ride_minutes: Option<u32>,
    /// Only for a ride.
    #[serde(default)]
    pub return_of: Option<ReturnOf>,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub purpose: Option<String>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
    #[serde(default = "active")]
    pub status: RequestStatus,
}

fn active() -> RequestStatus {
    RequestStatus::Active
}

impl RequestInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        match self.kind {
            RequestKind::Ride | RequestKind::Meal => c.require(
                self.person_id.is_some(),
                "person_id",
                "is required for a ride or a meal",
            ),
            RequestKind::Collection => c.require(
                self.person_id.is_none(),
                "person_id",
                "a collection is not for a person",
            ),
        }
        c.require(
            self.from_place_id != self.to_place_id,
            "to_place_id",
            "must differ from from_place_id",
        );
        c.window("window", &self.window);
        c.require(
            self.load.len() <= MAX_DIMENSIONS,
            "load",
            "may name at most 8 dimensions",
        );
        c.require(
            self.skills.len() <= MAX_SKILLS,
            "skills",
            "may name at most 16 skills",
        );
        c.require(
            self.load.values().any(|&v| v > 0),
            "load",
            "must take room in at least one dimension",
        );
        for (dim, &v) in &self.load {
            c.require(
                is_token(dim),
                "load",
                "dimension names must be snake_case words",
            );
            c.require(v <= 10_000, &format!("load.{dim}"), "must be at most 10000");
        }
        for (i, s) in self.skills.iter().enumerate() {
            c.require(
                is_token(s),
                &format!("skills[{i}]"),
                "must be a snake_case word",
            );
        }
        if let Some(s) = self.service_minutes {
            c.require(s <= 120, "service_minutes", "must be at most 120");
        }
        if let Some(m) = self.max_ride_minutes {
            c.require(
                (1..=600).contains(&m),
                "max_ride_minutes",
                "must be between 1 and 600",
            );
        }
        if let Some(r) = &self.return_of {
            c.require(
                r.after_minutes <= 720,
                "return_of.after_minutes",
                "must be at most 720",
            );
            c.require(
                self.kind == RequestKind::Ride,
                "return_of",
                "only rides have a way back",
            );
        }
        c.optional_text("purpose", &self.purpose, 100);
        c.optional_text("notes", &self.notes, 1000);
        c.done()
    }
}
