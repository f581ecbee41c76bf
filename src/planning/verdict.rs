//! The checker's report in the plan's terms: requests, routes and stops by
//! their ids and keys, the numbers, and a plain English detail.

use super::build::Built;
use crate::domain::{Clock, Id, NewViolation, PlanViolation, StopKey, ViolationKind};
use crate::solver::check::{Report, Violation};
use crate::solver::{Solution, StopRole};

/// The solver's leg as the plan's stop role.
pub(super) fn stop_role(role: StopRole) -> crate::domain::StopRole {
    match role {
        StopRole::Pickup => crate::domain::StopRole::Pickup,
        StopRole::Dropoff => crate::domain::StopRole::Dropoff,
    }
}

fn role_name(role: StopRole) -> &'static str {
    stop_role(role).as_str()
}

/// Every violation of `report` (on `solution` of `built`), naming routes by
/// their position in the solution.
pub fn verdict(built: &Built, solution: &Solution, report: &Report) -> Vec<NewViolation> {
    report
        .violations
        .iter()
        .map(|v| NewViolation {
            route: v.route,
            violation: describe(built, solution, v),
        })
        .collect()
}

fn describe(built: &Built, solution: &Solution, v: &Violation) -> PlanViolation {
    let request_id = v.job.and_then(|j| built.jobs.get(j)).map(|j| j.request_id);
    let visit = v
        .route
        .and_then(|r| solution.routes.get(r))
        .zip(v.visit)
        .and_then(|(route, i)| route.visits.get(i));
    let stop = visit.and_then(|s| {
        let request = built.jobs.get(s.job)?.request_id;
        Some((request, s.role))
    });
    PlanViolation {
        kind: v.kind,
        request_id,
        route_id: None,
        stop: stop.map(|(r, role)| StopKey::new(r, stop_role(role))),
        dimension: v.dimension.clone(),
        value: v.value,
        limit: v.limit,
        message: message(v, request_id, stop).unwrap_or_else(|| v.message.clone()),
    }
}

/// Words for the kinds a dispatcher meets; the checker's own text otherwise.
fn message(v: &Violation, request: Option<Id>, stop: Option<(Id, StopRole)>) -> Option<String> {
    let (value, limit) = (v.value?, v.limit?);
    let clock = |m: f64| Clock::from_minutes_f64(m).to_string();
    let what = match stop {
        Some((r, role)) => format!("the {} of request {r}", role_name(role)),
        None => format!("request {}", request?),
    };
    Some(match v.kind {
        ViolationKind::RideTime => format!(
            "request {} rides {value:.0} minutes, more than its limit of {limit:.0}",
            request?
        ),
        ViolationKind::TimeWindow if value > limit => format!(
            "{what} starts at {}, after its window ends at {}",
            clock(value),
            clock(limit)
        ),
        ViolationKind::TimeWindow => format!(
            "{what} starts at {}, before its window opens at {}",
            clock(value),
            clock(limit)
        ),
        ViolationKind::Capacity => format!(
            "{value:.0} {} on board after {what}, more than the {limit:.0} the layout holds",
            v.dimension.as_deref().unwrap_or("units")
        ),
        ViolationKind::Link => format!(
            "{what} starts at {}, before the outbound ride ends plus the gap ({})",
            clock(value),
            clock(limit)
        ),
        ViolationKind::ShiftEnd if value > limit => format!(
            "the route ends at {}, after its shift ends at {}",
            clock(value),
            clock(limit)
        ),
        ViolationKind::ShiftEnd => format!(
            "the route starts at {}, before its shift starts at {}",
            clock(value),
            clock(limit)
        ),
        ViolationKind::MaxDuration => {
            format!("the route lasts {value:.0} minutes, more than its limit of {limit:.0}")
        }
        _ => return None,
    })
}
