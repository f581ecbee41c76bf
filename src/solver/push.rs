//! A sufficient test of an insertion's feasibility that needs no new
//! schedule: the route keeps the times it has (or its earliest ones with
//! the same departure), the new visits go in, and each later visit starts
//! as before or, if it now arrives later, on arrival (its wait absorbing
//! what it can). When that schedule keeps every window, ride limit and the
//! duration limit, the insertion is feasible and the eight-step scheduler
//! is not needed to say so. When it does not, the scheduler decides: it may
//! still find a schedule, moving earlier visits.
//!
//! One pass from the insertion on, stopping where the push dies out. Only
//! where a schedule does not change the cost (no time costs) and nothing
//! but the route decides a start (no links, no shared stop times), so that
//! a route the test passes costs exactly its arcs.

use super::index::{dropoff, is_pickup, job_of, pickup, Index, Shape};
use super::model::JobId;
use super::route::{RouteState, NO_PICKUP};
use super::schedule::Windows;

/// Whether the test applies to this problem at all.
pub(crate) fn applies(idx: &Index) -> bool {
    !idx.any_setup() && idx.problem.links.is_empty()
}

/// Whether it applies to routes of vehicle `v`: also no time costs (so
/// the times do not change the cost) and one layout (so the caller's
/// capacity check is the whole of it).
pub(crate) fn applies_to(idx: &Index, v: usize) -> bool {
    let veh = &idx.vehicles[v];
    applies(idx) && veh.per_time == 0.0 && veh.layouts.len() == 1
}

/// Positions after which the new pickup and drop-off go (`None` for a
/// visit the job does not have).
fn positions(idx: &Index, job: JobId, p: usize, d: usize) -> (Option<usize>, Option<usize>) {
    match idx.jobs[job].shape {
        Shape::Pair => (Some(p), Some(d)),
        Shape::DropOnly => (None, Some(d)),
        Shape::PickOnly => (Some(p), None),
    }
}

/// Whether inserting `job` (pickup after position `p`, drop-off after
/// position `d` of the route as it is, as [`super::insertion::apply`]
/// reads them) keeps the route feasible with its times pushed later: from
/// the scheduled times, or else from the earliest ones with the same
/// departure (which leave more room for windows, if no ride breaks).
/// `shift` is scratch space. The caller checks capacity, and that
/// [`applies_to`] the route's vehicle.
pub(crate) fn fits(
    idx: &Index,
    win: &Windows,
    route: &RouteState,
    job: JobId,
    p: usize,
    d: usize,
    shift: &mut Vec<f64>,
) -> bool {
    if route.nodes.is_empty() {
        return false;
    }
    let (at_p, at_d) = positions(idx, job, p, d);
    let first = at_p.or(at_d).unwrap_or(0);
    pushed(idx, win, route, job, p, d, &route.starts, true, shift)
        || (route.early_ok[first]
            && pushed(
                idx,
                win,
                route,
                job,
                p,
                d,
                &route.early,
                route.early_ok[route.early_ok.len() - 1],
                shift,
            ))
}

/// The pushed schedule from `base`, a schedule of the route that keeps
/// its windows and, up to the insertion, its rides; `settled`: all its
/// rides, so that the route after a visit that starts as before is fine.
#[allow(clippy::too_many_arguments)]
fn pushed(
    idx: &Index,
    win: &Windows,
    route: &RouteState,
    job: JobId,
    p: usize,
    d: usize,
    b: &[f64],
    settled: bool,
    shift: &mut Vec<f64>,
) -> bool {
    let m = route.nodes.len();
    let info = &idx.jobs[job];
    let (mut at_p, mut at_d) = positions(idx, job, p, d);
    shift.clear();
    shift.resize(m + 2, 0.0);
    let mut k = at_p.or(at_d).unwrap_or(0);
    let mut loc = route.locs[k];
    let mut dep = b[k] + route.serv[k];
    // The new pickup's departure, for its own ride.
    let mut p_dep = None;
    loop {
        if at_p == Some(k) {
            at_p = None;
            let n = pickup(job);
            let Some(start) = visit(idx, win, n, loc, dep) else {
                return false;
            };
            loc = idx.nodes[n].loc;
            dep = start + idx.nodes[n].service;
            p_dep = Some(dep);
        }
        if at_d == Some(k) {
            at_d = None;
            let n = dropoff(job);
            let Some(start) = visit(idx, win, n, loc, dep) else {
                return false;
            };
            if let (Some(from), Some(limit)) = (p_dep, info.ride_limit) {
                if start - from > limit {
                    return false;
                }
            }
            loc = idx.nodes[n].loc;
            dep = start + idx.nodes[n].service;
        }
        k += 1;
        if k > m + 1 {
            break;
        }
        let start = (dep + idx.time(loc, route.locs[k])).max(b[k]);
        if start > route.close[k] {
            return false;
        }
        shift[k] = start - b[k];
        let pk = route.pick_pos[k];
        if pk != NO_PICKUP {
            let n = route.nodes[k - 1];
            debug_assert!(!is_pickup(n));
            let limit = idx.jobs[job_of(n)].ride_limit.unwrap_or(f64::INFINITY);
            if start - (b[pk] + shift[pk] + route.serv[pk]) > limit {
                return false;
            }
        }
        // Past both new visits, a visit that starts as before leaves the
        // rest of the route as it was.
        if settled && at_p.is_none() && at_d.is_none() && shift[k] == 0.0 {
            return true;
        }
        loc = route.locs[k];
        dep = start + route.serv[k];
    }
    let veh = &idx.vehicles[route.vehicle];
    b[m + 1] + shift[m + 1] - b[0] <= veh.max_duration
}

/// The start of a new visit to node `n` reached from `loc` after `dep`, if
/// its window allows.
fn visit(idx: &Index, win: &Windows, n: usize, loc: usize, dep: f64) -> Option<f64> {
    let (open, close) = win[n];
    let start = (dep + idx.time(loc, idx.nodes[n].loc)).max(open);
    (start <= close).then_some(start)
}
