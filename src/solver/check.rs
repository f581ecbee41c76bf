//! Independent checker: verifies every constraint of a [`Solution`] against its
//! [`Problem`] and recomputes the cost from scratch.
//!
//! It deliberately shares no code with the search, so that a bug in the
//! search's feasibility logic cannot hide itself here; only the model's own
//! rule for setup times (`Problem::setup_paid`), applied to the visits' order. The problem is assumed to
//! pass [`Problem::validate`]; the solution is not trusted at all.

use serde::{Deserialize, Serialize};

use super::model::{JobId, LocationId, Problem, Stop, Vehicle};
use super::solution::{Route, Solution, StopRole};

/// Absolute tolerance on times; costs use it relative to their magnitude.
pub const TOLERANCE: f64 = 1e-6;

/// Declares the kinds once, with their names and the list of all of them.
macro_rules! violation_kinds {
    ($($(#[$doc:meta])* $v:ident => $name:literal),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum ViolationKind {
            $($(#[$doc])* #[serde(rename = $name)] $v),*
        }

        impl ViolationKind {
            pub const ALL: &'static [ViolationKind] = &[$(ViolationKind::$v),*];

            /// The one text form, as serde writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$v => $name),*
                }
            }
        }
    };
}

violation_kinds! {
    UnknownVehicle => "unknown_vehicle",
    UnknownLayout => "unknown_layout",
    VehicleUsedTwice => "vehicle_used_twice",
    UnknownJob => "unknown_job",
    /// In two routes, twice in one route, listed twice, or both routed and unassigned.
    JobServedTwice => "job_served_twice",
    /// A stop of the job's model is not visited, or a visit serves a stop the model lacks.
    JobMissingStop => "job_missing_stop",
    /// A dropoff visited before its pickup.
    PrecedenceOrder => "precedence_order",
    Skills => "skills",
    Capacity => "capacity",
    TimeWindow => "time_window",
    /// Arrival, start or departure inconsistent with travel and service times.
    Schedule => "schedule",
    RideTime => "ride_time",
    /// The route starts before its shift or ends after it.
    ShiftEnd => "shift_end",
    MaxDuration => "max_duration",
    Link => "link",
    /// A visit a vehicle has already made (its prefix) is missing, moved or
    /// re-timed, or the vehicle goes on before it is ready.
    Prefix => "prefix",
    /// A job neither routed nor listed as unassigned.
    Unlisted => "unlisted",
    /// A reported cost or distance differs from the recomputed one.
    Cost => "cost",
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// Index into [`Solution::routes`].
    pub route: Option<usize>,
    pub job: Option<JobId>,
    pub kind: ViolationKind,
    pub message: String,
    /// The visit concerned (index into the route's visits), when one is.
    pub visit: Option<usize>,
    /// The capacity dimension, for `capacity`.
    pub dimension: Option<String>,
    /// What was measured against the limit it breaks, in the problem's units:
    /// minutes on board or on the road, a time of day, a load.
    pub value: Option<f64>,
    pub limit: Option<f64>,
}

impl Violation {
    fn at(&mut self, visit: usize) -> &mut Self {
        self.visit = Some(visit);
        self
    }

    fn measured(&mut self, value: f64, limit: f64) -> &mut Self {
        (self.value, self.limit) = (Some(value), Some(limit));
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub violations: Vec<Violation>,
    /// Recomputed solution cost: routes plus priorities of unassigned jobs.
    pub cost: f64,
    /// Recomputed total distance.
    pub distance: f64,
    /// Routes with at least one visit.
    pub routes_used: usize,
}

impl Report {
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Verifies `solution` against `problem` and reports every violation found.
pub fn check(problem: &Problem, solution: &Solution) -> Report {
    let mut c = Checker {
        problem,
        solution,
        violations: Vec::new(),
        placed: (0..problem.jobs.len()).map(|_| None).collect(),
    };
    let mut owner: Vec<Option<usize>> = vec![None; problem.vehicles.len()];
    let (mut cost, mut distance, mut routes_used) = (0.0, 0.0, 0);
    for (r, route) in solution.routes.iter().enumerate() {
        // An empty route is an unused vehicle: no cost, nothing to check.
        if route.visits.is_empty() {
            continue;
        }
        routes_used += 1;
        if let Some((d, k)) = c.route(r, route, &mut owner) {
            distance += d;
            cost += k;
        }
    }
    for x in &problem.prefixes {
        let routed = solution
            .routes
            .iter()
            .any(|r| r.vehicle == x.vehicle && !r.visits.is_empty());
        if !x.visits.is_empty() && !routed {
            c.push(
                None,
                None,
                ViolationKind::Prefix,
                format!(
                    "vehicle {} made {} visits but has no route",
                    x.vehicle,
                    x.visits.len()
                ),
            );
        }
    }
    c.jobs();
    c.links();
    cost += c.unassigned();
    for (name, reported, actual) in [
        ("cost", solution.cost, cost),
        ("distance", solution.distance, distance),
    ] {
        if !cost_matches(reported, actual) {
            c.push(
                None,
                None,
                ViolationKind::Cost,
                format!("solution {name} is {reported} but recomputes to {actual}"),
            );
        }
    }
    Report {
        violations: c.violations,
        cost,
        distance,
        routes_used,
    }
}

/// `a >= b` within tolerance; false for NaN, so bad numbers are reported.
fn at_least(a: f64, b: f64) -> bool {
    a >= b - TOLERANCE
}

/// `a == b` within `tol`; false for NaN.
fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

fn cost_matches(reported: f64, actual: f64) -> bool {
    close(reported, actual, TOLERANCE * actual.abs().max(1.0))
}

fn role_name(role: StopRole) -> &'static str {
    match role {
        StopRole::Pickup => "pickup",
        StopRole::Dropoff => "dropoff",
    }
}

/// Where a routed job is served: its first route and the visit index of each stop.
#[derive(Debug, Clone, Copy)]
struct Placement {
    route: usize,
    pickup: Option<usize>,
    dropoff: Option<usize>,
}

struct Checker<'a> {
    problem: &'a Problem,
    solution: &'a Solution,
    violations: Vec<Violation>,
    placed: Vec<Option<Placement>>,
}

impl Checker<'_> {
    fn push(
        &mut self,
        route: Option<usize>,
        job: Option<JobId>,
        kind: ViolationKind,
        message: String,
    ) -> &mut Violation {
        self.violations.push(Violation {
            route,
            job,
            kind,
            message,
            visit: None,
            dimension: None,
            value: None,
            limit: None,
        });
        self.violations.last_mut().expect("just pushed")
    }

    /// Checks one non-empty route; returns its recomputed (distance, cost) when
    /// its vehicle is known.
    fn route(
        &mut self,
        r: usize,
        route: &Route,
        owner: &mut [Option<usize>],
    ) -> Option<(f64, f64)> {
        let stops = self.place(r, route);
        let Some(vehicle) = self.problem.vehicles.get(route.vehicle) else {
            let n = self.problem.vehicles.len();
            self.push(
                Some(r),
                None,
                ViolationKind::UnknownVehicle,
                format!(
                    "route {r} uses vehicle {} but there are {n} vehicles",
                    route.vehicle
                ),
            );
            return None;
        };
        match owner[route.vehicle] {
            Some(first) => {
                self.push(
                    Some(r),
                    None,
                    ViolationKind::VehicleUsedTwice,
                    format!(
                        "route {r} uses vehicle {} ({}) already used by route {first}",
                        route.vehicle, vehicle.id
                    ),
                );
            }
            None => owner[route.vehicle] = Some(r),
        }
        self.skills(r, route, vehicle);
        match vehicle.layouts.get(route.layout) {
            Some(layout) => self.capacity(r, route, &layout.name, &layout.capacity),
            None => {
                let n = vehicle.layouts.len();
                self.push(
                    Some(r),
                    None,
                    ViolationKind::UnknownLayout,
                    format!(
                        "route {r} uses layout {} but vehicle {} has {n} layouts",
                        route.layout, vehicle.id
                    ),
                );
            }
        }
        let done = self.prefix(r, route);
        self.schedule(r, route, vehicle, &stops, done);

        let m = &self.problem.matrix;
        let places: Vec<LocationId> = std::iter::once(vehicle.start)
            .chain(stops.iter().flatten().map(|s| s.location))
            .chain([vehicle.end])
            .collect();
        let distance: f64 = places.windows(2).map(|w| m.distance(w[0], w[1])).sum();
        // A job away from the vehicles it prefers costs what it says, once.
        let mut jobs: Vec<JobId> = route.visits.iter().map(|v| v.job).collect();
        jobs.sort_unstable();
        jobs.dedup();
        let misses: f64 = jobs
            .iter()
            .filter_map(|&j| self.problem.jobs.get(j)?.prefer.as_ref())
            .filter(|p| !p.vehicles.contains(&route.vehicle))
            .map(|p| p.cost)
            .sum();
        let cost = vehicle.fixed_cost
            + vehicle.cost_per_distance * distance
            + vehicle.cost_per_time * route.duration()
            + misses;
        for (name, reported, actual) in [
            ("distance", route.distance, distance),
            ("cost", route.cost, cost),
        ] {
            if !cost_matches(reported, actual) {
                self.push(
                    Some(r),
                    None,
                    ViolationKind::Cost,
                    format!("route {r} {name} is {reported} but recomputes to {actual}"),
                );
            }
        }
        Some((distance, cost))
    }

    /// Records where each job is served and resolves each visit's stop (`None`
    /// for an unknown job or a stop its model lacks).
    fn place(&mut self, r: usize, route: &Route) -> Vec<Option<Stop>> {
        let mut stops = Vec::with_capacity(route.visits.len());
        let mut elsewhere: Vec<JobId> = Vec::new();
        for (i, visit) in route.visits.iter().enumerate() {
            let (j, role) = (visit.job, role_name(visit.role));
            let Some(job) = self.problem.jobs.get(j) else {
                let n = self.problem.jobs.len();
                self.push(
                    Some(r),
                    Some(j),
                    ViolationKind::UnknownJob,
                    format!("route {r} visit {i} serves job {j} but there are {n} jobs"),
                )
                .at(i);
                stops.push(None);
                continue;
            };
            let stop = match visit.role {
                StopRole::Pickup => job.pickup,
                StopRole::Dropoff => job.dropoff,
            };
            stops.push(stop);
            if stop.is_none() {
                self.push(
                    Some(r),
                    Some(j),
                    ViolationKind::JobMissingStop,
                    format!(
                        "route {r} visit {i} serves the {role} of job {j} ({}), which has none",
                        job.id
                    ),
                )
                .at(i);
            }
            let p = self.placed[j].get_or_insert(Placement {
                route: r,
                pickup: None,
                dropoff: None,
            });
            if p.route != r {
                let first = p.route;
                if !elsewhere.contains(&j) {
                    elsewhere.push(j);
                    self.push(
                        Some(r),
                        Some(j),
                        ViolationKind::JobServedTwice,
                        format!(
                            "job {j} ({}) is served by route {first} and again by route {r}",
                            job.id
                        ),
                    );
                }
                continue;
            }
            let slot = match visit.role {
                StopRole::Pickup => &mut p.pickup,
                StopRole::Dropoff => &mut p.dropoff,
            };
            match *slot {
                Some(prev) if stop.is_some() => {
                    self.push(
                        Some(r),
                        Some(j),
                        ViolationKind::JobServedTwice,
                        format!(
                            "route {r} visits {prev} and {i} both serve the {role} of job {j} ({})",
                            job.id
                        ),
                    )
                    .at(i);
                }
                _ if stop.is_some() => *slot = Some(i),
                _ => {}
            }
        }
        stops
    }

    /// Distinct known jobs of a route, in order of first visit.
    fn route_jobs(&self, route: &Route) -> Vec<JobId> {
        let mut jobs: Vec<JobId> = Vec::new();
        for v in &route.visits {
            if v.job < self.problem.jobs.len() && !jobs.contains(&v.job) {
                jobs.push(v.job);
            }
        }
        jobs
    }

    fn skills(&mut self, r: usize, route: &Route, vehicle: &Vehicle) {
        for j in self.route_jobs(route) {
            let job = &self.problem.jobs[j];
            let missing: Vec<&str> = job
                .skills
                .iter()
                .filter(|s| !vehicle.skills.contains(s))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                self.push(
                    Some(r),
                    Some(j),
                    ViolationKind::Skills,
                    format!(
                        "route {r}: vehicle {} lacks skills {missing:?} needed by job {j} ({})",
                        vehicle.id, job.id
                    ),
                );
            }
        }
    }

    fn capacity(&mut self, r: usize, route: &Route, layout: &str, capacity: &[i32]) {
        let jobs = &self.problem.jobs;
        let dims = capacity.len();
        let amount = |j: JobId, d: usize| i64::from(jobs[j].load.get(d).copied().unwrap_or(0));
        // Jobs without a pickup are on board from the vehicle's start.
        let mut load = vec![0i64; dims];
        for j in self.route_jobs(route) {
            if jobs[j].pickup.is_none() {
                (0..dims).for_each(|d| load[d] += amount(j, d));
            }
        }
        // Report each overload once, where it begins, rather than at every visit.
        let mut over = vec![false; dims];
        for i in 0..=route.visits.len() {
            let mut job = None;
            if i > 0 {
                let v = &route.visits[i - 1];
                let Some(model) = jobs.get(v.job) else {
                    continue;
                };
                let sign = match v.role {
                    StopRole::Pickup if model.pickup.is_some() => 1,
                    StopRole::Dropoff if model.dropoff.is_some() => -1,
                    _ => continue,
                };
                (0..dims).for_each(|d| load[d] += sign * amount(v.job, d));
                job = Some(v.job);
            }
            for d in 0..dims {
                let bad = load[d] < 0 || load[d] > i64::from(capacity[d]);
                if bad && !over[d] {
                    let at = match job {
                        Some(j) => format!(
                            "after visit {} ({} of job {j})",
                            i - 1,
                            role_name(route.visits[i - 1].role)
                        ),
                        None => "at the start".to_string(),
                    };
                    let dim = self.problem.dimensions.get(d).map_or("?", String::as_str);
                    let v = self.push(
                        Some(r),
                        job,
                        ViolationKind::Capacity,
                        format!(
                            "route {r} {at}: load {} in {dim} is outside 0..={} of layout {layout}",
                            load[d], capacity[d]
                        ),
                    );
                    v.measured(load[d] as f64, f64::from(capacity[d]));
                    v.dimension = Some(dim.to_string());
                    if i > 0 {
                        v.at(i - 1);
                    }
                }
                over[d] = bad;
            }
        }
    }

    /// Holds the route to its vehicle's prefix: the same visits first, at the
    /// reported times. Returns how many visits are facts, not plans.
    fn prefix(&mut self, r: usize, route: &Route) -> usize {
        let Some(x) = self
            .problem
            .prefixes
            .iter()
            .find(|x| x.vehicle == route.vehicle)
        else {
            return 0;
        };
        if !x.visits.is_empty() && !close(route.start, x.start, TOLERANCE) {
            self.push(
                Some(r),
                None,
                ViolationKind::Prefix,
                format!(
                    "route {r} leaves at {} but its vehicle left at {}",
                    route.start, x.start
                ),
            )
            .measured(route.start, x.start);
        }
        for (k, done) in x.visits.iter().enumerate() {
            let same = route.visits.get(k).is_some_and(|v| {
                v.job == done.job
                    && v.role == done.role
                    && close(v.arrival, done.arrival, TOLERANCE)
                    && close(v.start, done.start, TOLERANCE)
                    && close(v.departure, done.departure, TOLERANCE)
            });
            if !same {
                self.push(
                    Some(r),
                    Some(done.job),
                    ViolationKind::Prefix,
                    format!(
                        "route {r} visit {k} should be the {} of job {} done at {}",
                        role_name(done.role),
                        done.job,
                        done.start
                    ),
                )
                .at(k);
                return 0;
            }
        }
        if x.visits.is_empty() && !at_least(route.start, x.ready) {
            self.push(
                Some(r),
                None,
                ViolationKind::Prefix,
                format!(
                    "route {r} leaves at {} before its vehicle is ready at {}",
                    route.start, x.ready
                ),
            )
            .measured(route.start, x.ready);
        }
        x.visits.len()
    }

    /// Times and windows of the planned visits; the first `done` are facts,
    /// and the first after them goes on no earlier than the vehicle is ready.
    fn schedule(
        &mut self,
        r: usize,
        route: &Route,
        vehicle: &Vehicle,
        stops: &[Option<Stop>],
        done: usize,
    ) {
        use ViolationKind::{MaxDuration, Schedule, ShiftEnd, TimeWindow};
        let ready = self
            .problem
            .prefixes
            .iter()
            .find(|x| x.vehicle == route.vehicle)
            .map_or(f64::NEG_INFINITY, |x| x.ready);
        let m = &self.problem.matrix;
        let shift = vehicle.shift;
        if !at_least(route.start, shift.start) {
            self.push(
                Some(r),
                None,
                ShiftEnd,
                format!(
                    "route {r} starts at {} before its shift starts at {}",
                    route.start, shift.start
                ),
            )
            .measured(route.start, shift.start);
        }
        let (mut at, mut departure) = (vehicle.start, route.start);
        // The place of the visit before, for the setup rule; not the start depot.
        let mut prev = None;
        for (i, (v, stop)) in route.visits.iter().zip(stops).enumerate() {
            let Some(stop) = stop else { continue };
            if i < done {
                prev = Some(stop.location);
                (at, departure) = (stop.location, v.departure);
                continue;
            }
            if i == done && done > 0 {
                departure = departure.max(ready);
            }
            let (j, what) = (
                Some(v.job),
                format!(
                    "route {r} visit {i} ({} of job {})",
                    role_name(v.role),
                    v.job
                ),
            );
            let travel = m.time(at, stop.location);
            if !at_least(v.arrival, departure + travel) {
                let earliest = departure + travel;
                let msg = format!(
                    "{what} arrives at {} but cannot before {earliest} \
                     (departure {departure} + travel {travel})",
                    v.arrival
                );
                self.push(Some(r), j, Schedule, msg)
                    .at(i)
                    .measured(v.arrival, earliest);
            }
            if !at_least(v.start, v.arrival) {
                self.push(
                    Some(r),
                    j,
                    Schedule,
                    format!(
                        "{what} starts service at {} before arriving at {}",
                        v.start, v.arrival
                    ),
                )
                .at(i)
                .measured(v.start, v.arrival);
            }
            let w = stop.window;
            if !at_least(v.start, w.start) || !at_least(w.end, v.start) {
                // The bound broken: the end when late, the start when early.
                let bound = if v.start > w.end { w.end } else { w.start };
                self.push(
                    Some(r),
                    j,
                    TimeWindow,
                    format!(
                        "{what} starts service at {} outside its window [{}, {}]",
                        v.start, w.start, w.end
                    ),
                )
                .at(i)
                .measured(v.start, bound);
            }
            let setup = self
                .problem
                .setup_paid(prev.replace(stop.location), stop.location);
            if !close(v.setup, setup, TOLERANCE) {
                self.push(
                    Some(r),
                    j,
                    Schedule,
                    format!(
                        "{what} reports setup {} but pays {setup} at location {}",
                        v.setup, stop.location
                    ),
                )
                .at(i)
                .measured(v.setup, setup);
            }
            let end = v.start + setup + stop.service;
            if !close(v.departure, end, TOLERANCE) {
                self.push(
                    Some(r),
                    j,
                    Schedule,
                    format!(
                        "{what} departs at {} but setup {setup} and service {} from {} end at {end}",
                        v.departure, stop.service, v.start,
                    ),
                )
                .at(i)
                .measured(v.departure, end);
            }
            (at, departure) = (stop.location, v.departure);
        }
        let travel = m.time(at, vehicle.end);
        if !at_least(route.end, departure + travel) {
            let earliest = departure + travel;
            let msg = format!(
                "route {r} ends at {} but cannot before {earliest} \
                 (departure {departure} + travel {travel})",
                route.end
            );
            self.push(Some(r), None, Schedule, msg)
                .measured(route.end, earliest);
        }
        if !at_least(shift.end, route.end) {
            self.push(
                Some(r),
                None,
                ShiftEnd,
                format!(
                    "route {r} ends at {} after its shift ends at {}",
                    route.end, shift.end
                ),
            )
            .measured(route.end, shift.end);
        }
        if let Some(max) = vehicle.max_duration {
            if !at_least(max, route.duration()) {
                self.push(
                    Some(r),
                    None,
                    MaxDuration,
                    format!(
                        "route {r} lasts {} (from {} to {}), more than its maximum {max}",
                        route.duration(),
                        route.start,
                        route.end
                    ),
                )
                .measured(route.duration(), max);
            }
        }
    }

    /// Missing stops, precedence and ride time of each routed job.
    fn jobs(&mut self) {
        for j in 0..self.placed.len() {
            let Some(p) = self.placed[j] else { continue };
            let job = &self.problem.jobs[j];
            let r = p.route;
            for (role, has, visited) in [
                ("pickup", job.pickup.is_some(), p.pickup),
                ("dropoff", job.dropoff.is_some(), p.dropoff),
            ] {
                if has && visited.is_none() {
                    self.push(
                        Some(r),
                        Some(j),
                        ViolationKind::JobMissingStop,
                        format!("job {j} ({}) is in route {r} without its {role}", job.id),
                    );
                }
            }
            let (Some(pi), Some(di)) = (p.pickup, p.dropoff) else {
                continue;
            };
            if di < pi {
                let msg = format!(
                    "route {r}: job {j} ({}) is dropped off at visit {di}, before pickup at {pi}",
                    job.id
                );
                self.push(Some(r), Some(j), ViolationKind::PrecedenceOrder, msg)
                    .at(di);
            }
            let visits = &self.solution.routes[r].visits;
            let ride = visits[di].start - visits[pi].departure;
            if let Some(limit) = job.ride_limit(&self.problem.matrix) {
                if !at_least(limit, ride) {
                    let (from, to) = (visits[pi].departure, visits[di].start);
                    let msg = format!(
                        "route {r}: job {j} ({}) rides {ride} (from {from} to {to}), \
                         more than its limit {limit}",
                        job.id
                    );
                    self.push(Some(r), Some(j), ViolationKind::RideTime, msg)
                        .at(di)
                        .measured(ride, limit);
                }
            }
        }
    }

    fn links(&mut self) {
        for (k, link) in self.problem.links.iter().enumerate() {
            let (o, i) = (link.outbound, link.inbound);
            let (Some(&Some(out)), Some(&Some(inb))) = (self.placed.get(o), self.placed.get(i))
            else {
                continue;
            };
            if link.same_vehicle && out.route != inb.route {
                let msg = format!(
                    "link {k}: job {o} is in route {} but its return {i} in route {}",
                    out.route, inb.route
                );
                self.push(Some(inb.route), Some(i), ViolationKind::Link, msg);
            }
            let (Some(d), Some(p)) = (out.dropoff, inb.pickup) else {
                continue;
            };
            let ready = self.solution.routes[out.route].visits[d].departure + link.min_gap;
            let start = self.solution.routes[inb.route].visits[p].start;
            if !at_least(start, ready) {
                let msg = format!(
                    "link {k}: return {i} is picked up at {start}, \
                     before {ready} (dropoff of {o} ends + gap {})",
                    link.min_gap
                );
                self.push(Some(inb.route), Some(i), ViolationKind::Link, msg)
                    .at(p)
                    .measured(start, ready);
            }
        }
    }

    /// Checks the unassigned list and that every job is accounted for; returns
    /// the priorities of the jobs left out.
    fn unassigned(&mut self) -> f64 {
        let jobs = &self.problem.jobs;
        let mut listed = vec![false; jobs.len()];
        let mut penalty = 0.0;
        for u in &self.solution.unassigned {
            let j = u.job;
            if j >= jobs.len() {
                self.push(
                    None,
                    Some(j),
                    ViolationKind::UnknownJob,
                    format!("unassigned job {j} does not exist ({} jobs)", jobs.len()),
                );
            } else if listed[j] {
                self.push(
                    None,
                    Some(j),
                    ViolationKind::JobServedTwice,
                    format!("job {j} ({}) is listed twice as unassigned", jobs[j].id),
                );
            } else {
                listed[j] = true;
                penalty += jobs[j].priority;
                if let Some(p) = self.placed[j] {
                    self.push(
                        Some(p.route),
                        Some(j),
                        ViolationKind::JobServedTwice,
                        format!(
                            "job {j} ({}) is both in route {} and unassigned",
                            jobs[j].id, p.route
                        ),
                    );
                }
            }
        }
        for j in 0..jobs.len() {
            if !listed[j] && self.placed[j].is_none() {
                self.push(
                    None,
                    Some(j),
                    ViolationKind::Unlisted,
                    format!("job {j} ({}) is neither routed nor unassigned", jobs[j].id),
                );
            }
        }
        penalty
    }
}
