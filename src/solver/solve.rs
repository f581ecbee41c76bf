//! The public entry point: options, progress reports and the final solution.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::index::{dropoff, is_pickup, job_of, pickup, Index};
use super::insertion::{apply, Inserter};
use super::model::{ModelError, Problem};
use super::prefix::Rest;
use super::route::RouteState;
use super::schedule::Scheduler;
use super::solution::{Reason, Route, Solution, StopRole, Unassigned, Visit};
use super::state::State;

#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    /// Wall-clock budget; the run stops at whichever of this and `iterations` comes first.
    pub time_limit: Option<Duration>,
    /// Iteration budget: with it (and a time limit that does not bind) a run is deterministic.
    pub iterations: Option<u64>,
    /// Set to true from another thread to stop early with the best plan so far.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Recombine the route pool by set partitioning (an LP/MIP) at fixed
    /// points of the run; off only to measure what it adds.
    pub set_partitioning: bool,
    /// A plan to start from (a re-plan starts from the published one): its
    /// routes are kept where they are still feasible and the search never
    /// returns anything worse. Jobs it leaves out are inserted first.
    pub initial: Option<Solution>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            seed: 1,
            time_limit: Some(Duration::from_secs(5)),
            iterations: None,
            cancel: None,
            set_partitioning: true,
            initial: None,
        }
    }
}

impl Options {
    /// Fraction of the budget used, in [0, 1].
    pub(crate) fn progress(&self, elapsed: Duration, iteration: u64) -> f64 {
        let by_time = self
            .time_limit
            .map_or(0.0, |t| elapsed.as_secs_f64() / t.as_secs_f64().max(1e-9));
        let by_iter = self
            .iterations
            .map_or(0.0, |n| iteration as f64 / n.max(1) as f64);
        if self.time_limit.is_none() && self.iterations.is_none() {
            return 1.0;
        }
        by_time.max(by_iter).min(1.0)
    }

    pub(crate) fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// Time allowed for one set-partitioning solve: at most `share` of the
    /// limit and half of what is left.
    pub(crate) fn sp_seconds(&self, elapsed: Duration, share: f64) -> f64 {
        match self.time_limit {
            Some(t) => ((t.saturating_sub(elapsed)).as_secs_f64() * 0.5)
                .min(t.as_secs_f64() * share)
                .max(0.0),
            None => 1.0,
        }
    }
}

/// A report of the best plan so far, for progress bars.
#[derive(Debug, Clone)]
pub struct Progress {
    pub elapsed: Duration,
    pub iteration: u64,
    pub best_cost: f64,
    pub unassigned: usize,
    pub routes: usize,
    /// Time spent so far in set partitioning.
    pub sp_time: Duration,
    /// True on the last report of a run.
    pub done: bool,
}

pub fn solve(problem: &Problem, options: &Options) -> Result<Solution, ModelError> {
    solve_with_progress(problem, options, &mut |_| {})
}

pub fn solve_with_progress(
    problem: &Problem,
    options: &Options,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<Solution, ModelError> {
    problem.validate()?;
    if !problem.prefixes.is_empty() {
        // Plan what is left, then put it back behind what has happened.
        let rest = Rest::new(problem);
        let options = Options {
            initial: options.initial.as_ref().map(|s| rest.rest(problem, s)),
            ..options.clone()
        };
        // Not validated again (a vehicle under way may have a negative fixed
        // cost, see `Rest`), nor given to the exact step, whose bounds assume
        // costs that never fall.
        let idx = Index::new(&rest.problem);
        let best = super::alns::search(&idx, &options, on_progress);
        return Ok(rest.whole(problem, &to_solution(&idx, &best)));
    }
    let idx = Index::new(problem);
    let best = super::alns::search(&idx, options, on_progress);
    // Small one-vehicle days: prove the plan optimal, or find the optimum.
    Ok(super::exact::finish(
        &idx,
        options,
        to_solution(&idx, &best),
    ))
}

fn to_solution(idx: &Index, state: &State) -> Solution {
    // A route may hold times kept from before a request left it
    // (`RouteState::keep_times`): the plan gets the scheduler's.
    let mut sched = Scheduler::new(idx);
    let routes: Vec<Route> = state
        .routes
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| {
            let mut timed = r.clone();
            match timed.refresh(idx, &state.win, &mut sched) {
                Ok(()) => to_route(idx, &timed),
                Err(_) => to_route(idx, r),
            }
        })
        .collect();
    let mut unassigned: Vec<Unassigned> = state
        .unassigned
        .iter()
        .map(|&j| Unassigned {
            job: j,
            reason: why_unassigned(idx, j),
        })
        .collect();
    unassigned.sort_by_key(|u| u.job);
    let cost = routes.iter().map(|r| r.cost).sum::<f64>()
        + unassigned
            .iter()
            .map(|u| idx.jobs[u.job].priority)
            .sum::<f64>();
    let distance = routes.iter().map(|r| r.distance).sum();
    Solution {
        routes,
        unassigned,
        cost,
        distance,
        proved_optimal: false,
    }
}

