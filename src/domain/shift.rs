//! A shift: one vehicle, one volunteer at the wheel, one span of a date.
//! The solver plans one route per shift.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Checks, Id, Invalid, RequestKind, Window};

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Shift {
    pub id: Id,
    pub date: NaiveDate,
    pub vehicle_id: Id,
    /// `None` until a driver is found; the route is planned all the same.
    pub volunteer_id: Option<Id>,
    pub window: Window,
    /// The services this shift carries; empty: all of them (one fleet).
    pub serves: Vec<RequestKind>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftInput {
    #[serde(deserialize_with = "super::date::date")]
    pub date: NaiveDate,
    pub vehicle_id: Id,
    #[serde(default)]
    pub volunteer_id: Option<Id>,
    pub window: Window,
    /// Only these services (rides, meals, collections) ride in this shift,
    /// when the dispatcher keeps them apart; empty or left out: all of them.
    #[serde(default)]
    #[schema(max_items = 3)]
    pub serves: Vec<RequestKind>,
}

impl ShiftInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        c.window("window", &self.window);
        c.require(
            self.window.end > self.window.start,
            "window.end",
            "must be after the start",
        );
        for (i, k) in self.serves.iter().enumerate() {
            c.require(
                !self.serves[..i].contains(k),
                &format!("serves[{i}]"),
                "names a service twice",
            );
        }
        c.done()
    }
}

/// The skill a request of `kind` needs, and a shift gives for each service
/// it carries, when some shift of the day keeps services apart.
pub fn service_skill(kind: RequestKind) -> String {
    format!("serves:{}", kind.as_str())
}

impl Shift {
    /// Whether requests of `kind` may ride in this shift.
    pub fn carries(&self, kind: RequestKind) -> bool {
        self.serves.is_empty() || self.serves.contains(&kind)
    }
}
