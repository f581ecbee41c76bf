//! Planning again from where the day stands ([`Prefix`]). The search sees
//! only what is left: each vehicle that has left starts at its last visit
//! when it is ready, a rider on board is a drop-off pinned to that vehicle
//! whose ride clock is a deadline, a collection on board takes its room for
//! the rest of the day, and done jobs are gone. The solution of what is left
//! is then put back behind the prefixes, as one solution of the whole day for
//! the checker, which holds it to the prefixes as they were reported.
//!
//! One approximation, on the safe side: a vehicle between two stops is taken
//! to wait at the last one until it is ready. And for the search a vehicle
//! under way pays time costs from when it goes on.

use super::model::{JobId, LocationId, ModelError, Problem, Time, Vehicle, VehicleId};
use super::solution::{Reason, Route, Solution, StopRole, Unassigned, Visit};
use super::timing::Timer;

/// The skill that pins a job to vehicle `v` of the whole problem.
fn pin(v: VehicleId) -> String {
    format!("prefix:on-board:{v}")
}
/// The skill of the vehicles still at their start, for jobs loaded there.
const AT_START: &str = "prefix:at-start";
/// The skill of a vehicle under way, which starts at its last visit: a first
/// visit at that place pays no setup again (read by `Index`).
pub(crate) const PARKED: &str = "prefix:parked";
/// The skill of the vehicles that take new jobs, when some are withdrawn.
const OPEN: &str = "prefix:open";
/// A skill no vehicle has: a return whose outbound ended too late to keep the gap.
const MISSED: &str = "prefix:missed-link";
/// An on-board rider left out would be stranded: worth far more than anyone else.
const ON_BOARD_WEIGHT: f64 = 1000.0;

/// Checks the prefixes against the rest of the problem (already validated).
pub(crate) fn validate(p: &Problem) -> Result<(), ModelError> {
    let mut seen = vec![[false; 2]; p.jobs.len()];
    let mut owner = vec![false; p.vehicles.len()];
    for (i, x) in p.prefixes.iter().enumerate() {
        let f = |s: &str| format!("prefixes[{i}].{s}");
        if x.vehicle >= p.vehicles.len() {
            return Err(ModelError::new(
                f("vehicle"),
                format!("vehicle {} does not exist", x.vehicle),
            ));
        }
        if std::mem::replace(&mut owner[x.vehicle], true) {
            return Err(ModelError::new(
                f("vehicle"),
                "a vehicle has at most one prefix",
            ));
        }
        if !x.start.is_finite() || !x.ready.is_finite() {
            return Err(ModelError::new(f("start"), "times must be finite"));
        }
        let mut last = x.start;
        for (k, v) in x.visits.iter().enumerate() {
            let g = |s: &str| f(&format!("visits[{k}].{s}"));
            let Some(job) = p.jobs.get(v.job) else {
                return Err(ModelError::new(
                    g("job"),
                    format!("job {} does not exist", v.job),
                ));
            };
            let (stop, slot) = match v.role {
                StopRole::Pickup => (job.pickup, 0),
                StopRole::Dropoff => (job.dropoff, 1),
            };
            if stop.is_none() {
                return Err(ModelError::new(g("role"), "the job has no such stop"));
            }
            if std::mem::replace(&mut seen[v.job][slot], true) {
                return Err(ModelError::new(g("job"), "a stop is done only once"));
            }
            if v.role == StopRole::Dropoff && job.pickup.is_some() && !seen[v.job][0] {
                return Err(ModelError::new(
                    g("role"),
                    "a drop-off is done after its pickup, on the same vehicle",
                ));
            }
            let times = [v.arrival, v.start, v.departure];
            if times.iter().any(|t| !t.is_finite())
                || v.arrival < last - 1e-9
                || v.start < v.arrival - 1e-9
                || v.departure < v.start - 1e-9
            {
                return Err(ModelError::new(
                    g("start"),
                    "visits are reported in order: arrival, start, departure",
                ));
            }
            last = v.departure;
        }
        for (k, &j) in x.loaded.iter().enumerate() {
            if p.jobs.get(j).is_none_or(|job| job.pickup.is_some()) {
                return Err(ModelError::new(
                    f(&format!("loaded[{k}]")),
                    "only a job without a pickup stop is loaded at the start",
                ));
            }
        }
    }
    // A pickup done by one vehicle is dropped by the same one.
    for x in &p.prefixes {
        for v in x.visits.iter().filter(|v| v.role == StopRole::Dropoff) {
            let picked_here = x
                .visits
                .iter()
                .any(|w| w.job == v.job && w.role == StopRole::Pickup);
            if p.jobs[v.job].pickup.is_some() && !picked_here {
                return Err(ModelError::new(
                    "prefixes",
                    format!("job {} is dropped by another vehicle", v.job),
                ));
            }
        }
    }
    Ok(())
}

