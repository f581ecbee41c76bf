//! A dispatcher's changes to a plan by hand, and what the checker says of them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Id, Plan, PlanViolation};

/// One change to the newest revision of a date's plan. Positions count the
/// route's stops from 0 once the request is in it: `pickup` < `dropoff`.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum PlanEdit {
    /// Moves a routed request (both its stops) to a route, at the positions
    /// given or, when left out, where it breaks the fewest rules and then costs least.
    Move {
        request_id: Id,
        route_id: Id,
        #[serde(default)]
        pickup: Option<usize>,
        #[serde(default)]
        dropoff: Option<usize>,
    },
    /// Puts an unassigned request into a route, as `move` does.
    Assign {
        request_id: Id,
        route_id: Id,
        #[serde(default)]
        pickup: Option<usize>,
        #[serde(default)]
        dropoff: Option<usize>,
    },
    /// Exchanges the places of two requests; one of them may be unassigned.
    Swap {
        request_id: Id,
        other_request_id: Id,
    },
    /// Takes a request out of its route (reason `manual`).
    Unassign {
        request_id: Id,
    },
    /// Keeps the route as it is through the next solves.
    Lock {
        route_id: Id,
    },
    Unlock {
        route_id: Id,
    },
}

impl PlanEdit {
    /// A line for the audit log.
    pub fn describe(&self) -> String {
        let at = |p: &Option<usize>, d: &Option<usize>| match (p, d) {
            (Some(p), Some(d)) => format!(" at {p} and {d}"),
            _ => " where it fits best".into(),
        };
        match self {
            Self::Move {
                request_id,
                route_id,
                pickup,
                dropoff,
            } => format!(
                "move request {request_id} to route {route_id}{}",
                at(pickup, dropoff)
            ),
            Self::Assign {
                request_id,
                route_id,
                pickup,
                dropoff,
            } => format!(
                "assign request {request_id} to route {route_id}{}",
                at(pickup, dropoff)
            ),
            Self::Swap {
                request_id,
                other_request_id,
            } => format!("swap requests {request_id} and {other_request_id}"),
            Self::Unassign { request_id } => format!("unassign request {request_id}"),
            Self::Lock { route_id } => format!("lock route {route_id}"),
            Self::Unlock { route_id } => format!("unlock route {route_id}"),
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanEditInput {
    /// The version of the newest revision the edit was made on; a stale one gets 409.
    pub version: i64,
    /// That revision's number; checked too when given.
    #[serde(default)]
    pub revision: Option<i64>,
    pub edit: PlanEdit,
    /// Save even though the checker finds violations (recorded in the audit log).
    #[serde(default)]
    pub confirm: bool,
}

/// The checker's verdict on an edit, and the plan as saved or as it would be.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EditOutcome {
    /// False when the edit breaks rules and was not confirmed: nothing was written.
    pub saved: bool,
    /// The plan after the edit. Unsaved, it keeps the base revision's ids and
    /// version, and its changed stops have id 0.
    pub plan: Plan,
    pub violations: Vec<PlanViolation>,
}
