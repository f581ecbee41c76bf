//! The JSON files: names, serde shapes, and reading them with errors naming file, path and key.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;

use super::DemoError;
use crate::domain::meals::MealType;
use crate::domain::surplus::FoodKind;
use crate::domain::{Assistance, Mobility, OrgKind, WeekdaySet, Window};

pub(super) const ORGANISATIONS: &str = "organisations.json";
pub(super) const PLACES: &str = "places.json";
pub(super) const PEOPLE: &str = "people.json";
pub(super) const VEHICLES: &str = "vehicles.json";
pub(super) const VOLUNTEERS: &str = "volunteers.json";
pub(super) const DAY: &str = "day.json";
pub(super) const USERS: &str = "users";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OrgJson {
    pub(super) key: String,
    pub(super) name: String,
    pub(super) kind: OrgKind,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlaceJson {
    pub(super) key: String,
    pub(super) name: String,
    pub(super) address: String,
    pub(super) lat: f64,
    pub(super) lon: f64,
    pub(super) kind: String,
    #[serde(default, rename = "source")]
    _source: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PersonJson {
    pub(super) key: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) phone: Option<String>,
    pub(super) home: String,
    pub(super) organisation: String,
    pub(super) mobility: Mobility,
    pub(super) assistance: Assistance,
    #[serde(default)]
    pub(super) notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VehicleJson {
    pub(super) key: String,
    pub(super) name: String,
    pub(super) depot: String,
    #[serde(default)]
    pub(super) skills: Vec<String>,
    pub(super) layouts: Vec<LayoutJson>,
    pub(super) shift: Window,
}

/// `{"name": "...", "seats": 1, "wheelchairs": 4}`: every field but the name
/// is a capacity.
#[derive(Deserialize)]
pub(super) struct LayoutJson {
    pub(super) name: String,
    #[serde(flatten)]
    pub(super) capacity: BTreeMap<String, u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VolunteerJson {
    pub(super) key: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) phone: Option<String>,
    pub(super) available: Window,
    #[serde(default)]
    pub(super) vehicles: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DayJson {
    #[serde(default, rename = "description")]
    _description: Option<IgnoredAny>,
    pub(super) meal_centre: String,
    #[serde(default)]
    pub(super) rides: Vec<RideJson>,
    #[serde(default)]
    pub(super) meals: Vec<MealJson>,
    #[serde(default)]
    pub(super) donors: Vec<DonorJson>,
    /// Rides booked once for many days; the solve of the date books that day's.
    #[serde(default)]
    pub(super) standing_orders: Vec<StandingJson>,
}

/// A standing order, its dates counted in days from the demo date.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StandingJson {
    pub(super) key: String,
    pub(super) person: String,
    pub(super) from: String,
    pub(super) to: String,
    pub(super) weekdays: WeekdaySet,
    #[serde(default)]
    pub(super) pickup_at: Option<crate::domain::Clock>,
    #[serde(default)]
    pub(super) appointment: Option<crate::domain::Clock>,
    #[serde(default)]
    pub(super) way_back: Option<crate::domain::WayBack>,
    #[serde(default)]
    pub(super) purpose: Option<crate::domain::ride_policy::Purpose>,
    /// Days before the demo date the order started.
    pub(super) started_days_ago: u32,
    #[serde(default)]
    pub(super) paused: Option<PauseJson>,
}

/// A pause around the demo date (a hospital stay).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PauseJson {
    pub(super) from_days: i64,
    pub(super) resume_days: i64,
    pub(super) reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RideJson {
    pub(super) key: String,
    pub(super) person: String,
    pub(super) from: String,
    pub(super) to: String,
    #[serde(default)]
    pub(super) pickup_window: Option<Window>,
    #[serde(default)]
    pub(super) arrive_by: Option<Window>,
    /// Arrive-by: the window follows from the ride policy.
    #[serde(default)]
    pub(super) appointment: Option<crate::domain::Clock>,
    pub(super) load: RideLoad,
    #[serde(default, rename = "return")]
    pub(super) back: Option<BackJson>,
    #[serde(default)]
    pub(super) purpose: Option<crate::domain::ride_policy::Purpose>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RideLoad {
    #[serde(default)]
    pub(super) seats: u32,
    #[serde(default)]
    pub(super) wheelchairs: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BackJson {
    #[serde(default)]
    pub(super) after_minutes: u32,
    #[serde(default)]
    pub(super) same_vehicle: bool,
    /// Booked without a time: the rider calls (only with an appointment).
    #[serde(default)]
    pub(super) will_call: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MealJson {
    pub(super) key: String,
    pub(super) person: String,
    pub(super) window: Window,
    pub(super) meal_type: MealType,
    /// Meals on each day served (a couple gets 2).
    #[serde(default = "one")]
    pub(super) meals: u32,
    /// The days served; Monday to Friday when left out, as the service runs.
    #[serde(default = "weekdays")]
    pub(super) days: WeekdaySet,
    #[serde(default)]
    pub(super) diets: Vec<String>,
    #[serde(default)]
    pub(super) priority: bool,
    #[serde(default)]
    pub(super) notes: Option<String>,
    /// A volunteer's key.
    #[serde(default)]
    pub(super) preferred_volunteer: Option<String>,
    #[serde(default)]
    pub(super) hold: Option<PauseJson>,
}

fn one() -> u32 {
    1
}

fn weekdays() -> WeekdaySet {
    (0..5u8)
        .filter_map(|i| chrono::Weekday::try_from(i).ok())
        .collect()
}

/// A donor of surplus food; the date's pickups are generated from its days.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DonorJson {
    pub(super) key: String,
    /// A place of kind `donor`.
    pub(super) place: String,
    pub(super) name: String,
    pub(super) window: Window,
    /// The days it gives; Monday to Friday when left out.
    #[serde(default = "weekdays")]
    pub(super) days: WeekdaySet,
    pub(super) gives: String,
    pub(super) food: FoodKind,
    pub(super) expected_kg: f64,
    /// The receiving place.
    pub(super) to: String,
    #[serde(default)]
    pub(super) blast_chiller: bool,
    #[serde(default)]
    pub(super) notes: Option<String>,
}

/// Reads one file; errors name the file, the JSON path and the record's key.
pub(super) fn read_json<T: DeserializeOwned>(dir: &Path, file: &str) -> Result<T, DemoError> {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).map_err(|source| DemoError::Read {
        path: path.clone(),
        source,
    })?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| DemoError::Json {
        path: path.clone(),
        at: String::new(),
        key: None,
        message: e.to_string(),
    })?;
    serde_path_to_error::deserialize(&value).map_err(|e| DemoError::Json {
        at: e.path().to_string(),
        key: key_along(&value, e.path()),
        message: e.inner().to_string(),
        path,
    })
}

/// The `key` of the innermost record on the way down `path`.
fn key_along(value: &serde_json::Value, path: &serde_path_to_error::Path) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut here = value;
    let mut key = None;
    for segment in path.iter() {
        let next = match segment {
            Segment::Seq { index } => here.get(*index),
            Segment::Map { key } => here.get(key.as_str()),
            _ => None,
        };
        let Some(next) = next else { break };
        here = next;
        if let Some(k) = here.get("key").and_then(|k| k.as_str()) {
            key = Some(k.to_string());
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_name_the_record_key() {
        let value: serde_json::Value = serde_json::from_str(
            r#"[{"key": "a", "name": "A", "kind": "municipality"},
                {"key": "b", "name": "B", "kind": "club"}]"#,
        )
        .unwrap();
        let err = serde_path_to_error::deserialize::<_, Vec<OrgJson>>(&value)
            .err()
            .unwrap();
        assert_eq!(err.path().to_string(), "[1].kind");
        assert_eq!(key_along(&value, err.path()).as_deref(), Some("b"));
    }
}
