//! Does one more job fit the day's plan? The cheapest feasible place for it in
//! the routes as they stand: every other job keeps its vehicle and its order,
//! times may shift within the rules, and an unused vehicle may take it. When
//! nothing fits, the reasons say what blocks it, overall and per vehicle.
//!
//! Links to jobs on other routes hold against those routes' reported times:
//! a return waits for its outbound's reported departure plus the gap, and an
//! outbound must leave by its return's reported start less the gap.

use super::index::{dropoff, pickup, Index, Shape};
use super::insertion::{apply, Inserter, Insertion};
use super::model::{JobId, ModelError, Problem, VehicleId};
use super::prefix::Rest;
use super::route::RouteState;
use super::schedule::Scheduler;
use super::solution::{Reason, Route, Solution, StopRole};
use super::solve::{to_route, why_unassigned};

/// The cheapest place found for a job.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub job: JobId,
    pub vehicle: VehicleId,
    /// Index of the job's pickup among `route.visits`; `None` when it has none.
    pub pickup_pos: Option<usize>,
    /// Index of the job's dropoff among `route.visits`; `None` when it has none.
    pub dropoff_pos: Option<usize>,
    /// The vehicle's route cost with the job minus without (an unused
    /// vehicle's fixed cost included).
    pub added_cost: f64,
    /// The vehicle's whole route with the job in, timed again.
    pub route: Route,
    /// The penalty the plan stops paying, if it listed the job as left out.
    saved: f64,
}

