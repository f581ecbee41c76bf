//! A dispatcher's changes to a plan by hand, and what the checker says of them.

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{Id, Plan, PlanViolation};

/// One change to the newest revision of a date's plan. Positions count the
/// route's stops from 0 once the request is in it: `pickup` < `dropoff`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
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

/// The operations' names, for errors.
const OPS: &str = "move, assign, swap, unassign, lock, unlock";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Placing {
    request_id: Id,
    route_id: Id,
    #[serde(default)]
    pickup: Option<usize>,
    #[serde(default)]
    dropoff: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    request_id: Id,
    other_request_id: Id,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OneRequest {
    request_id: Id,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OneRoute {
    route_id: Id,
}

/// The operation's own fields, parsed so that an error keeps their path
/// (`at `pickup`: …`): serde's internally tagged enums lose it.
fn fields<T: DeserializeOwned, E: de::Error>(rest: Map<String, Value>) -> Result<T, E> {
    serde_path_to_error::deserialize(Value::Object(rest))
        .map_err(|e| E::custom(format!("at `{}`: {}", e.path(), e.inner())))
}

impl<'de> Deserialize<'de> for PlanEdit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut rest = Map::deserialize(d)?;
        let op = match rest.remove("op") {
            Some(Value::String(op)) => op,
            Some(_) => return Err(de::Error::custom("at `op`: expected a string")),
            None => return Err(de::Error::missing_field("op")),
        };
        Ok(match op.as_str() {
            "move" | "assign" => {
                let p: Placing = fields(rest)?;
                let (request_id, route_id, pickup, dropoff) =
                    (p.request_id, p.route_id, p.pickup, p.dropoff);
                if op == "move" {
                    Self::Move {
                        request_id,
                        route_id,
                        pickup,
                        dropoff,
                    }
                } else {
                    Self::Assign {
                        request_id,
                        route_id,
                        pickup,
                        dropoff,
                    }
                }
            }
            "swap" => {
                let p: Pair = fields(rest)?;
                Self::Swap {
                    request_id: p.request_id,
                    other_request_id: p.other_request_id,
                }
            }
            "unassign" => Self::Unassign {
                request_id: fields::<OneRequest, _>(rest)?.request_id,
            },
            "lock" => Self::Lock {
                route_id: fields::<OneRoute, _>(rest)?.route_id,
            },
            "unlock" => Self::Unlock {
                route_id: fields::<OneRoute, _>(rest)?.route_id,
            },
            other => {
                return Err(de::Error::custom(format!(
                    "at `op`: unknown operation {other:?}, expected one of {OPS}"
                )))
            }
        })
    }
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
