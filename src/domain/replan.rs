//! Re-planning the rest of a published day from where it stands: what the
//! dispatcher asks (from when, which shifts are withdrawn from when) and what
//! comes back (the new draft and who moves, against the published plan).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Clock, Id, Invalid, Plan, StopRole};

/// What keeping a request on the vehicle it was published on is worth to a
/// re-plan, in km: a driver told of a change and a person expecting another
/// face cost more than a short detour saves.
pub const STAY_KM: f64 = 5.0;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplanInput {
    /// Plan from this time on ("HH:MM"); by default now on the day itself,
    /// otherwise from the drivers' reports only.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "11:00", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub at: Option<Clock>,
    /// Shifts taken off the road from a time on (a breakdown, an illness).
    #[serde(default)]
    pub withdraw: Vec<Withdrawal>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    pub shift_id: Id,
    #[schema(value_type = String, example = "11:00", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub from: Clock,
}

impl ReplanInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        for (i, w) in self.withdraw.iter().enumerate() {
            if self.withdraw[..i].iter().any(|o| o.shift_id == w.shift_id) {
                return Err(Invalid::one(
                    format!("withdraw[{i}].shift_id"),
                    "a shift is withdrawn once",
                ));
            }
        }
        Ok(())
    }
}

/// A request whose pickup (or, without one, drop-off) the re-plan changes.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Move {
    pub request_id: Id,
    pub role: StopRole,
    #[schema(value_type = String)]
    pub was: Clock,
    /// `None`: left out of the new plan.
    #[schema(value_type = Option<String>)]
    pub now: Option<Clock>,
    /// Minutes later (negative: earlier).
    pub minutes: Option<i64>,
    pub was_vehicle_id: Id,
    pub now_vehicle_id: Option<Id>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReplanOutcome {
    /// The new draft revision.
    pub plan: Plan,
    /// Requests whose time or vehicle changes, against the published plan.
    pub moves: Vec<Move>,
    /// How many promised windows (published pickups) the new plan misses.
    pub promises_broken: usize,
}

/// Who moves between `published` and `new`: by each request's first stop,
/// a change of a minute or more, of vehicle, or out of the plan.
pub fn moves(published: &Plan, new: &Plan) -> Vec<Move> {
    let first = |p: &Plan| {
        let mut out: HashMap<Id, (StopRole, f64, Id)> = HashMap::new();
        for r in &p.routes {
            for s in &r.stops {
                let e = out
                    .entry(s.request_id)
                    .or_insert((s.role, s.start_min, r.vehicle_id));
                if s.role == StopRole::Pickup {
                    *e = (s.role, s.start_min, r.vehicle_id);
                }
            }
        }
        out
    };
    let (before, after) = (first(published), first(new));
    let mut out: Vec<Move> = before
        .iter()
        .filter_map(|(&id, &(role, was, was_vehicle))| {
            let now = after.get(&id);
            let minutes = now.map(|n| (n.1 - was).round() as i64);
            let same = now.is_some_and(|n| n.2 == was_vehicle) && minutes == Some(0);
            (!same).then(|| Move {
                request_id: id,
                role,
                was: Clock::from_minutes_f64(was),
                now: now.map(|n| Clock::from_minutes_f64(n.1)),
                minutes,
                was_vehicle_id: was_vehicle,
                now_vehicle_id: now.map(|n| n.2),
            })
        })
        .collect();
    out.sort_by_key(|m| (m.was, m.request_id));
    out
}
