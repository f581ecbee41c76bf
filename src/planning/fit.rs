//! "Can we fit it?" in the plan's terms: the solver's ways for one request
//! (`solver::fit_ways`) as shifts, clock times and kilometres, with who else
//! moves on the route that takes it.

use crate::domain::fit::{nudges, Blocked, ShiftBlock, Way};
use crate::domain::lifecycle::promise;
use crate::domain::ride_policy::RidePolicy;
use crate::domain::{Clock, Id, StopRole as Role};
use crate::solver::{
    Fit, FitError, JobId, Problem, Reason, Route, Solution, TimeWindow, Unassigned,
};

use super::verdict::stop_role;
use super::Built;

/// The solver job of a request of the day.
pub fn job_of(built: &Built, request_id: Id) -> Option<JobId> {
    built.jobs.iter().position(|j| j.request_id == request_id)
}

/// A solver way as the dispatcher reads it.
pub fn way(built: &Built, base: &Solution, fit: &Fit, policy: &RidePolicy, locked: bool) -> Way {
    let shift = &built.vehicles[fit.vehicle];
    let time = |pos: Option<usize>| pos.map(|k| Clock::from_minutes_f64(fit.route.visits[k].start));
    let before = base
        .routes
        .iter()
        .find(|r| r.vehicle == fit.vehicle && !r.visits.is_empty());
    let stops = |r: &Route| -> Vec<(Id, Role, f64)> {
        r.visits
            .iter()
            .filter(|w| w.job != fit.job)
            .map(|w| (built.jobs[w.job].request_id, stop_role(w.role), w.start))
            .collect()
    };
    let pickup = time(fit.pickup_pos);
    Way {
        shift_id: shift.shift_id.unwrap_or_default(),
        vehicle_id: shift.vehicle_id,
        pickup,
        promised: pickup.map(|p| promise(p, policy)),
        dropoff: time(fit.dropoff_pos),
        added_km: fit.route.distance - before.map_or(0.0, |r| r.distance),
        moves: before.map_or_else(Vec::new, |b| nudges(&stops(b), &stops(&fit.route))),
        locked,
    }
}

/// Why the request fits nowhere, by shift.
pub fn blocked(built: &Built, error: &FitError) -> Option<Blocked> {
    let FitError::Blocked { reason, vehicles } = error else {
        return None;
    };
    let mut shifts: Vec<ShiftBlock> = Vec::new();
    for &(v, r) in vehicles {
        let Some(shift_id) = built.vehicles[v].shift_id else {
            continue;
        };
        // A shift cut in pieces answers once: by its first piece's reason.
        if !shifts.iter().any(|s| s.shift_id == shift_id) {
            shifts.push(ShiftBlock {
                shift_id,
                reason: r.into(),
            });
        }
    }
    Some(Blocked {
        reason: (*reason).into(),
        shifts,
        fits_if: None,
    })
}

/// `problem` with every window of `job` moved by `minutes`: the request's
/// time moved (`domain::fits_if::shifted` says whether it may be), its
/// windows following as they were built from it.
pub fn moved(problem: &Problem, job: JobId, minutes: i32) -> Problem {
    let mut p = problem.clone();
    let by = f64::from(minutes);
    let j = &mut p.jobs[job];
    for stop in [j.pickup.as_mut(), j.dropoff.as_mut()]
        .into_iter()
        .flatten()
    {
        stop.window = TimeWindow::new(stop.window.start + by, stop.window.end + by);
    }
    p
}

/// `solution` with every job of `problem` in it: one booked since the plan
/// was made, in no route and on no list, is listed as left out for want of
/// room (the fit did not try it; the next solve will). Totals recomputed.
pub fn list_all(solution: &mut Solution, problem: &Problem) {
    let mut seen = vec![false; problem.jobs.len()];
    for w in solution.routes.iter().flat_map(|r| &r.visits) {
        seen[w.job] = true;
    }
    for u in &solution.unassigned {
        seen[u.job] = true;
    }
    for (job, _) in seen.iter().enumerate().filter(|(_, s)| !**s) {
        solution.unassigned.push(Unassigned {
            job,
            reason: Reason::NoRoom,
        });
    }
    solution.distance = solution.routes.iter().map(|r| r.distance).sum();
    solution.cost = solution.routes.iter().map(|r| r.cost).sum::<f64>()
        + solution
            .unassigned
            .iter()
            .map(|u| problem.jobs[u.job].priority)
            .sum::<f64>();
}
