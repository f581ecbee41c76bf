//! Requests: a ride for a person, a hot meal to a door, a pickup of surplus food.
//! Each carries what the solver needs to plan it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::lifecycle::Lifecycle;
use super::person::str_enum;
use super::ride_policy::Purpose;
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
    /// Booked, to be planned.
    Active,
    /// A way back booked without a time: planned once the rider calls.
    WillCall,
    /// Cancelled in good time.
    Cancelled,
    /// Cancelled after the policy's cut-off.
    CancelledLate,
    /// The rider was not there; the driver said so.
    NoShow,
}

str_enum!(RequestKind { Ride => "ride", Meal => "meal", Collection => "collection" });
str_enum!(WindowAt { Pickup => "pickup", Dropoff => "dropoff" });
str_enum!(RequestStatus {
    Active => "active",
    WillCall => "will_call",
    Cancelled => "cancelled",
    CancelledLate => "cancelled_late",
    NoShow => "no_show"
});

impl RequestStatus {
    /// Whether the planner should find the request a place.
    pub fn to_plan(self) -> bool {
        self == Self::Active
    }

    /// Whether the request is over without being carried out.
    pub fn is_dropped(self) -> bool {
        matches!(self, Self::Cancelled | Self::CancelledLate | Self::NoShow)
    }
}

/// When the way back of a ride starts, booked with the outbound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WayBack {
    /// Picked up at this time (inside the policy's pickup window).
    At(Clock),
    /// This many minutes after the appointment (or, without one, after the
    /// drop-off); at most 720.
    #[schema(value_type = AfterMinutesSchema)]
    AfterMinutes(u16),
    /// Booked without a time: the rider calls when ready.
    WillCall,
}

/// The schema of `WayBack::AfterMinutes`, whose bound a tuple variant
/// cannot carry in an attribute.
pub struct AfterMinutesSchema;

impl utoipa::PartialSchema for AfterMinutesSchema {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
            .maximum(Some(720))
            .description(Some("Minutes after the appointment or drop-off."))
            .into()
    }
}

impl ToSchema for AfterMinutesSchema {}

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
    /// The rule the way back was booked with (on the way back).
    pub way_back: Option<WayBack>,
    /// The time the rider asked to be picked up, when given so.
    #[schema(value_type = Option<String>, example = "08:30")]
    pub pickup_at: Option<Clock>,
    /// The appointment the ride must arrive before (arrive-by).
    #[schema(value_type = Option<String>, example = "09:30")]
    pub appointment: Option<Clock>,
    /// Companions and attendants travelling with the rider.
    pub companions: u32,
    pub purpose: Option<Purpose>,
    pub notes: Option<String>,
    pub status: RequestStatus,
    /// When the driver is due at the pickup, once the date's plan is published
    /// (`null` before, or when the plan could not fit the request in).
    #[schema(value_type = Option<String>, example = "08:40")]
    pub promised_pickup: Option<Clock>,
    /// Where it stands: from its status, the published plan and the driver's reports.
    pub lifecycle: Lifecycle,
}