/// Where each of a job's stops was done: (vehicle, visit index).
#[derive(Clone, Copy, Default)]
struct Done {
    pickup: Option<(VehicleId, usize)>,
    dropoff: Option<(VehicleId, usize)>,
}

/// `s` made to stand on the day as it is: each route's prefix as reported
/// and what follows it timed again from where, and when, its vehicle goes
/// on. A plan made before the reports (or before now) keeps its order; only
/// its times move. Without prefixes, `s` itself.
pub fn settle(problem: &Problem, s: &Solution) -> Solution {
    if problem.prefixes.is_empty() {
        return s.clone();
    }
    let rest = Rest::new(problem);
    let mut left = rest.rest(problem, s);
    let mut timer = Timer::new(&rest.problem);
    for r in &mut left.routes {
        let visits: Vec<(JobId, StopRole)> = r.visits.iter().map(|w| (w.job, w.role)).collect();
        if let Ok(timed) = timer.time(r.vehicle, &visits, &[]) {
            *r = timed;
        }
    }
    rest.whole(problem, &left)
}

/// The problem of what is left, and the maps back to the whole day.
pub(crate) struct Rest {
    pub problem: Problem,
    /// Rest job → whole job.
    jobs: Vec<JobId>,
    /// Whole job → rest job.
    rest_of: Vec<Option<JobId>>,
    /// Per vehicle: rest layout → whole layout.
    layouts: Vec<Vec<usize>>,
    /// Whole jobs kept out because their link can no longer hold.
    missed: Vec<JobId>,
}

