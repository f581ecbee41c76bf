//! "Can we fit it?": the ways one booked request can join the day's newest
//! plan as it stands (who drives it, when, what it costs the others), or why
//! it cannot; and the dispatcher's choice of one, which makes a new draft.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::replan::Move;
use super::{Clock, FitsIf, Id, Plan, StopRole, UnassignedReason, Window};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FitInput {
    /// A request of the date, booked (or a will-call activated) and in no route.
    pub request_id: Id,
    /// The way chosen (by its shift): required to accept, ignored to ask.
    #[serde(default)]
    pub shift_id: Option<Id>,
    /// Fit from this time on ("HH:MM"); by default now on the day itself.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "10:30", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub at: Option<Clock>,
}

/// One way to serve the request.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Way {
    pub shift_id: Id,
    pub vehicle_id: Id,
    #[schema(value_type = Option<String>)]
    pub pickup: Option<Clock>,
    /// The window the rider would be told, from the planned pickup.
    pub promised: Option<Window>,
    #[schema(value_type = Option<String>)]
    pub dropoff: Option<Clock>,
    /// Kilometres the route gains.
    pub added_km: f64,
    /// The other requests of that route whose time moves, by a minute or more.
    pub moves: Vec<Nudge>,
    /// The dispatcher locked that route: shown, but taken only once unlocked.
    pub locked: bool,
}

/// Another request's stop moved by taking the new one on board.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Nudge {
    pub request_id: Id,
    pub role: StopRole,
    #[schema(value_type = String)]
    pub was: Clock,
    #[schema(value_type = String)]
    pub now: Clock,
    /// Minutes later (negative: earlier).
    pub minutes: i64,
}

/// Why a shift cannot take it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ShiftBlock {
    pub shift_id: Id,
    pub reason: UnassignedReason,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Blocked {
    /// The most telling reason.
    pub reason: UnassignedReason,
    pub shifts: Vec<ShiftBlock>,
    /// What would let it in: the time moved by the fewest minutes that
    /// fits (`domain::fits_if::STEPS`, as after a solve); none found, none.
    pub fits_if: Option<FitsIf>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FitAnswer {
    pub request_id: Id,
    /// Cheapest first; empty when it fits nowhere.
    pub ways: Vec<Way>,
    /// Set exactly when `ways` is empty.
    pub blocked: Option<Blocked>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FitAccepted {
    /// The new draft revision, with the request in.
    pub plan: Plan,
    /// Requests whose time or vehicle changes, against the plan it was fitted into.
    pub moves: Vec<Move>,
}

/// Who moves on one route: each other request's stops by a minute or more.
pub fn nudges(before: &[(Id, StopRole, f64)], after: &[(Id, StopRole, f64)]) -> Vec<Nudge> {
    after
        .iter()
        .filter_map(|&(id, role, now)| {
            let &(_, _, was) = before.iter().find(|b| b.0 == id && b.1 == role)?;
            let minutes = (now - was).round() as i64;
            (minutes != 0).then(|| Nudge {
                request_id: id,
                role,
                was: Clock::from_minutes_f64(was),
                now: Clock::from_minutes_f64(now),
                minutes,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_that_moves_a_minute_or_more_is_a_nudge() {
        let before = [(1, StopRole::Pickup, 600.0), (1, StopRole::Dropoff, 620.0)];
        let after = [
            (1, StopRole::Pickup, 600.4),
            (9, StopRole::Pickup, 605.0),
            (1, StopRole::Dropoff, 628.0),
        ];
        let n = nudges(&before, &after);
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(
            (n[0].request_id, n[0].role, n[0].minutes),
            (1, StopRole::Dropoff, 8)
        );
        assert_eq!(n[0].now, Clock::from_minutes_f64(628.0));
    }
}
