//! From the solver's solution to a plan the store can keep, and back.

use std::collections::HashMap;

use super::build::Built;
use super::reserved::only_reserved;
use super::verdict::verdict;
use crate::domain::{
    Figures, NewPlan, NewRoute, NewStop, Plan, PlanUnassigned, Route as PlanRoute, StopRole,
    UnassignedReason,
};
use crate::solver::{check, Reason, Route, Solution, StopRole as Role, Unassigned, Visit};

/// A solver route as a plan route, with its shift's vehicle and driver.
pub fn new_route(built: &Built, r: &Route) -> NewRoute {
    let shift = &built.vehicles[r.vehicle];
    NewRoute {
        shift_id: shift.shift_id,
        vehicle_id: shift.vehicle_id,
        volunteer_id: shift.volunteer_id,
        layout: shift.layouts.get(r.layout).cloned().unwrap_or_default(),
        start_min: r.start,
        end_min: r.end,
        distance_km: r.distance,
        locked: false,
        stops: r
            .visits
            .iter()
            .map(|v| {
                let job = &built.jobs[v.job];
                let (role, place_id) = match v.role {
                    Role::Pickup => (StopRole::Pickup, job.from_place_id),
                    Role::Dropoff => (StopRole::Dropoff, job.to_place_id),
                };
                NewStop {
                    request_id: job.request_id,
                    role,
                    place_id,
                    arrival_min: v.arrival,
                    start_min: v.start,
                    departure_min: v.departure,
                }
            })
            .collect(),
    }
}

/// The figures of a whole plan, with the checker's verdict on it.
pub fn figures(
    report: &check::Report,
    solution: &Solution,
    solve_seconds: f64,
    travel_source: &str,
) -> Figures {
    Figures {
        cost: report.cost,
        distance_km: report.distance,
        duration_min: solution
            .routes
            .iter()
            .filter(|r| !r.visits.is_empty())
            .map(Route::duration)
            .sum(),
        solve_seconds,
        travel_source: travel_source.to_string(),
        feasible: report.is_feasible(),
        proved_optimal: solution.proved_optimal && report.is_feasible(),
        violations: Vec::new(),
    }
}

pub fn to_new_plan(
    built: &Built,
    solution: &Solution,
    solve_seconds: f64,
    travel_source: &str,
) -> NewPlan {
    let report = check::check(&built.problem, solution);
    NewPlan {
        figures: figures(&report, solution, solve_seconds, travel_source),
        routes: solution
            .routes
            .iter()
            .map(|r| new_route(built, r))
            .collect(),
        unassigned: solution
            .unassigned
            .iter()
            .map(|u| PlanUnassigned {
                request_id: built.jobs[u.job].request_id,
                reason: if only_reserved(built, solution, u.job) {
                    UnassignedReason::Reserved
                } else {
                    u.reason.into()
                },
                fits_if: None,
            })
            .collect(),
        violations: verdict(built, solution, &report),
    }
}

/// The solver's reason for the checker, which reads none: a request taken out
/// by hand counts as left without room.
fn solver_reason(r: UnassignedReason) -> Reason {
    match r {
        UnassignedReason::Skills | UnassignedReason::Reserved => Reason::Skills,
        UnassignedReason::Capacity => Reason::Capacity,
        UnassignedReason::TimeWindow => Reason::TimeWindow,
        UnassignedReason::RideTime => Reason::RideTime,
        UnassignedReason::Shift => Reason::Shift,
        UnassignedReason::Link => Reason::Link,
        UnassignedReason::NoRoom | UnassignedReason::Manual => Reason::NoRoom,
    }
}

