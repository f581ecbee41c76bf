//! What the core's checker finds wrong with a plan, said so that pages can put
//! it in words: the kind, who and where, and the numbers.

use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

use super::Id;

/// The checker's own kinds, one list: `ride_time`, `time_window`, `capacity`…
pub use crate::solver::check::ViolationKind;

impl utoipa::PartialSchema for ViolationKind {
    fn schema() -> RefOr<Schema> {
        let names = ViolationKind::ALL.iter().map(|k| k.as_str());
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("The rule broken, as the core's checker names it."))
            .enum_values(Some(names))
            .into()
    }
}

impl ToSchema for ViolationKind {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlanViolation {
    pub kind: ViolationKind,
    pub request_id: Option<Id>,
    pub route_id: Option<Id>,
    /// The stop concerned, `"<request id>-<pickup|dropoff>"`.
    #[schema(value_type = Option<String>, example = "42-dropoff")]
    pub stop: Option<super::StopKey>,
    /// The capacity dimension, for `capacity` (`seats`, `wheelchairs`…).
    pub dimension: Option<String>,
    /// What was measured and the limit it breaks: minutes on board for
    /// `ride_time`, on the road for `max_duration`; minutes after midnight for
    /// `time_window` (the window's end when late, its start when early),
    /// `shift_end`, `link` and `schedule`; a load for `capacity`.
    pub value: Option<f64>,
    pub limit: Option<f64>,
    /// The detail in English.
    pub message: String,
}

/// A violation of a plan not stored yet: its route by position in the plan's
/// routes, since route ids exist only once stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewViolation {
    pub route: Option<usize>,
    pub violation: PlanViolation,
}

impl NewViolation {
    /// The violation once its plan is stored, `route_ids` in route order.
    pub fn stored(&self, route_ids: &[Id]) -> PlanViolation {
        PlanViolation {
            route_id: self.route.and_then(|p| route_ids.get(p).copied()),
            ..self.violation.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_lists_every_kind_by_its_serde_name() {
        let schema = serde_json::to_value(<ViolationKind as utoipa::PartialSchema>::schema())
            .expect("a schema serialises");
        let names = schema["enum"].as_array().expect("an enum");
        assert_eq!(names.len(), ViolationKind::ALL.len());
        for k in ViolationKind::ALL {
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                k.as_str(),
                "one text form"
            );
        }
        for name in ["ride_time", "time_window", "capacity", "shift_end", "link"] {
            assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
        }
    }
}
