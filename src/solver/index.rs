//! A flat, index-based view of a [`Problem`] that the search reads in its hot loops.
//!
//! Job `j` owns node `2j` (its pickup) and node `2j + 1` (its dropoff); a job
//! without one of the two stops simply never places that node in a route.

use std::collections::HashMap;

use super::model::{JobId, LocationId, Problem, Time, VehicleId};

#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    pub loc: LocationId,
    pub open: Time,
    pub close: Time,
    pub service: Time,
}

/// How a job's load travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Pickup and dropoff both in the route.
    Pair,
    /// Loaded at the vehicle's start, dropped at a door.
    DropOnly,
    /// Picked up at a door, unloaded at the vehicle's end.
    PickOnly,
}

#[derive(Debug, Clone)]
pub(crate) struct JobInfo {
    pub shape: Shape,
    pub ride_limit: Option<Time>,
    pub skills: u64,
    pub priority: f64,
    /// Link constraint where this job is the return: (outbound job, gap, same vehicle).
    pub after: Option<(JobId, Time, bool)>,
    /// Jobs whose return is linked to this one.
    pub before: Vec<JobId>,
}

impl JobInfo {
    /// An outbound or a return of a link: its route and times answer to
    /// another job's.
    pub fn linked(&self) -> bool {
        self.after.is_some() || !self.before.is_empty()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct VehicleInfo {
    pub start: LocationId,
    pub end: LocationId,
    pub open: Time,
    pub close: Time,
    pub max_duration: Time,
    pub fixed: f64,
    pub per_distance: f64,
    pub per_time: f64,
    pub skills: u64,
    pub layouts: Vec<Vec<i32>>,
    /// Vehicles with equal data share a class: the search treats them as interchangeable.
    pub class: usize,
    /// It starts where its last visit was (a re-plan, `prefix::PARKED`).
    pub parked: bool,
}

pub(crate) struct Index<'p> {
    pub problem: &'p Problem,
    pub nodes: Vec<Node>,
    /// `dims` entries per job.
    pub loads: Vec<i32>,
    pub dims: usize,
    pub jobs: Vec<JobInfo>,
    pub vehicles: Vec<VehicleInfo>,
    pub classes: usize,
    pub any_ride_limit: bool,
    /// The longest setup: what a visit's start can gain or lose when the
    /// visit before it changes place (0: no place has one).
    pub max_setup: f64,
    /// Some job prefers some vehicles: the segment search cannot price that.
    pub any_prefer: bool,
    /// The matrix's time and distance side by side per arc: the searches
    /// read both for the same arc, and one cache line then serves both.
    arcs: Vec<[f64; 2]>,
    size: usize,
}

#[inline]
pub(crate) fn pickup(job: JobId) -> usize {
    2 * job
}
#[inline]
pub(crate) fn dropoff(job: JobId) -> usize {
    2 * job + 1
}
#[inline]
pub(crate) fn job_of(node: usize) -> JobId {
    node / 2
}
#[inline]
pub(crate) fn is_pickup(node: usize) -> bool {
    node.is_multiple_of(2)
}

/// Narrows each request's windows by what its ride limit implies: the
/// drop-off starts at most `limit` after the pickup's departure, which comes
/// at least its service and at most its service and setup after the
/// pickup's start. A window left wide at one end (the drop-off of a
/// morning ride, the pickup of a return) then only spans the stretch the
/// other end allows, so the screens turn down the places outside it before
/// any scheduling. No schedule is lost: every bound follows from the
/// constraints (travel times are never negative); a window the bounds
/// would empty is left as it is, for the reasons to name what fails.
fn implied_windows(nodes: &mut [Node], jobs: &[JobInfo], setup: &[Time]) {
    for (j, info) in jobs.iter().enumerate() {
        if info.shape != Shape::Pair {
            continue;
        }
        let (p, d) = (nodes[pickup(j)], nodes[dropoff(j)]);
        let limit = info.ride_limit.unwrap_or(f64::INFINITY);
        let most = p.service + setup.get(p.loc).copied().unwrap_or(0.0);
        let p_open = p.open.max(d.open - limit - most);
        let p_close = p.close.min(d.close - p.service);
        let d_open = d.open.max(p.open + p.service);
        let d_close = d.close.min(p.close + most + limit);
        if p_open <= p_close {
            nodes[pickup(j)].open = p_open;
            nodes[pickup(j)].close = p_close;
        }
        if d_open <= d_close {
            nodes[dropoff(j)].open = d_open;
            nodes[dropoff(j)].close = d_close;
        }
    }
}

/// Per node, the window as booked (before [`implied_windows`]).
pub(crate) fn stated_windows(problem: &Problem) -> Vec<(Time, Time)> {
    problem
        .jobs
        .iter()
        .flat_map(|j| [j.pickup, j.dropoff])
        .map(|s| s.map_or((0.0, 0.0), |s| (s.window.start, s.window.end)))
        .collect()
}

impl<'p> Index<'p> {
    pub fn new(problem: &'p Problem) -> Self {
        let mut skill_bits: HashMap<&str, u32> = HashMap::new();
        let mut mask = |names: &'p [String]| -> u64 {
            names.iter().fold(0u64, |m, s| {
                let n = skill_bits.len() as u32;
                let bit = *skill_bits.entry(s.as_str()).or_insert(n);
                // Beyond 64 distinct skills, masks alias; validation limits skills in practice.
                m | (1u64 << (bit % 64))
            })
        };
        let dims = problem.dimensions.len();
        let mut nodes = Vec::with_capacity(2 * problem.jobs.len());
        let mut loads = Vec::with_capacity(dims * problem.jobs.len());
        let mut jobs = Vec::with_capacity(problem.jobs.len());
        let empty = Node {
            loc: 0,
            open: 0.0,
            close: 0.0,
            service: 0.0,
        };
        for job in &problem.jobs {
            for stop in [job.pickup, job.dropoff] {
                nodes.push(stop.map_or(empty, |s| Node {
                    loc: s.location,
                    open: s.window.start,
                    close: s.window.end,
                    service: s.service,
                }));
            }
            loads.extend_from_slice(&job.load);
            let shape = match (job.pickup.is_some(), job.dropoff.is_some()) {
                (true, true) => Shape::Pair,
                (false, _) => Shape::DropOnly,
                (true, false) => Shape::PickOnly,
            };
            jobs.push(JobInfo {
                shape,
                ride_limit: job.ride_limit(&problem.matrix),
                skills: mask(&job.skills),
                priority: job.priority,
                after: None,
                before: Vec::new(),
            });
        }
        implied_windows(&mut nodes, &jobs, &problem.setup);
        for link in &problem.links {
            jobs[link.inbound].after = Some((link.outbound, link.min_gap, link.same_vehicle));
            jobs[link.outbound].before.push(link.inbound);
        }
        let mut class_of: Vec<(String, usize)> = Vec::new();
        let vehicles = problem
            .vehicles
            .iter()
            .enumerate()
            .map(|(i, v)| {
                // Everything but the id decides the class; a vehicle some job
                // prefers is in a class of its own.
                let preferred = problem
                    .jobs
                    .iter()
                    .flat_map(|j| j.prefer.iter())
                    .any(|p| p.vehicles.contains(&i));
                let key = serde_json::to_string(&(
                    preferred.then_some(i),
                    v.start,
                    v.end,
                    v.shift,
                    v.max_duration,
                    v.fixed_cost,
                    v.cost_per_distance,
                    v.cost_per_time,
                    &v.skills,
                    &v.layouts,
                ))
                .unwrap_or_default();
                let class = match class_of.iter().find(|(k, _)| *k == key) {
                    Some((_, c)) => *c,
                    None => {
                        class_of.push((key, class_of.len()));
                        class_of.len() - 1
                    }
                };
                VehicleInfo {
                    start: v.start,
                    end: v.end,
                    open: v.shift.start,
                    close: v.shift.end,
                    max_duration: v.max_duration.unwrap_or(f64::INFINITY),
                    fixed: v.fixed_cost,
                    per_distance: v.cost_per_distance,
                    per_time: v.cost_per_time,
                    skills: mask(&v.skills),
                    layouts: v.layouts.iter().map(|l| l.capacity.clone()).collect(),
                    class,
                    parked: v.skills.iter().any(|s| s == super::prefix::PARKED),
                }
            })
            .collect();
        let any_ride_limit = jobs.iter().any(|j| j.ride_limit.is_some());
        let max_setup = problem.setup.iter().copied().fold(0.0, f64::max);
        let any_prefer = problem.jobs.iter().any(|j| j.prefer.is_some());
        let m = &problem.matrix;
        let size = m.size();
        let arcs = (0..size * size)
            .map(|k| [m.time(k / size, k % size), m.distance(k / size, k % size)])
            .collect();
        Index {
            problem,
            nodes,
            loads,
            dims,
            jobs,
            vehicles,
            classes: class_of.len(),
            any_ride_limit,
            max_setup,
            any_prefer,
            arcs,
            size,
        }
    }

