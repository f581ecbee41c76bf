//! The problem of the rest of a published day, for `service::replan`: each
//! vehicle's prefix from the drivers' reports (`solver::Prefix`), withdrawn
//! shifts cut short, and every request promised a pickup held to its promise
//! (`domain::lifecycle::promise`) — the search keeps promises first and
//! breaks one only for a request that has no other way in.

use std::collections::{HashMap, HashSet};

use crate::domain::{replan, Id, Plan, StopKey};
use crate::solver::{JobId, Preference, Prefix, Problem, Solution, StopRole, TimeWindow, Visit};

use super::verdict::stop_role;
use super::{to_solution, Built};

/// Less than a report's resolution (a millisecond), in minutes.
const SAME_MOMENT: f64 = 1e-3 / 60.0;

/// How much more leaving out a request with a promised pickup costs.
const PROMISE_WEIGHT: f64 = 100.0;

/// What happened and what is asked, in the plan's minutes.
pub struct Standing<'a> {
    /// When each stop was reported done.
    pub done: &'a HashMap<StopKey, f64>,
    /// Stops whose last report is something else (skipped, no-show, arrived):
    /// never taken as done without a word.
    pub reported: &'a HashSet<StopKey>,
    /// Nothing goes on before this (now, or the time asked).
    pub now: Option<f64>,
    /// Shifts off the road from a time on.
    pub withdrawn: &'a [(Id, f64)],
    /// The promised pickup window of each request, when it has one.
    pub promises: &'a HashMap<Id, (f64, f64)>,
    /// Locked routes kept whole, all of each a prefix (a re-plan). A fit
    /// leaves them open and marks the ways on them instead.
    pub keep_locked: bool,
}

/// The rest of the day: the problem with prefixes and promises, the
/// published plan as a start, and the promised jobs with their own windows.
pub struct Rest {
    pub problem: Problem,
    pub start: Solution,
    pub promised: Vec<(JobId, TimeWindow)>,
}