#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
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
    /// A ride gives one of `pickup_at`, `appointment` or `window_at` with
    /// `window`; meals and collections give the window.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "08:30", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub pickup_at: Option<Clock>,
    /// Arrive-by: the pickup follows from the appointment and the ride limit.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "09:30", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub appointment: Option<Clock>,
    #[serde(default)]
    pub window_at: Option<WindowAt>,
    #[serde(default)]
    pub window: Option<Window>,
    /// Companions and attendants (each takes a seat); by default one when
    /// the person needs a companion.
    #[serde(default)]
    #[schema(maximum = 8)]
    pub companions: Option<u32>,
    /// Room taken per dimension, e.g. `{"seats": 1, "wheelchairs": 0}`; at
    /// least one above 0. For a ride it follows from the rider and may be
    /// left out; when given it must agree.
    #[serde(default)]
    #[schema(schema_with = super::forms::room_optional)]
    pub load: Option<BTreeMap<String, u32>>,
    /// Equipment needed beyond what the rider implies (a wheelchair user in
    /// the chair needs `lift`).
    #[serde(default)]
    #[schema(schema_with = super::forms::skills)]
    pub skills: Vec<String>,
    /// Minutes at each stop; by default from the rider's mobility or the kind.
    #[serde(default)]
    #[schema(maximum = 120)]
    pub service_minutes: Option<u32>,
    /// Longest time on board; by default the ride-time policy's. For hot
    /// meals, the kitchen-to-door limit.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 600)]
    pub max_ride_minutes: Option<u32>,
    /// This ride is the way back of an earlier one (only for a ride).
    #[serde(default)]
    pub return_of: Option<ReturnOf>,
    /// Book the way back with this ride.
    #[serde(default)]
    pub way_back: Option<WayBack>,
    #[serde(default)]
    pub purpose: Option<Purpose>,
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
        let given = [
            self.pickup_at.is_some(),
            self.appointment.is_some(),
            self.window.is_some() || self.window_at.is_some(),
        ];
        match (self.kind, given.iter().filter(|g| **g).count()) {
            (RequestKind::Ride, 1) => {}
            (RequestKind::Ride, 0) => c.fail(
                "appointment",
                "give the appointment, the pickup time, or a window",
            ),
            (RequestKind::Ride, _) => c.fail(
                if self.appointment.is_some() {
                    "appointment"
                } else {
                    "pickup_at"
                },
                "give only one of appointment, pickup_at and window",
            ),
            (_, _) => {
                c.require(self.pickup_at.is_none(), "pickup_at", "only for a ride");
                c.require(self.appointment.is_none(), "appointment", "only for a ride");
            }
        }
        if given[2] || self.kind != RequestKind::Ride {
            c.require(
                self.window.is_some(),
                "window",
                "is required with window_at",
            );
            c.require(
                self.window_at.is_some(),
                "window_at",
                "is required with window",
            );
        }
        if let Some(w) = &self.window {
            c.window("window", w);
        }
        if let Some(n) = self.companions {
            c.require(n <= 8, "companions", "must be at most 8");
            c.require(
                self.kind == RequestKind::Ride,
                "companions",
                "only a ride carries companions",
            );
        }
        let load = self.load.clone().unwrap_or_default();
        if self.kind != RequestKind::Ride || self.person_id.is_none() {
            c.require(
                self.load.is_some(),
                "load",
                "is required unless a rider is named",
            );
        }
        c.require(
            load.len() <= MAX_DIMENSIONS,
            "load",
            "may name at most 8 dimensions",
        );
        c.require(
            self.skills.len() <= MAX_SKILLS,
            "skills",
            "may name at most 16 skills",
        );
        c.require(
            self.load.is_none() || load.values().any(|&v| v > 0),
            "load",
            "must take room in at least one dimension",
        );
        for (dim, &v) in &load {
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
        if let Some(w) = &self.way_back {
            c.require(
                self.kind == RequestKind::Ride,
                "way_back",
                "only rides have a way back",
            );
            c.require(
                self.return_of.is_none(),
                "way_back",
                "a way back has no way back of its own",
            );
            match *w {
                WayBack::AfterMinutes(m) => {
                    c.require(m <= 720, "way_back.after_minutes", "must be at most 720")
                }
                WayBack::At(t) => {
                    let after = self
                        .appointment
                        .or(self.pickup_at)
                        .or(self.window.map(|w| w.start));
                    c.require(
                        after.is_none_or(|a| t > a),
                        "way_back.at",
                        "must be after the outbound ride",
                    );
                }
                WayBack::WillCall => {}
            }
        }
        c.require(
            matches!(
                self.status,
                RequestStatus::Active | RequestStatus::Cancelled
            ),
            "status",
            "a booking is active or cancelled; other states follow from what happens",
        );
        if self.kind != RequestKind::Ride {
            c.require(self.purpose.is_none(), "purpose", "only for a ride");
        }
        c.optional_text("notes", &self.notes, 1000);
        c.done()
    }
}
