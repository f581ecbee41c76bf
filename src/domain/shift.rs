//! A shift: one vehicle, one volunteer at the wheel, one span of a date.
//! The solver plans one route per shift.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Checks, Id, Invalid, Window};

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Shift {
    pub id: Id,
    pub date: NaiveDate,
    pub vehicle_id: Id,
    /// `None` until a driver is found; the route is planned all the same.
    pub volunteer_id: Option<Id>,
    pub window: Window,
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
        c.done()
    }
}