    /// What job `j` adds to a route of vehicle `v` for not being where it
    /// would rather be.
    #[inline]
    pub fn miss(&self, j: JobId, v: VehicleId) -> f64 {
        if self.any_prefer {
            self.problem.jobs[j].miss(v)
        } else {
            0.0
        }
    }

    /// [`Self::miss`] summed over a route's jobs (each counted at its first node).
    pub fn misses(&self, v: VehicleId, route: &[usize]) -> f64 {
        if !self.any_prefer {
            return 0.0;
        }
        route
            .iter()
            .filter(|&&n| is_pickup(n) || self.jobs[job_of(n)].shape == Shape::DropOnly)
            .map(|&n| self.miss(job_of(n), v))
            .sum()
    }

    /// For the setup rule, the place of the visit before position `k + 1` of
    /// vehicle `v`'s route, at `loc` (position 0 is its start): none before
    /// the first, unless the vehicle is parked at a visit already.
    #[inline]
    pub fn before(&self, v: usize, k: usize, loc: LocationId) -> Option<LocationId> {
        (k > 0 || self.vehicles[v].parked).then_some(loc)
    }

    /// Some place has a setup time: the fast paths skip setups otherwise.
    #[inline]
    pub fn any_setup(&self) -> bool {
        self.max_setup > 0.0
    }