impl Fit {
    /// `solution` with the job in: the vehicle's route replaced (or added),
    /// the job off the list of those left out, the totals updated. The result
    /// is what [`crate::solver::check::check`] should accept.
    pub fn apply(&self, solution: &Solution) -> Solution {
        let mut s = solution.clone();
        let old = s
            .routes
            .iter()
            .position(|r| r.vehicle == self.vehicle && !r.visits.is_empty());
        let (cost, distance) = match old {
            Some(k) => {
                let was = std::mem::replace(&mut s.routes[k], self.route.clone());
                (was.cost, was.distance)
            }
            None => {
                s.routes.retain(|r| r.vehicle != self.vehicle);
                s.routes.push(self.route.clone());
                (0.0, 0.0)
            }
        };
        s.cost += self.route.cost - cost;
        s.distance += self.route.distance - distance;
        if let Some(k) = s.unassigned.iter().position(|u| u.job == self.job) {
            s.unassigned.remove(k);
            s.cost -= self.saved;
        }
        s
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    /// The job, or the plan, does not belong to the problem (names the field).
    #[error(transparent)]
    Invalid(#[from] ModelError),
    /// No feasible place: the most telling reason, and each vehicle's own.
    #[error("the job fits nowhere: {reason:?}")]
    Blocked {
        reason: Reason,
        vehicles: Vec<(VehicleId, Reason)>,
    },
}

/// [`places`] on a day under way: into what is left of it, the prefixes kept.
fn places_rest(
    problem: &Problem,
    solution: &Solution,
    job: JobId,
    all: bool,
) -> Result<Vec<Fit>, FitError> {
    let rest = Rest::new(problem);
    let Some(j) = rest.rest_job(job) else {
        return Err(ModelError::new("job", format!("job {job} is already done")).into());
    };
    let left = rest.rest(problem, solution);
    let saved = if solution.unassigned.iter().any(|u| u.job == job) {
        problem.jobs[job].priority
    } else {
        0.0
    };
    let mut out = Vec::new();
    for found in places(&rest.problem, &left, j, all)? {
        let whole = rest.whole(problem, &found.apply(&left));
        let route = whole
            .routes
            .into_iter()
            .find(|r| r.vehicle == found.vehicle)
            .expect("the fitted vehicle has a route");
        let before = solution
            .routes
            .iter()
            .find(|r| r.vehicle == found.vehicle && !r.visits.is_empty())
            .map_or(0.0, |r| r.cost);
        let position = |role| {
            route
                .visits
                .iter()
                .position(|w| w.job == job && w.role == role)
        };
        out.push(Fit {
            job,
            vehicle: found.vehicle,
            pickup_pos: position(StopRole::Pickup),
            dropoff_pos: position(StopRole::Dropoff),
            added_cost: route.cost - before,
            saved,
            route,
        });
    }
    Ok(out)
}

/// The cheapest feasible insertion of `job` (not in any route of `solution`)
/// into the routes of `solution`, or an unused vehicle. Cost: the problem's
/// validation, then one screened insertion per vehicle class and route, as
/// in the search (microseconds to milliseconds for a day).
pub fn fit(problem: &Problem, solution: &Solution, job: JobId) -> Result<Fit, FitError> {
    Ok(ways(problem, solution, job, false)?
        .into_iter()
        .next()
        .expect("a fit or a reason"))
}

/// Every way `job` fits: the cheapest place on each vehicle that can take it
/// (one for each class of unused vehicles), cheapest first; never empty.
pub fn fit_ways(problem: &Problem, solution: &Solution, job: JobId) -> Result<Vec<Fit>, FitError> {
    ways(problem, solution, job, true)
}

fn ways(
    problem: &Problem,
    solution: &Solution,
    job: JobId,
    all: bool,
) -> Result<Vec<Fit>, FitError> {
    problem.validate()?;
    if job >= problem.jobs.len() {
        return Err(ModelError::new("job", format!("job {job} does not exist")).into());
    }
    if !problem.prefixes.is_empty() {
        return places_rest(problem, solution, job, all);
    }
    places(problem, solution, job, all)
}

/// The places for `job` on a problem known to be valid (or a rest, see
/// `Rest`): the cheapest only, or the cheapest on each vehicle that can take
/// it (`all`), cheapest first.
fn places(
    problem: &Problem,
    solution: &Solution,
    job: JobId,
    all: bool,
) -> Result<Vec<Fit>, FitError> {
    let idx = Index::new(problem);
    let day = Day::read(&idx, solution, job)?;
    let mut win: Vec<(f64, f64)> = idx.nodes.iter().map(|n| (n.open, n.close)).collect();
    let mut deadline: Vec<Option<f64>> = vec![None; idx.nodes.len()];
    day.bound_links(&idx, solution, &mut win, &mut deadline);
    let bounds = JobBounds::new(&idx, &day, solution, job);

    let mut sched = Scheduler::new(&idx);
    let nv = idx.vehicles.len();
    let routes: Vec<Result<RouteState, Reason>> = (0..nv)
        .map(|v| {
            let mut r = RouteState::empty(&idx, v);
            r.nodes.clone_from(&day.nodes[v]);
            if !r.is_empty() {
                r.refresh(&idx, &win, &mut sched)?;
            }
            Ok(r)
        })
        .collect();

    let mut ins = Inserter::new(&idx);
    let mut results: Vec<Option<Result<Insertion, Reason>>> = vec![None; nv];
    let mut class_rep: Vec<Option<VehicleId>> = vec![None; idx.classes];
    for v in 0..nv {
        let route = match &routes[v] {
            Ok(r) => r,
            Err(e) => {
                results[v] = Some(Err(*e));
                continue;
            }
        };
        if bounds.only.is_some_and(|o| o != v) {
            results[v] = Some(Err(Reason::Link));
            continue;
        }
        if route.is_empty() {
            // Unused vehicles of a class are interchangeable: try one.
            let c = idx.vehicles[v].class;
            if class_rep[c].is_some() {
                continue;
            }
            class_rep[c] = Some(v);
        }
        let mut result = Err(Reason::NoRoom);
        for linked in [true, false] {
            bounds.set(&idx, v, linked, &mut win, &mut deadline);
            let mut accept = |nodes: &[usize], s: &Scheduler| {
                nodes.iter().enumerate().all(|(k, &n)| {
                    deadline[n].is_none_or(|latest| s.departure(k + 1) <= latest + 1e-9)
                })
            };
            let found = ins.best_where(&idx, &win, route, v, job, &mut accept);
            result = match (linked, found) {
                (true, found) => found,
                // It fits here but for a link to another route: name the link.
                (false, Ok(_)) => Err(Reason::Link),
                (false, Err(_)) => result,
            };
            if result.is_ok() || !bounds.binds(v) {
                break;
            }
        }
        results[v] = Some(result);
    }

    let mut found: Vec<(VehicleId, Insertion)> = results
        .iter()
        .enumerate()
        .filter_map(|(v, r)| match r {
            Some(Ok(c)) => Some((v, *c)),
            _ => None,
        })
        .collect();
    if found.is_empty() {
        let vehicles: Vec<(VehicleId, Reason)> = (0..nv)
            .map(|v| {
                let r = results[v]
                    .or_else(|| class_rep[idx.vehicles[v].class].and_then(|rep| results[rep]));
                (v, r.and_then(Result::err).unwrap_or(Reason::NoRoom))
            })
            .collect();
        let reason = telling(&idx, &bounds, job, &vehicles);
        return Err(FitError::Blocked { reason, vehicles });
    }
    found.sort_by(|a, b| a.1.delta.total_cmp(&b.1.delta));
    found.truncate(if all { nv } else { 1 });
    let saved = if solution.unassigned.iter().any(|u| u.job == job) {
        idx.jobs[job].priority
    } else {
        0.0
    };
    found
        .into_iter()
        .map(|(v, c)| {
            let Ok(chosen) = &routes[v] else {
                unreachable!("only schedulable routes take a job")
            };
            let mut route = chosen.clone();
            apply(&idx, &mut route.nodes, job, c.p, c.d);
            bounds.set(&idx, v, true, &mut win, &mut deadline);
            if let Err(reason) = route.refresh(&idx, &win, &mut sched) {
                // The same sequence and windows were just scheduled: not expected.
                return Err(FitError::Blocked {
                    reason,
                    vehicles: vec![(v, reason)],
                });
            }
            let position = |n: usize| route.nodes.iter().position(|&x| x == n);
            let (p, d) = idx.stops(job);
            let route_out = to_route(&idx, &route);
            let before = day.route_of[v].map_or(0.0, |k| solution.routes[k].cost);
            Ok(Fit {
                job,
                vehicle: v,
                pickup_pos: p.and_then(position),
                dropoff_pos: d.and_then(position),
                added_cost: route_out.cost - before,
                route: route_out,
                saved,
            })
        })
        .collect()
}

/// The plan as node sequences, checked against the problem.
struct Day {
    /// Node sequence per vehicle (empty when unused).
    nodes: Vec<Vec<usize>>,
    /// Per vehicle: its route's index in the solution.
    route_of: Vec<Option<usize>>,
    /// Per node: where it is served (vehicle, visit index).
    at: Vec<Option<(VehicleId, usize)>>,
}

impl Day {
    fn read(idx: &Index, solution: &Solution, job: JobId) -> Result<Self, ModelError> {
        let nv = idx.vehicles.len();
        let mut day = Day {
            nodes: vec![Vec::new(); nv],
            route_of: vec![None; nv],
            at: vec![None; idx.nodes.len()],
        };
        let problem = idx.problem;
        for (r, route) in solution.routes.iter().enumerate() {
            if route.visits.is_empty() {
                continue;
            }
            let v = route.vehicle;
            let field = format!("routes[{r}].vehicle");
            if v >= nv {
                return Err(ModelError::new(
                    field,
                    format!("vehicle {v} does not exist"),
                ));
            }
            if let Some(first) = day.route_of[v] {
                return Err(ModelError::new(
                    field,
                    format!("vehicle {v} already drives route {first}"),
                ));
            }
            day.route_of[v] = Some(r);
            for (i, visit) in route.visits.iter().enumerate() {
                let field = format!("routes[{r}].visits[{i}]");
                let j = visit.job;
                let Some(model) = problem.jobs.get(j) else {
                    return Err(ModelError::new(field, format!("job {j} does not exist")));
                };
                if j == job {
                    return Err(ModelError::new(field, format!("job {j} is already routed")));
                }
                let (stop, n) = match visit.role {
                    StopRole::Pickup => (model.pickup, pickup(j)),
                    StopRole::Dropoff => (model.dropoff, dropoff(j)),
                };
                if stop.is_none() {
                    return Err(ModelError::new(
                        field,
                        format!("job {j} has no {:?} stop", visit.role),
                    ));
                }
                if day.at[n].is_some() {
                    return Err(ModelError::new(field, format!("job {j} is served twice")));
                }
                day.at[n] = Some((v, i));
                day.nodes[v].push(n);
            }
        }
        // Every routed job has all its stops on one vehicle, in order.
        for (j, _) in problem.jobs.iter().enumerate() {
            if let (Some(p), Some(d)) = idx.stops(j) {
                match (day.at[p], day.at[d]) {
                    (None, None) => {}
                    (Some((vp, ip)), Some((vd, id))) if vp == vd && ip < id => {}
                    (a, b) => {
                        let (v, i) = a.or(b).expect("one of the two is routed");
                        let r = day.route_of[v].expect("a routed vehicle");
                        return Err(ModelError::new(
                            format!("routes[{r}].visits[{i}]"),
                            format!("job {j} needs its pickup before its dropoff on one route"),
                        ));
                    }
                }
            }
        }
        Ok(day)
    }

    /// Links between two routes: the return's pickup waits for the outbound's
    /// departure plus the gap; the outbound's dropoff must leave by the
    /// return's start less the gap (its window assumes its stay as reported,
    /// `deadline` holds the departure itself).
    fn bound_links(
        &self,
        idx: &Index,
        solution: &Solution,
        win: &mut [(f64, f64)],
        deadline: &mut [Option<f64>],
    ) {
        for link in &idx.problem.links {
            let (dn, pn) = (dropoff(link.outbound), pickup(link.inbound));
            let (Some((vo, io)), Some((vi, ii))) = (self.at[dn], self.at[pn]) else {
                continue;
            };
            if vo == vi {
                continue;
            }
            let out = &solution.routes[self.route_of[vo].expect("routed")].visits[io];
            let back = &solution.routes[self.route_of[vi].expect("routed")].visits[ii];
            win[pn].0 = win[pn].0.max(out.departure + link.min_gap);
            let latest = back.start - link.min_gap;
            deadline[dn] = Some(deadline[dn].map_or(latest, |d| d.min(latest)));
            win[dn].1 = win[dn].1.min(latest - (out.departure - out.start));
        }
    }
}

/// The job's own links to routed jobs.
struct JobBounds {
    job: JobId,
    /// A same-vehicle partner's vehicle: the only one allowed.
    only: Option<VehicleId>,
    /// Its outbound's vehicle and the earliest start of its pickup elsewhere.
    ready: Option<(VehicleId, f64)>,
    /// Its returns' vehicles and the latest departure of its dropoff elsewhere.
    due: Vec<(VehicleId, f64)>,
    base: ((f64, f64), (f64, f64)),
}

impl JobBounds {
    fn new(idx: &Index, day: &Day, solution: &Solution, job: JobId) -> Self {
        let visit = |n: usize| {
            day.at[n].map(|(v, i)| {
                let r = day.route_of[v].expect("routed");
                (v, &solution.routes[r].visits[i])
            })
        };
        let info = &idx.jobs[job];
        let mut only = None;
        let mut ready = None;
        if let Some((out, gap, same)) = info.after {
            if let Some((v, at)) = visit(dropoff(out)) {
                ready = Some((v, at.departure + gap));
                only = only.or(same.then_some(v));
            }
        }
        let mut due = Vec::new();
        for &inb in &info.before {
            let Some((_, gap, same)) = idx.jobs[inb].after else {
                continue;
            };
            if let Some((v, at)) = visit(pickup(inb)) {
                due.push((v, at.start - gap));
                only = only.or(same.then_some(v));
            }
        }
        let node = |n: usize| (idx.nodes[n].open, idx.nodes[n].close);
        JobBounds {
            job,
            only,
            ready,
            due,
            base: (node(pickup(job)), node(dropoff(job))),
        }
    }

    /// Whether links to other vehicles bound the job on vehicle `v`.
    fn binds(&self, v: VehicleId) -> bool {
        self.ready.is_some_and(|(ov, _)| ov != v) || self.due.iter().any(|&(iv, _)| iv != v)
    }

    /// The job's windows and deadline on vehicle `v`: links to jobs on the
    /// same vehicle are the scheduler's, those to other vehicles bound here
    /// (unless `linked` is false, to learn whether they are what blocks it).
    fn set(
        &self,
        idx: &Index,
        v: VehicleId,
        linked: bool,
        win: &mut [(f64, f64)],
        deadline: &mut [Option<f64>],
    ) {
        let (pn, dn) = (pickup(self.job), dropoff(self.job));
        (win[pn], win[dn]) = self.base;
        deadline[dn] = None;
        if !linked {
            return;
        }
        if let Some((ov, at)) = self.ready {
            if ov != v {
                win[pn].0 = win[pn].0.max(at);
            }
        }
        for &(iv, latest) in &self.due {
            if iv != v {
                deadline[dn] = Some(deadline[dn].map_or(latest, |d| d.min(latest)));
                win[dn].1 = win[dn].1.min(latest - idx.nodes[dn].service);
            }
        }
    }

    /// A link alone empties one of the job's windows.
    fn impossible(&self, idx: &Index) -> bool {
        let info = &idx.jobs[self.job];
        let (p, d) = (idx.nodes[pickup(self.job)], idx.nodes[dropoff(self.job)]);
        let late = info.shape != Shape::DropOnly && self.ready.is_some_and(|(_, at)| at > p.close);
        let early = info.shape != Shape::PickOnly
            && self
                .due
                .iter()
                .any(|&(_, latest)| d.open + d.service > latest);
        late || early
    }
}

/// The reason to name when nothing fits: a link that cannot hold whatever the
/// plan; else what keeps the job even from an empty vehicle; else (the plan
/// is what blocks it) the reason most vehicles give.
fn telling(
    idx: &Index,
    bounds: &JobBounds,
    job: JobId,
    vehicles: &[(VehicleId, Reason)],
) -> Reason {
    if bounds.impossible(idx) {
        return Reason::Link;
    }
    match why_unassigned(idx, job) {
        Reason::NoRoom => {}
        r => return r,
    }
    const ORDER: [Reason; 5] = [
        Reason::Capacity,
        Reason::TimeWindow,
        Reason::RideTime,
        Reason::Shift,
        Reason::Link,
    ];
    let count = |r: Reason| vehicles.iter().filter(|(_, x)| *x == r).count();
    ORDER
        .into_iter()
        .filter(|&r| count(r) > 0)
        .max_by_key(|&r| {
            (
                count(r),
                std::cmp::Reverse(ORDER.iter().position(|&x| x == r)),
            )
        })
        .unwrap_or(Reason::NoRoom)
}