impl Rest {
    pub fn new(whole: &Problem) -> Self {
        let m = &whole.matrix;
        let mut done = vec![Done::default(); whole.jobs.len()];
        for x in &whole.prefixes {
            for (k, v) in x.visits.iter().enumerate() {
                let at = Some((x.vehicle, k));
                match v.role {
                    StopRole::Pickup => done[v.job].pickup = at,
                    StopRole::Dropoff => done[v.job].dropoff = at,
                }
            }
        }
        let prefix_of = |v: VehicleId| whole.prefixes.iter().find(|x| x.vehicle == v);
        let anyone_left = whole.prefixes.iter().any(|x| !x.visits.is_empty());

        let mut vehicles: Vec<Vehicle> = whole.vehicles.clone();
        let mut layouts: Vec<Vec<usize>> = whole
            .vehicles
            .iter()
            .map(|v| (0..v.layouts.len()).collect())
            .collect();
        for (v, veh) in vehicles.iter_mut().enumerate() {
            let Some(x) = prefix_of(v) else {
                if anyone_left {
                    veh.skills.push(AT_START.into());
                }
                continue;
            };
            let Some(last) = x.visits.last() else {
                veh.shift.start = veh.shift.start.max(x.ready);
                veh.shift.end = veh.shift.end.max(veh.shift.start);
                veh.skills.push(AT_START.into());
                continue;
            };
            veh.start = location(whole, last);
            veh.skills.push(PARKED.into());
            // The vehicle is out and pays its fixed cost whatever happens, and
            // its way home from here if nothing is left: what the rest costs
            // is only what it adds to that.
            veh.fixed_cost = -veh.cost_per_distance * m.distance(veh.start, veh.end);
            veh.shift.start = veh.shift.start.max(x.ready).max(last.departure);
            if let Some(md) = veh.max_duration.take() {
                veh.shift.end = veh.shift.end.min(x.start + md);
            }
            veh.shift.end = veh.shift.end.max(veh.shift.start);
            veh.skills.push(pin(v));
            // The loads the prefix carried, and what stays on board to the end.
            let dims = whole.dimensions.len();
            let mut load: Vec<i32> = vec![0; dims];
            let mut kept: Vec<i32> = vec![0; dims];
            let at_start = whole
                .jobs
                .iter()
                .enumerate()
                .filter(|(j, job)| {
                    job.pickup.is_none()
                        && (x.loaded.contains(j) || done[*j].dropoff.is_some_and(|d| d.0 == v))
                })
                .map(|(_, job)| &job.load);
            for l in at_start {
                add(&mut load, l, 1);
            }
            let mut peak = load.clone();
            for w in &x.visits {
                let job = &whole.jobs[w.job];
                match w.role {
                    StopRole::Pickup => {
                        add(&mut load, &job.load, 1);
                        if job.dropoff.is_none() {
                            add(&mut kept, &job.load, 1);
                        }
                    }
                    StopRole::Dropoff => add(&mut load, &job.load, -1),
                }
                for (p, l) in peak.iter_mut().zip(&load) {
                    *p = (*p).max(*l);
                }
            }
            let fits: Vec<usize> = (0..veh.layouts.len())
                .filter(|&k| {
                    veh.layouts[k]
                        .capacity
                        .iter()
                        .zip(&peak)
                        .all(|(c, p)| c >= p)
                })
                .collect();
            if !fits.is_empty() {
                veh.layouts = fits.iter().map(|&k| veh.layouts[k].clone()).collect();
                layouts[v] = fits;
            }
            for l in &mut veh.layouts {
                for (c, k) in l.capacity.iter_mut().zip(&kept) {
                    *c = (*c - k).max(0);
                }
            }
        }

        let any_closed = whole.prefixes.iter().any(|x| x.closed);
        if any_closed {
            for (v, veh) in vehicles.iter_mut().enumerate() {
                if !prefix_of(v).is_some_and(|x| x.closed) {
                    veh.skills.push(OPEN.into());
                }
            }
        }
        let mut jobs = Vec::new();
        let mut rest_of = vec![None; whole.jobs.len()];
        let mut rest_jobs = Vec::new();
        for (j, job) in whole.jobs.iter().enumerate() {
            let d = done[j];
            let picked = job.pickup.is_none() || d.pickup.is_some();
            let dropped = job.dropoff.is_none() || d.dropoff.is_some();
            if picked && dropped {
                continue;
            }
            let mut r = job.clone();
            match (job.pickup, d.pickup) {
                // On board since its pickup: dropped by the same vehicle, on its clock.
                (Some(_), Some((v, k))) => {
                    let drop = job.dropoff.expect("not dropped yet");
                    let picked_at = &prefix_of(v).expect("a prefix").visits[k];
                    let mut window = drop.window;
                    if let Some(limit) = job.ride_limit(m) {
                        window.end = window.end.min(picked_at.departure + limit);
                    }
                    let veh = &vehicles[v];
                    let earliest = veh.shift.start + m.time(veh.start, drop.location);
                    window.end = window.end.max(earliest).max(window.start);
                    r.pickup = None;
                    r.max_ride = None;
                    r.dropoff = Some(super::model::Stop { window, ..drop });
                    r.skills.push(pin(v));
                    r.priority *= ON_BOARD_WEIGHT;
                }
                // Loaded at a start: on board if this vehicle has left with it.
                (None, _) => match whole.prefixes.iter().find(|x| x.loaded.contains(&j)) {
                    Some(x) if !x.visits.is_empty() => {
                        r.skills.push(pin(x.vehicle));
                        r.priority *= ON_BOARD_WEIGHT;
                    }
                    _ if anyone_left => r.skills.push(AT_START.into()),
                    _ => {}
                },
                (Some(_), None) => {}
            }
            let on_board = r.skills.iter().any(|s| s.starts_with("prefix:on-board:"));
            if any_closed && !on_board {
                r.skills.push(OPEN.into());
            }
            rest_of[j] = Some(jobs.len());
            jobs.push(j);
            rest_jobs.push(r);
        }

        let mut links = Vec::new();
        let mut missed = Vec::new();
        for l in &whole.links {
            let (o, i) = (l.outbound, l.inbound);
            let Some(ri) = rest_of[i].filter(|_| done[i].pickup.is_none()) else {
                // The return has left: an outbound still to do can no longer precede it.
                if let Some(ro) = rest_of[o].filter(|_| done[i].pickup.is_some()) {
                    rest_jobs[ro].skills.push(MISSED.into());
                    missed.push(o);
                }
                continue;
            };
            match (rest_of[o], done[o].dropoff) {
                (Some(ro), _) => links.push(super::model::Link {
                    outbound: ro,
                    inbound: ri,
                    ..*l
                }),
                (None, Some((v, k))) => {
                    let ended = prefix_of(v).expect("a prefix").visits[k].departure;
                    let job = &mut rest_jobs[ri];
                    let stop = job.pickup.as_mut().expect("a return has a pickup");
                    if ended + l.min_gap > stop.window.end {
                        job.skills.push(MISSED.into());
                        missed.push(i);
                    } else {
                        stop.window.start = stop.window.start.max(ended + l.min_gap);
                    }
                    if l.same_vehicle {
                        job.skills.push(pin(v));
                    }
                }
                (None, None) => {}
            }
        }

        let problem = Problem {
            name: whole.name.clone(),
            dimensions: whole.dimensions.clone(),
            matrix: whole.matrix.clone(),
            vehicles,
            jobs: rest_jobs,
            links,
            setup: whole.setup.clone(),
            prefixes: Vec::new(),
        };
        Rest {
            problem,
            jobs,
            rest_of,
            layouts,
            missed,
        }
    }

