//! The meal service's settings, kept in `store::settings` like the ride
//! policy: when the kitchen is ready, how long a hot meal may travel, the
//! diet list, and which box dimension each meal type fills.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::MealType;
use crate::domain::vehicle::is_token;
use crate::domain::{Checks, Clock, Id, Invalid};

/// Minutes from the kitchen to the door for a hot meal. Cooked food kept
/// hot must stay at 60–65 °C or above until served; insulated or heated
/// boxes hold a closed portion above that for roughly three quarters of an
/// hour, and Italian school and home-meal tenders commonly cap cooking-to-
/// table at 30–60 minutes. 45 minutes sits inside that range with margin
/// for the handover at the door.
pub const DEFAULT_HOT_MAX_MINUTES: u32 = 45;

/// Diet and texture tags a recipient may carry until a planner sets the list.
pub const DEFAULT_DIETS: [&str; 6] = [
    "diabetico",
    "iposodico",
    "morbido",
    "senza_maiale",
    "senza_glutine",
    "vegetariano",
];

/// The vehicle dimension each meal type's boxes fill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BoxDimensions {
    #[schema(min_length = 1, max_length = 40, pattern = "^[a-z0-9_]+$")]
    pub hot: String,
    #[schema(min_length = 1, max_length = 40, pattern = "^[a-z0-9_]+$")]
    pub cold: String,
    #[schema(min_length = 1, max_length = 40, pattern = "^[a-z0-9_]+$")]
    pub frozen: String,
}

impl BoxDimensions {
    pub fn of(&self, t: MealType) -> &str {
        match t {
            MealType::Hot => &self.hot,
            MealType::Cold => &self.cold,
            MealType::Frozen => &self.frozen,
        }
    }

    /// The meal type a load stands for: hot when it fills hot boxes, else
    /// cold or frozen by dimension (cold first when both share one).
    pub fn type_of(&self, load: &std::collections::BTreeMap<String, u32>) -> Option<MealType> {
        [MealType::Hot, MealType::Cold, MealType::Frozen]
            .into_iter()
            .find(|t| load.get(self.of(*t)).is_some_and(|&n| n > 0))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MealSettings {
    /// No meal leaves the kitchen before this time.
    #[schema(value_type = String, example = "11:00", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub ready_at: Clock,
    /// The kitchen-to-door limit of every hot meal, in minutes.
    #[schema(minimum = 5, maximum = 180)]
    pub hot_max_minutes: u32,
    /// The diet and texture tags recipients may carry.
    #[schema(min_items = 0, max_items = 50)]
    pub diets: Vec<String>,
    pub boxes: BoxDimensions,
    /// The kitchen meals leave from; by default the one place of kind
    /// `meal_centre`.
    #[serde(default)]
    pub centre_place_id: Option<Id>,
}

impl Default for MealSettings {
    fn default() -> Self {
        Self {
            ready_at: Clock(11 * 60),
            hot_max_minutes: DEFAULT_HOT_MAX_MINUTES,
            diets: DEFAULT_DIETS.iter().map(|d| d.to_string()).collect(),
            boxes: BoxDimensions {
                hot: "hot_boxes".into(),
                cold: "cold_boxes".into(),
                frozen: "cold_boxes".into(),
            },
            centre_place_id: None,
        }
    }
}

impl MealSettings {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        if !(5..=180).contains(&self.hot_max_minutes) {
            c.fail("hot_max_minutes", "must be 5 to 180 minutes");
        }
        if self.diets.len() > 50 {
            c.fail("diets", "may name at most 50 tags");
        }
        for (i, d) in self.diets.iter().enumerate() {
            if !is_token(d) {
                c.fail(
                    format!("diets[{i}]"),
                    "must be a short tag of lower-case letters, digits and _",
                );
            } else if self.diets[..i].contains(d) {
                c.fail(format!("diets[{i}]"), "names a tag twice");
            }
        }
        for (name, d) in [
            ("boxes.hot", &self.boxes.hot),
            ("boxes.cold", &self.boxes.cold),
            ("boxes.frozen", &self.boxes.frozen),
        ] {
            if !is_token(d) {
                c.fail(
                    name,
                    "must be a dimension name (lower-case letters, digits and _)",
                );
            }
        }
        if self.boxes.hot == self.boxes.cold || self.boxes.hot == self.boxes.frozen {
            c.fail("boxes.hot", "hot meals need boxes of their own");
        }
        c.done()
    }
}
