//! Why a request is in no route: the solver's reasons, or the dispatcher's hand.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::person::str_enum;
use crate::solver::Reason;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnassignedReason {
    /// No vehicle has the skills the request needs.
    Skills,
    /// No layout of a suitable vehicle has room for the load.
    Capacity,
    /// The windows cannot be met by any suitable vehicle's shift.
    TimeWindow,
    /// The ride-time (or kitchen-to-door) limit cannot be met.
    RideTime,
    /// The route would run past the shift.
    Shift,
    /// The link to the other leg of the trip cannot be honoured.
    Link,
    /// Feasible alone, but no room left beside the other requests.
    NoRoom,
    /// The dispatcher took it out of its route.
    Manual,
    /// It would fit, but the vehicles free at its time are reserved for
    /// others or kept out of the pool (`domain::vehicle_sharing`).
    Reserved,
}

str_enum!(UnassignedReason {
    Skills => "skills", Capacity => "capacity", TimeWindow => "time_window",
    RideTime => "ride_time", Shift => "shift", Link => "link", NoRoom => "no_room",
    Manual => "manual", Reserved => "reserved"
});

impl From<Reason> for UnassignedReason {
    fn from(r: Reason) -> Self {
        match r {
            Reason::Skills => Self::Skills,
            Reason::Capacity => Self::Capacity,
            Reason::TimeWindow => Self::TimeWindow,
            Reason::RideTime => Self::RideTime,
            Reason::Shift => Self::Shift,
            Reason::Link => Self::Link,
            Reason::NoRoom => Self::NoRoom,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_solvers_reasons_keep_their_names() {
        let all = [
            Reason::Skills,
            Reason::Capacity,
            Reason::TimeWindow,
            Reason::RideTime,
            Reason::Shift,
            Reason::Link,
            Reason::NoRoom,
        ];
        for r in all {
            let ours = UnassignedReason::from(r);
            assert_eq!(serde_json::to_value(r).unwrap(), ours.as_str());
            assert_eq!(serde_json::to_value(ours).unwrap(), ours.as_str());
            assert_eq!(UnassignedReason::parse(ours.as_str()), Some(ours));
        }
        assert_eq!(UnassignedReason::Manual.as_str(), "manual");
    }
}