    /// The setup paid at `loc` after a visit at `prev` ([`Problem::setup_paid`]).
    #[inline]
    pub fn setup(&self, prev: Option<LocationId>, loc: LocationId) -> Time {
        if self.any_setup() {
            self.problem.setup_paid(prev, loc)
        } else {
            0.0
        }
    }

    #[inline]
    pub fn load(&self, job: JobId) -> &[i32] {
        &self.loads[job * self.dims..(job + 1) * self.dims]
    }
    #[inline]
    pub fn time(&self, a: LocationId, b: LocationId) -> f64 {
        self.arcs[a * self.size + b][0]
    }
    #[inline]
    pub fn dist(&self, a: LocationId, b: LocationId) -> f64 {
        self.arcs[a * self.size + b][1]
    }
    /// The nodes a job places in a route, in route order.
    pub fn stops(&self, job: JobId) -> (Option<usize>, Option<usize>) {
        match self.jobs[job].shape {
            Shape::Pair => (Some(pickup(job)), Some(dropoff(job))),
            Shape::DropOnly => (None, Some(dropoff(job))),
            Shape::PickOnly => (Some(pickup(job)), None),
        }
    }

    /// Walks the load on board along a node sequence: `on_arc` sees the load
    /// leaving the start and then the load after each node.
    pub fn walk_loads(&self, route: &[usize], load: &mut Vec<i32>, mut on_arc: impl FnMut(&[i32])) {
        load.clear();
        load.resize(self.dims, 0);
        for &n in route {
            let j = job_of(n);
            if self.jobs[j].shape == Shape::DropOnly {
                for (l, q) in load.iter_mut().zip(self.load(j)) {
                    *l += q;
                }
            }
        }
        on_arc(load);
        for &n in route {
            let sign = if is_pickup(n) { 1 } else { -1 };
            for (l, q) in load.iter_mut().zip(self.load(job_of(n))) {
                *l += sign * q;
            }
            on_arc(load);
        }
    }
}