/// A scheduled route as the solver reports it.
pub(crate) fn to_route(idx: &Index, r: &RouteState) -> Route {
    let visits = r
        .nodes
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let start = r.starts[i + 1];
            let setup = idx.setup(idx.before(r.vehicle, i, r.locs[i]), r.locs[i + 1]);
            Visit {
                job: job_of(n),
                role: if is_pickup(n) {
                    StopRole::Pickup
                } else {
                    StopRole::Dropoff
                },
                arrival: r.arrivals[i + 1],
                start,
                setup,
                departure: start + setup + idx.nodes[n].service,
            }
        })
        .collect();
    Route {
        vehicle: r.vehicle,
        layout: r.eval.layout,
        start: r.eval.start,
        end: r.eval.end,
        visits,
        distance: r.eval.distance,
        cost: r.eval.cost,
    }
}

/// The constraint that keeps a job out even of an empty vehicle of each kind;
/// if some empty vehicle could take it, the others simply left no room.
pub(crate) fn why_unassigned(idx: &Index, job: usize) -> Reason {
    match alone(idx, job, &[]) {
        Ok(()) => linked_reason(idx, job).unwrap_or(Reason::NoRoom),
        // Windows that only the shift's end spoils: the shift is to blame.
        Err(Reason::TimeWindow) if shift_relaxed_fits(idx, job) => Reason::Shift,
        Err(r) => r,
    }
}

/// Tries `job` (after `first`, if given) in an empty route of each vehicle class.
fn alone(idx: &Index, job: usize, first: &[usize]) -> Result<(), Reason> {
    let win: Vec<(f64, f64)> = idx.nodes.iter().map(|n| (n.open, n.close)).collect();
    let mut ins = Inserter::new(idx);
    let mut rng = fastrand::Rng::with_seed(0);
    let mut reason = None;
    let mut seen = vec![false; idx.classes];
    'classes: for (v, veh) in idx.vehicles.iter().enumerate() {
        if std::mem::replace(&mut seen[veh.class], true) {
            continue;
        }
        let mut route = RouteState::empty(idx, v);
        for &f in first {
            let Ok(c) = ins.best(idx, &win, &route, v, f, 0.0, &mut rng) else {
                continue 'classes;
            };
            apply(idx, &mut route.nodes, f, c.p, c.d);
            if route.refresh(idx, &win, &mut ins.sched).is_err() {
                continue 'classes;
            }
        }
        match ins.best(idx, &win, &route, v, job, 0.0, &mut rng) {
            Ok(_) => return Ok(()),
            // Skills is the least telling reason when another vehicle gets further.
            Err(r) if reason.is_none() || reason == Some(Reason::Skills) => reason = Some(r),
            Err(_) => {}
        }
    }
    Err(reason.unwrap_or(Reason::NoRoom))
}

fn shift_relaxed_fits(idx: &Index, job: usize) -> bool {
    let mut relaxed = idx.problem.clone();
    for v in &mut relaxed.vehicles {
        v.shift.end = f64::MAX / 4.0;
        v.max_duration = None;
    }
    alone(&Index::new(&relaxed), job, &[]).is_ok()
}

/// A return that cannot follow its outbound: too soon after it, or on no
/// vehicle that could carry both.
fn linked_reason(idx: &Index, job: usize) -> Option<Reason> {
    let info = &idx.jobs[job];
    let partners = info.after.iter().map(|&(out, _, same)| (out, same)).chain(
        info.before
            .iter()
            .map(|&inb| (inb, idx.jobs[inb].after.is_some_and(|(_, _, same)| same))),
    );
    for (other, same) in partners {
        if same && alone(idx, job, &[other]).is_err() {
            return Some(Reason::Link);
        }
    }
    let (out, gap, _) = info.after?;
    let earliest_return = idx.nodes[dropoff(out)].open + idx.nodes[dropoff(out)].service + gap;
    (earliest_return > idx.nodes[pickup(job)].close).then_some(Reason::Link)
}
