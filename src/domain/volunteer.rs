//! Volunteer drivers: when they are free and what they may drive.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Checks, Id, Invalid, Window};

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Volunteer {
    pub id: Id,
    pub name: String,
    pub phone: Option<String>,
    /// Usual availability on a service day.
    pub available: Window,
    /// Vehicles this volunteer is trained and insured to drive.
    pub vehicle_ids: Vec<Id>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VolunteerInput {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 40)]
    pub phone: Option<String>,
    pub available: Window,
    #[serde(default)]
    #[schema(schema_with = super::forms::vehicle_ids)]
    pub vehicle_ids: Vec<Id>,
}

impl VolunteerInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        c.text("name", &self.name, 200);
        c.optional_text("phone", &self.phone, 40);
        c.window("available", &self.available);
        c.require(
            self.vehicle_ids.len() <= 100,
            "vehicle_ids",
            "may name at most 100 vehicles",
        );
        let mut ids = self.vehicle_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        c.require(
            ids.len() == self.vehicle_ids.len(),
            "vehicle_ids",
            "must not repeat a vehicle",
        );
        c.done()
    }
}