    /// The whole day's solution: each prefix, then its vehicle's route of
    /// what was left, timed as the search timed it.
    pub fn whole(&self, whole: &Problem, rest: &Solution) -> Solution {
        let mut routes = Vec::new();
        for v in 0..whole.vehicles.len() {
            let tail = rest.routes.iter().find(|r| r.vehicle == v);
            let prefix = whole
                .prefixes
                .iter()
                .find(|x| x.vehicle == v && !x.visits.is_empty());
            let route = match (prefix, tail) {
                (None, None) => continue,
                (None, Some(t)) => Route {
                    layout: self.layouts[v][t.layout],
                    visits: self.visits(&t.visits),
                    ..t.clone()
                },
                (Some(x), tail) => {
                    let mut visits = x.visits.clone();
                    let last = location(whole, visits.last().expect("visits"));
                    let first_new = visits.len();
                    let end = match tail {
                        Some(t) => {
                            visits.extend(self.visits(&t.visits));
                            t.end
                        }
                        None => {
                            let veh = &self.problem.vehicles[v];
                            veh.shift.start + whole.matrix.time(last, whole.vehicles[v].end)
                        }
                    };
                    // The first visit after the prefix at the same place pays no setup again.
                    if let Some(n) = visits.get(first_new).cloned() {
                        let loc = location(whole, &n);
                        let setup = whole.setup_paid(Some(last), loc);
                        let service = stop_service(whole, &n);
                        visits[first_new].setup = setup;
                        visits[first_new].departure = n.start + setup + service;
                    }
                    Route {
                        vehicle: v,
                        layout: self.layouts[v][tail.map_or(0, |t| t.layout)],
                        start: x.start,
                        end,
                        visits,
                        distance: 0.0,
                        cost: 0.0,
                    }
                }
            };
            routes.push(priced(whole, route));
        }
        let mut unassigned: Vec<Unassigned> = rest
            .unassigned
            .iter()
            .map(|u| {
                let job = self.jobs[u.job];
                let reason = if self.missed.contains(&job) {
                    Reason::Link
                } else {
                    u.reason
                };
                Unassigned { job, reason }
            })
            .collect();
        unassigned.sort_by_key(|u| u.job);
        totalled(whole, routes, unassigned)
    }