pub fn rest_of_day(built: &Built, published: &Plan, standing: &Standing) -> Result<Rest, String> {
    let in_day: HashMap<Id, JobId> = built
        .jobs
        .iter()
        .enumerate()
        .map(|(j, r)| (r.request_id, j))
        .collect();
    // Requests cancelled since publishing leave the plan.
    let mut plan = published.clone();
    for r in &mut plan.routes {
        r.stops.retain(|s| in_day.contains_key(&s.request_id));
    }
    plan.routes.retain(|r| !r.stops.is_empty());
    plan.unassigned
        .retain(|u| in_day.contains_key(&u.request_id));
    let start = to_solution(built, &plan)?;
    let mut problem = built.problem.clone();
    // A route the dispatcher locked stays as it is: all of it a prefix, its
    // vehicle taking no one else.
    let locked: HashSet<Id> = plan
        .routes
        .iter()
        .filter(|r| r.locked && standing.keep_locked)
        .filter_map(|r| r.shift_id)
        .collect();

    let mut prefixes = Vec::new();
    for route in &start.routes {
        let kept = built.vehicles[route.vehicle]
            .shift_id
            .is_some_and(|id| locked.contains(&id));
        let mut visits: Vec<Visit> = Vec::new();
        let mut last: Option<usize> = None;
        // The last visit of the plan taken as done.
        let mut through: Option<usize> = None;
        for (k, w) in route.visits.iter().enumerate() {
            let key = StopKey::new(built.jobs[w.job].request_id, stop_role(w.role));
            let at = match standing.done.get(&key) {
                // Reports keep the millisecond: a report of the planned
                // departure is the planned departure, not a hair later (which
                // would push a stop planned at the very end of its window out).
                Some(&at) if (at - w.departure).abs() < SAME_MOMENT => w.departure,
                Some(&at) => at,
                // Planned to be served from before now and not reported: done
                // as planned (the vehicle is there or has left). Phones with
                // no signal report late, and moving a rider already served
                // would break a promise for nothing.
                None if kept
                    || !standing.reported.contains(&key)
                        && standing.now.is_some_and(|now| w.start <= now) =>
                {
                    w.departure
                }
                None => continue,
            };
            through = Some(k);
            // A drop-off reported without its pickup: the pickup happened too.
            if w.role == StopRole::Dropoff
                && problem.jobs[w.job].pickup.is_some()
                && !visits.iter().any(|x| x.job == w.job)
            {
                push(
                    &problem,
                    &mut visits,
                    &mut last,
                    w.job,
                    StopRole::Pickup,
                    at,
                );
            }
            push(&problem, &mut visits, &mut last, w.job, w.role, at);
        }
        // At `now` a vehicle is on its way to the next stop planned, not
        // held at the last one: it goes on no earlier than it must leave to
        // reach that stop by now. (A new first stop may so be reached up to
        // one leg before now: the price of not knowing where on the road it is.)
        let leg = through
            .and_then(|k| Some(route.visits.get(k + 1)?.arrival - route.visits[k].departure))
            .unwrap_or(0.0);
        let ready = match (visits.last(), standing.now) {
            (Some(x), Some(now)) => x.departure.max(now - leg),
            (Some(x), None) => x.departure,
            (None, Some(now)) => now,
            (None, None) => f64::NEG_INFINITY,
        };
        if visits.is_empty() && standing.now.is_none() {
            continue;
        }
        let first = visits.first().map_or(route.start, |x| x.arrival);
        prefixes.push(Prefix {
            vehicle: route.vehicle,
            start: route.start.min(first),
            visits,
            ready,
            loaded: vec![],
            closed: kept,
        });
    }
    // Vehicles with no route yet go on from now too.
    if let Some(now) = standing.now {
        for v in 0..problem.vehicles.len() {
            if !prefixes.iter().any(|x| x.vehicle == v) {
                prefixes.push(Prefix {
                    vehicle: v,
                    start: now,
                    visits: vec![],
                    ready: now,
                    loaded: vec![],
                    closed: false,
                });
            }
        }
    }
    // A shift withdrawn by the time its vehicle goes on drops whoever is on
    // board and takes no one else; one withdrawn later ends then.
    for (v, veh) in problem.vehicles.iter_mut().enumerate() {
        let shift = built.vehicles[v].shift_id;
        let Some(&(_, from)) = standing.withdrawn.iter().find(|w| Some(w.0) == shift) else {
            continue;
        };
        match prefixes.iter_mut().find(|x| x.vehicle == v) {
            Some(x) if from <= x.ready => x.closed = true,
            None if standing.now.is_none() && from <= veh.shift.start => {
                veh.shift.end = veh.shift.start;
            }
            _ => veh.shift.end = veh.shift.end.min(from).max(veh.shift.start),
        }
    }
    problem.prefixes = prefixes;

    // The requests of a withdrawn shift have lost their seat: they compete
    // with new ones, not with those whose promise still stands.
    let withdrawn: Vec<usize> = (0..problem.vehicles.len())
        .filter(|&v| {
            let shift = built.vehicles[v].shift_id;
            standing.withdrawn.iter().any(|w| Some(w.0) == shift)
        })
        .collect();
    let unseated: Vec<JobId> = start
        .routes
        .iter()
        .filter(|r| withdrawn.contains(&r.vehicle))
        .flat_map(|r| r.visits.iter().map(|w| w.job))
        .collect();
    // Each request stays with the vehicle it was published on unless moving
    // it saves more than the change costs those told.
    let published_on: HashMap<JobId, usize> = start
        .routes
        .iter()
        .filter(|r| !withdrawn.contains(&r.vehicle))
        .flat_map(|r| r.visits.iter().map(move |w| (w.job, r.vehicle)))
        .collect();
    let mut promised = Vec::new();
    for (j, job) in problem.jobs.iter_mut().enumerate() {
        if let Some(&v) = published_on.get(&j) {
            job.prefer = Some(Preference {
                vehicles: vec![v],
                cost: replan::STAY_KM,
            });
        }
        let Some(&(open, close)) = standing.promises.get(&built.jobs[j].request_id) else {
            continue;
        };
        let Some(p) = job.pickup.as_mut() else {
            continue;
        };
        let (a, b) = (p.window.start.max(open), p.window.end.min(close));
        if a <= b {
            promised.push((j, p.window));
            p.window = TimeWindow::new(a, b);
        }
        // Dropping a promised request costs more than leaving out new ones.
        if !unseated.contains(&j) {
            job.priority *= PROMISE_WEIGHT;
        }
    }
    problem.validate().map_err(|e| e.to_string())?;
    // The plan as it stands now: its stops after the reports timed again.
    let start = crate::solver::settle(&problem, &start);
    Ok(Rest {
        problem,
        start,
        promised,
    })
}

/// A visit reported done at `at`, in order: never before the one before it ends.
fn push(
    p: &Problem,
    visits: &mut Vec<Visit>,
    last: &mut Option<usize>,
    job: JobId,
    role: StopRole,
    at: f64,
) {
    let stop = match role {
        StopRole::Pickup => p.jobs[job].pickup,
        StopRole::Dropoff => p.jobs[job].dropoff,
    }
    .expect("a visit of the plan has its stop");
    // A driver reports a stop done as the vehicle leaves it.
    let setup = p.setup_paid(last.replace(stop.location), stop.location);
    let served = at - setup - stop.service;
    let start = visits.last().map_or(served, |x| served.max(x.departure));
    visits.push(Visit {
        job,
        role,
        arrival: start,
        start,
        setup,
        departure: start + setup + stop.service,
    });
}
