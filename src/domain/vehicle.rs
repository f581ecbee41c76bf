//! Vehicles with the interior layouts they can be set up in.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Checks, Id, Invalid, Window};

/// One way to set up the interior, e.g. "2 wheelchairs + 5 seats".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VehicleLayout {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Room per dimension: `seats`, `wheelchairs`, `hot_boxes`, `cold_boxes`, `kg`…
    #[schema(schema_with = super::forms::room)]
    pub capacity: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Vehicle {
    pub id: Id,
    pub name: String,
    /// Where the vehicle starts and ends its shifts.
    pub depot_place_id: Id,
    /// Equipment that some requests need, e.g. `lift`, `heated_boxes`.
    #[schema(schema_with = super::forms::skills)]
    pub skills: Vec<String>,
    pub layouts: Vec<VehicleLayout>,
    /// When the vehicle can be on the road on a normal day.
    pub available: Window,
    pub active: bool,
    /// The association that owns the vehicle; `null`: the municipality's.
    pub owner_organisation_id: Option<Id>,
    /// In the shared pool: it carries everyone's requests. Out of it, only
    /// its owner's (`domain::vehicle_sharing`).
    pub pooled: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VehicleInput {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub depot_place_id: Id,
    #[serde(default)]
    #[schema(schema_with = super::forms::skills)]
    pub skills: Vec<String>,
    #[schema(min_items = 1, max_items = 20)]
    pub layouts: Vec<VehicleLayout>,
    pub available: Window,
    #[serde(default = "yes")]
    pub active: bool,
    /// An association (not the municipality); `null` or absent: the municipality's.
    #[serde(default)]
    pub owner_organisation_id: Option<Id>,
    /// Carry everyone's requests (the default) or only the owner's.
    #[serde(default = "yes")]
    pub pooled: bool,
}

fn yes() -> bool {
    true
}

/// Few enough that one careless input cannot slow every solve of the day.
pub const MAX_DIMENSIONS: usize = 8;
pub const MAX_SKILLS: usize = 16;

/// Dimension and skill names: short snake_case words.
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
}

impl VehicleInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        c.text("name", &self.name, 200);
        for (i, s) in self.skills.iter().enumerate() {
            c.require(
                is_token(s),
                &format!("skills[{i}]"),
                "must be a snake_case word",
            );
        }
        c.require(
            self.skills.len() <= MAX_SKILLS,
            "skills",
            "may name at most 16 skills",
        );
        c.require(
            !self.layouts.is_empty(),
            "layouts",
            "must hold at least one layout",
        );
        c.require(
            self.layouts.len() <= 20,
            "layouts",
            "must hold at most 20 layouts",
        );
        for (i, l) in self.layouts.iter().enumerate() {
            c.text(&format!("layouts[{i}].name"), &l.name, 100);
            c.require(
                l.capacity.len() <= MAX_DIMENSIONS,
                &format!("layouts[{i}].capacity"),
                "may name at most 8 dimensions",
            );
            c.require(
                !l.capacity.is_empty(),
                &format!("layouts[{i}].capacity"),
                "must name at least one dimension",
            );
            for (dim, &room) in &l.capacity {
                c.require(
                    is_token(dim),
                    &format!("layouts[{i}].capacity"),
                    "dimension names must be snake_case words",
                );
                c.require(
                    room <= 10_000,
                    &format!("layouts[{i}].capacity.{dim}"),
                    "must be at most 10000",
                );
            }
        }
        c.window("available", &self.available);
        c.done()
    }
}