    /// A whole-day solution seen as one of what is left: each route without
    /// its vehicle's prefix (its visits dropped wherever they stand), priced
    /// on the rest's vehicles. For a warm start and for fitting one more job.
    pub fn rest(&self, whole: &Problem, s: &Solution) -> Solution {
        let mut routes = Vec::new();
        for r in &s.routes {
            let visits: Vec<Visit> = r
                .visits
                .iter()
                .filter(|w| !in_prefix(whole, w))
                .filter_map(|w| {
                    Some(Visit {
                        job: self.rest_of.get(w.job).copied().flatten()?,
                        ..w.clone()
                    })
                })
                .collect();
            if visits.is_empty() || r.vehicle >= self.problem.vehicles.len() {
                continue;
            }
            let layout = self.layouts[r.vehicle]
                .iter()
                .position(|&k| k == r.layout)
                .unwrap_or(0);
            let start = match whole.prefixes.iter().find(|x| x.vehicle == r.vehicle) {
                Some(x) if !x.visits.is_empty() => self.problem.vehicles[r.vehicle].shift.start,
                _ => r.start,
            };
            let route = Route {
                layout,
                start,
                visits,
                ..r.clone()
            };
            routes.push(priced(&self.problem, route));
        }
        let unassigned: Vec<Unassigned> = s
            .unassigned
            .iter()
            .filter_map(|u| {
                Some(Unassigned {
                    job: self.rest_of.get(u.job).copied().flatten()?,
                    reason: u.reason,
                })
            })
            .collect();
        totalled(&self.problem, routes, unassigned)
    }

    /// The rest job of a whole job, when something of it is left.
    pub fn rest_job(&self, whole: JobId) -> Option<JobId> {
        self.rest_of.get(whole).copied().flatten()
    }

    /// A rest route's visits as the whole day's.
    fn visits(&self, visits: &[Visit]) -> Vec<Visit> {
        visits
            .iter()
            .map(|w| Visit {
                job: self.jobs[w.job],
                ..w.clone()
            })
            .collect()
    }
}

/// Whether `w` is a visit some prefix reports.
fn in_prefix(p: &Problem, w: &Visit) -> bool {
    p.prefixes
        .iter()
        .any(|x| x.visits.iter().any(|v| v.job == w.job && v.role == w.role))
}

fn add(acc: &mut [i32], load: &[i32], sign: i32) {
    for (a, l) in acc.iter_mut().zip(load) {
        *a += sign * l;
    }
}

fn stop_of(p: &Problem, w: &Visit) -> super::model::Stop {
    let job = &p.jobs[w.job];
    match w.role {
        StopRole::Pickup => job.pickup,
        StopRole::Dropoff => job.dropoff,
    }
    .expect("validated: the stop exists")
}

fn location(p: &Problem, w: &Visit) -> LocationId {
    stop_of(p, w).location
}

fn stop_service(p: &Problem, w: &Visit) -> Time {
    stop_of(p, w).service
}

/// A solution of `p` from its routes and the jobs left out, with its totals.
fn totalled(p: &Problem, routes: Vec<Route>, unassigned: Vec<Unassigned>) -> Solution {
    let cost = routes.iter().map(|r| r.cost).sum::<f64>()
        + unassigned
            .iter()
            .map(|u| p.jobs[u.job].priority)
            .sum::<f64>();
    Solution {
        distance: routes.iter().map(|r| r.distance).sum(),
        routes,
        unassigned,
        cost,
        proved_optimal: false,
    }
}

/// The route with its distance and cost recomputed over all its visits.
fn priced(p: &Problem, mut r: Route) -> Route {
    let veh = &p.vehicles[r.vehicle];
    let places: Vec<LocationId> = std::iter::once(veh.start)
        .chain(r.visits.iter().map(|w| location(p, w)))
        .chain([veh.end])
        .collect();
    r.distance = places
        .windows(2)
        .map(|w| p.matrix.distance(w[0], w[1]))
        .sum();
    let mut jobs: Vec<JobId> = r.visits.iter().map(|w| w.job).collect();
    jobs.sort_unstable();
    jobs.dedup();
    r.cost = veh.fixed_cost
        + veh.cost_per_distance * r.distance
        + veh.cost_per_time * r.duration()
        + jobs.iter().map(|&j| p.jobs[j].miss(r.vehicle)).sum::<f64>();
    r
}
