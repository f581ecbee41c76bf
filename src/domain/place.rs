//! Places: public ones (centres, hospital, donors) and people's homes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Checks, Id, Invalid};

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Place {
    pub id: Id,
    /// `None` for public places; homes belong to the association of their people.
    pub organisation_id: Option<Id>,
    pub name: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    /// e.g. `home`, `day_centre`, `meal_centre`, `hospital`, `donor`.
    pub kind: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceInput {
    #[serde(default)]
    pub organisation_id: Option<Id>,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(min_length = 1, max_length = 300)]
    pub address: String,
    #[schema(minimum = -90, maximum = 90)]
    pub lat: f64,
    #[schema(minimum = -180, maximum = 180)]
    pub lon: f64,
    #[schema(max_length = 40, pattern = "^[a-z_]+$", example = "day_centre")]
    pub kind: String,
}

impl PlaceInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        c.text("name", &self.name, 200);
        c.text("address", &self.address, 300);
        c.require(
            self.lat.is_finite() && (-90.0..=90.0).contains(&self.lat),
            "lat",
            "must be a latitude between -90 and 90",
        );
        c.require(
            self.lon.is_finite() && (-180.0..=180.0).contains(&self.lon),
            "lon",
            "must be a longitude between -180 and 180",
        );
        c.text("kind", &self.kind, 40);
        c.require(
            self.kind
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch == '_'),
            "kind",
            "must be lower-case letters and underscores, e.g. day_centre",
        );
        c.done()
    }
}