/// A stored plan as a solution of `built`, to check it against the same day.
/// Routes are matched to solver vehicles by shift (or vehicle when unshifted).
pub fn to_solution(built: &Built, plan: &Plan) -> Result<Solution, String> {
    let job_of = jobs_by_request(built);
    let routes = solver_routes(built, &plan.routes)?;
    let unassigned = plan
        .unassigned
        .iter()
        .map(|u| {
            let job = *job_of
                .get(&u.request_id)
                .ok_or_else(|| format!("unassigned request {} not in the day", u.request_id))?;
            Ok(Unassigned {
                job,
                reason: solver_reason(u.reason),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Solution {
        routes,
        unassigned,
        cost: plan.figures.cost,
        distance: plan.figures.distance_km,
        proved_optimal: false,
    })
}

fn jobs_by_request(built: &Built) -> HashMap<i64, usize> {
    built
        .jobs
        .iter()
        .enumerate()
        .map(|(i, j)| (j.request_id, i))
        .collect()
}

/// The solver vehicle a stored route ran on: its shift's (or, unshifted,
/// its vehicle's). A shift cut by blocks has several, one per piece: the
/// first not taken yet whose span holds the route's times.
fn vehicle_of(built: &Built, r: &PlanRoute, used: &[bool]) -> Option<usize> {
    let mine: Vec<usize> = (0..built.vehicles.len())
        .filter(|&v| match (built.vehicles[v].shift_id, r.shift_id) {
            (Some(a), Some(b)) => a == b,
            (None, None) => built.vehicles[v].vehicle_id == r.vehicle_id,
            _ => false,
        })
        .collect();
    if mine.len() <= 1 {
        return mine.first().copied();
    }
    let holds = |v: usize| {
        let shift = built.problem.vehicles[v].shift;
        shift.start <= r.start_min + 1e-6 && r.end_min <= shift.end + 1e-6
    };
    mine.iter()
        .copied()
        .find(|&v| !used[v] && holds(v))
        .or_else(|| mine.iter().copied().find(|&v| holds(v)))
        .or(mine.first().copied())
}

/// Stored routes as routes of `built`'s problem, with their stored times.
pub fn solver_routes(built: &Built, routes: &[PlanRoute]) -> Result<Vec<Route>, String> {
    convert(built, routes, Missing::Fail)
}

/// The same, for a search to start from: a stop whose request left the day
/// is dropped and a route whose shift is gone is left out (the search places
/// what they served again); a layout no longer offered is chosen anew.
pub fn start_routes(built: &Built, routes: &[PlanRoute]) -> Vec<Route> {
    convert(built, routes, Missing::Skip).unwrap_or_default()
}

/// What [`convert`] does with what no longer fits the day.
#[derive(Clone, Copy, PartialEq)]
enum Missing {
    Fail,
    Skip,
}

fn convert(built: &Built, routes: &[PlanRoute], missing: Missing) -> Result<Vec<Route>, String> {
    let job_of = jobs_by_request(built);
    let mut out = Vec::with_capacity(routes.len());
    let mut used = vec![false; built.vehicles.len()];
    for r in routes {
        let Some(vehicle) = vehicle_of(built, r, &used) else {
            match missing {
                Missing::Fail => return Err(format!("route {} has no matching shift", r.id)),
                Missing::Skip => continue,
            }
        };
        let known = built.vehicles[vehicle]
            .layouts
            .iter()
            .position(|l| *l == r.layout);
        let layout = match (known, missing) {
            (Some(layout), _) => layout,
            (None, Missing::Fail) => {
                return Err(format!("route {} has unknown layout {:?}", r.id, r.layout))
            }
            // The search picks the layout again.
            (None, Missing::Skip) => 0,
        };
        used[vehicle] = true;
        // The setup paid is not stored: it follows from the order of the stops.
        let mut prev = None;
        let visits = r
            .stops
            .iter()
            .filter(|s| missing == Missing::Fail || job_of.contains_key(&s.request_id))
            .map(|s| {
                let job = *job_of.get(&s.request_id).ok_or_else(|| {
                    format!(
                        "stop {} serves request {} not in the day",
                        s.id, s.request_id
                    )
                })?;
                let (role, stop) = match s.role {
                    StopRole::Pickup => (Role::Pickup, built.problem.jobs[job].pickup),
                    StopRole::Dropoff => (Role::Dropoff, built.problem.jobs[job].dropoff),
                };
                let setup = stop.map_or(0.0, |st| {
                    built
                        .problem
                        .setup_paid(prev.replace(st.location), st.location)
                });
                Ok(Visit {
                    job,
                    role,
                    arrival: s.arrival_min,
                    start: s.start_min,
                    setup,
                    departure: s.departure_min,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let cost_per_km = built.problem.vehicles[vehicle].cost_per_distance;
        out.push(Route {
            vehicle,
            layout,
            start: r.start_min,
            end: r.end_min,
            visits,
            distance: r.distance_km,
            cost: r.distance_km * cost_per_km,
        });
    }
    Ok(out)
}
