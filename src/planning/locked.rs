//! Solving around locked routes: their shifts and requests stay out of the
//! search, the rest of the day is solved as usual, and the two are joined into
//! one solution of the whole day for the checker.

use super::build::Built;
use crate::domain::{NewPlan, NewRoute, Route as PlanRoute};
use crate::solver::{JobId, Problem, Reason, Route, Solution, StopRole, Unassigned, VehicleId};

/// The part of a day a solve may still change.
pub struct Around {
    /// The free shifts and requests as a problem of their own.
    pub built: Built,
    /// Free job → job of the whole day.
    jobs: Vec<JobId>,
    /// Free vehicle → vehicle of the whole day.
    vehicles: Vec<VehicleId>,
    /// Jobs of the whole day kept out: linked to a locked leg they cannot follow.
    held_out: Vec<JobId>,
}

/// Where a job is served in the locked routes: (route, visit) per stop.
fn find(locked: &[Route], job: JobId, role: StopRole) -> Option<&crate::solver::Visit> {
    locked
        .iter()
        .flat_map(|r| &r.visits)
        .find(|v| v.job == job && v.role == role)
}

/// The day `full` without the vehicles and jobs of `locked` (routes of `full`).
/// A free job linked to a locked one gets its window narrowed to follow it, or
/// is held out when it cannot.
pub fn around(full: &Built, locked: &[Route]) -> Around {
    let p = &full.problem;
    let in_locked = |j: JobId| locked.iter().any(|r| r.visits.iter().any(|v| v.job == j));
    let vehicles: Vec<VehicleId> = (0..p.vehicles.len())
        .filter(|v| !locked.iter().any(|r| r.vehicle == *v))
        .collect();
    let mut jobs_model = p.jobs.clone();
    let mut held_out = Vec::new();
    for link in &p.links {
        let (out, inb) = (link.outbound, link.inbound);
        match (in_locked(out), in_locked(inb)) {
            (true, false) => {
                let ready =
                    find(locked, out, StopRole::Dropoff).map(|v| v.departure + link.min_gap);
                let pickup = jobs_model[inb].pickup.as_mut();
                match (ready, pickup) {
                    _ if link.same_vehicle => held_out.push(inb),
                    (Some(ready), Some(stop)) if ready <= stop.window.end => {
                        stop.window.start = stop.window.start.max(ready);
                    }
                    (Some(_), Some(_)) => held_out.push(inb),
                    _ => {}
                }
            }
            (false, true) => {
                let back = find(locked, inb, StopRole::Pickup).map(|v| v.start - link.min_gap);
                let dropoff = jobs_model[out].dropoff.as_mut();
                match (back, dropoff) {
                    _ if link.same_vehicle => held_out.push(out),
                    (Some(back), Some(stop)) if back - stop.service >= stop.window.start => {
                        stop.window.end = stop.window.end.min(back - stop.service);
                    }
                    (Some(_), Some(_)) => held_out.push(out),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    held_out.sort_unstable();
    held_out.dedup();
    let jobs: Vec<JobId> = (0..p.jobs.len())
        .filter(|&j| !in_locked(j) && !held_out.contains(&j))
        .collect();
    let free_of = |j: JobId| jobs.iter().position(|&x| x == j);
    let links = p
        .links
        .iter()
        .filter_map(|l| {
            Some(crate::solver::Link {
                outbound: free_of(l.outbound)?,
                inbound: free_of(l.inbound)?,
                ..*l
            })
        })
        .collect();
    let problem = Problem {
        prefixes: Vec::new(),
        name: p.name.clone(),
        dimensions: p.dimensions.clone(),
        matrix: p.matrix.clone(),
        vehicles: vehicles.iter().map(|&v| p.vehicles[v].clone()).collect(),
        jobs: jobs.iter().map(|&j| jobs_model[j].clone()).collect(),
        links,
        setup: p.setup.clone(),
    };
    Around {
        built: Built {
            problem,
            jobs: jobs.iter().map(|&j| full.jobs[j].clone()).collect(),
            vehicles: vehicles.iter().map(|&v| full.vehicles[v].clone()).collect(),
            places: full.places.clone(),
        },
        jobs,
        vehicles,
        held_out,
    }
}

impl Around {
    /// With no free vehicle or no free job there is nothing to search.
    pub fn is_trivial(&self) -> bool {
        self.vehicles.is_empty() || self.jobs.is_empty()
    }

    /// The free part's solution when there is nothing to search: every free
    /// job left out for want of a vehicle.
    pub fn trivial(&self) -> Solution {
        let unassigned: Vec<Unassigned> = (0..self.jobs.len())
            .map(|job| Unassigned {
                job,
                reason: Reason::NoRoom,
            })
            .collect();
        let cost = unassigned
            .iter()
            .map(|u| self.built.problem.jobs[u.job].priority)
            .sum();
        Solution {
            routes: Vec::new(),
            unassigned,
            cost,
            distance: 0.0,
            proved_optimal: false,
        }
    }

    /// Routes of the whole day (a plan to start from) as a solution of the
    /// free part: routes on locked shifts and visits of locked or held-out
    /// jobs left out; None when nothing is left. The search checks the rest
    /// against today's day and places again whatever no longer fits.
    pub fn start(&self, whole: &[Route]) -> Option<Solution> {
        let free_job = |j: JobId| self.jobs.iter().position(|&x| x == j);
        let routes: Vec<Route> = whole
            .iter()
            .filter_map(|r| {
                let vehicle = self.vehicles.iter().position(|&v| v == r.vehicle)?;
                let visits: Vec<_> = r
                    .visits
                    .iter()
                    .filter_map(|v| {
                        Some(crate::solver::Visit {
                            job: free_job(v.job)?,
                            ..v.clone()
                        })
                    })
                    .collect();
                Some(Route {
                    vehicle,
                    visits,
                    ..r.clone()
                })
            })
            .filter(|r| !r.visits.is_empty())
            .collect();
        (!routes.is_empty()).then(|| Solution {
            routes,
            unassigned: Vec::new(),
            cost: 0.0,
            distance: 0.0,
            proved_optimal: false,
        })
    }

    /// The whole day's solution: the locked routes first, then the free part's.
    pub fn merge(&self, full: &Built, locked: &[Route], free: &Solution) -> Solution {
        let mut routes = locked.to_vec();
        routes.extend(free.routes.iter().map(|r| {
            let mut r = r.clone();
            r.vehicle = self.vehicles[r.vehicle];
            for v in &mut r.visits {
                v.job = self.jobs[v.job];
            }
            r
        }));
        let mut unassigned: Vec<Unassigned> = free
            .unassigned
            .iter()
            .map(|u| Unassigned {
                job: self.jobs[u.job],
                reason: u.reason,
            })
            .chain(self.held_out.iter().map(|&job| Unassigned {
                job,
                reason: Reason::Link,
            }))
            .collect();
        unassigned.sort_by_key(|u| u.job);
        let cost = routes.iter().map(|r| r.cost).sum::<f64>()
            + unassigned
                .iter()
                .map(|u| full.problem.jobs[u.job].priority)
                .sum::<f64>();
        let distance = routes.iter().map(|r| r.distance).sum();
        Solution {
            routes,
            unassigned,
            cost,
            distance,
            // Nothing locked: the free part was the whole day.
            proved_optimal: locked.is_empty() && free.proved_optimal,
        }
    }
}

/// The plan's first routes are the locked ones: copied as stored (driver,
/// times, flag), not rebuilt from the solver's view of them.
pub fn keep_locked(plan: &mut NewPlan, locked: &[PlanRoute]) {
    for (new, old) in plan.routes.iter_mut().zip(locked) {
        *new = NewRoute::from(old);
    }
}
