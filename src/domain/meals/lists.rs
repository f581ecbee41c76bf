//! The kitchen's lists of a date: what to cook (counts by meal type and
//! diet) and what goes in which vehicle, stop by stop.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::MealType;
use crate::domain::{Clock, Id};

/// Meals of one type and one set of diets (none: the standard meal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProductionLine {
    pub meal_type: MealType,
    /// Sorted; empty for the standard meal.
    pub diets: Vec<String>,
    pub meals: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TypeTotal {
    pub meal_type: MealType,
    pub meals: u32,
}

/// What the kitchen cooks on a date: every meal booked for it and not
/// cancelled, planned or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProductionList {
    pub date: NaiveDate,
    pub total: u32,
    pub by_type: Vec<TypeTotal>,
    pub lines: Vec<ProductionLine>,
}

impl ProductionList {
    /// Sums `(type, diets, meals)` items, the standard meal of each type first.
    pub fn of(
        date: NaiveDate,
        items: impl IntoIterator<Item = (MealType, Vec<String>, u32)>,
    ) -> Self {
        let mut lines: BTreeMap<(MealType, Vec<String>), u32> = BTreeMap::new();
        let mut by_type: BTreeMap<MealType, u32> = BTreeMap::new();
        for (t, mut diets, n) in items {
            diets.sort();
            diets.dedup();
            *lines.entry((t, diets)).or_default() += n;
            *by_type.entry(t).or_default() += n;
        }
        Self {
            date,
            total: by_type.values().sum(),
            by_type: by_type
                .into_iter()
                .map(|(meal_type, meals)| TypeTotal { meal_type, meals })
                .collect(),
            lines: lines
                .into_iter()
                .map(|((meal_type, diets), meals)| ProductionLine {
                    meal_type,
                    diets,
                    meals,
                })
                .collect(),
        }
    }
}

/// One door of a route: what to pack for it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PackingLine {
    pub route_id: Id,
    pub vehicle_name: String,
    /// The stop's place in the route (1, 2, …).
    pub stop_seq: i64,
    /// When the meal is due at the door.
    #[schema(value_type = String, example = "12:10")]
    pub time: Clock,
    pub request_id: Id,
    pub person_id: Option<Id>,
    pub recipient: String,
    pub meal_type: Option<MealType>,
    pub meals: u32,
    pub diets: Vec<String>,
    pub notes: Option<String>,
}

/// The meals of each route of a date's newest plan, in stop order.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PackingList {
    pub date: NaiveDate,
    /// The plan's revision; `null` before the date is solved.
    pub revision: Option<i64>,
    pub lines: Vec<PackingLine>,
}
