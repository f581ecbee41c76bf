//! Helpers shared by the integration tests.
#![allow(dead_code)]

use giro::solver::check::check;
use giro::solver::{JobId, Problem, Route, Solution, StopRole, Visit};

pub fn cost_close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// Insists the checker accepts `s` for `p` with the same cost.
pub fn assert_checked(p: &Problem, s: &Solution) {
    let r = check(p, s);
    assert!(
        r.is_feasible(),
        "checker rejects the solver's plan: {:#?}",
        r.violations
    );
    assert!(
        cost_close(r.cost, s.cost),
        "reported cost {} but the checker recomputes {}",
        s.cost,
        r.cost
    );
}

/// A route visiting `stops` as early as possible from the shift start, with
/// its distance and cost.
pub fn build(p: &Problem, vehicle: usize, layout: usize, stops: &[(JobId, StopRole)]) -> Route {
    let v = &p.vehicles[vehicle];
    let (mut at, mut time, mut distance) = (v.start, v.shift.start, 0.0);
    let visits = stops
        .iter()
        .map(|&(job, role)| {
            let s = match role {
                StopRole::Pickup => p.jobs[job].pickup,
                StopRole::Dropoff => p.jobs[job].dropoff,
            }
            .unwrap();
            let arrival = time + p.matrix.time(at, s.location);
            distance += p.matrix.distance(at, s.location);
            let start = arrival.max(s.window.start);
            (at, time) = (s.location, start + s.service);
            Visit {
                job,
                role,
                arrival,
                start,
                setup: 0.0,
                departure: time,
            }
        })
        .collect();
    let end = time + p.matrix.time(at, v.end);
    distance += p.matrix.distance(at, v.end);
    let cost =
        v.fixed_cost + v.cost_per_distance * distance + v.cost_per_time * (end - v.shift.start);
    Route {
        vehicle,
        layout,
        start: v.shift.start,
        end,
        visits,
        distance,
        cost,
    }
}
