//! What would let each request a solve left out into the plan as it stands:
//! the changes of `domain::fits_if::STEPS`, smallest first, each tried with
//! `solver::fit` against the solved routes (which keep their vehicles and
//! order) until one fits, within a time budget.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::build::{job, vehicle, Built, Day};
use crate::domain::fits_if::{fewer_companions, shifted, Step, STEPS};
use crate::domain::{FitsIf, Id, Request, Vehicle};
use crate::solver::{fit, Fit, Problem, Solution};

/// How long the search may take: per request left out, and for them all.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub per_request: Duration,
    pub total: Duration,
}

impl Default for Budget {
    /// One fit takes well under a millisecond on a town's day: the budget
    /// only binds on a very large one.
    fn default() -> Self {
        Self {
            per_request: Duration::from_millis(200),
            total: Duration::from_secs(2),
        }
    }
}

/// For each request `solution` leaves out, the first change of `STEPS` that
/// makes it fit, with the request's id; a request that fits as it is (the
/// search stopped short), or that no change lets in within the budget, has
/// none. `day` is the records `built` was made from; `now` keeps moved
/// times out of the past.
pub fn fits_if(
    day: &Day,
    built: &Built,
    solution: &Solution,
    now: NaiveDateTime,
    budget: Budget,
) -> Vec<(Id, FitsIf)> {
    let started = Instant::now();
    let requests: HashMap<Id, &Request> = day.requests.iter().map(|r| (r.id, r)).collect();
    let idle = idle_vehicles(day, built);
    let mut found = Vec::new();
    for u in &solution.unassigned {
        let until = (Instant::now() + budget.per_request).min(started + budget.total);
        if Instant::now() >= until {
            break;
        }
        let Some(r) = requests.get(&built.jobs[u.job].request_id) else {
            continue;
        };
        let tries = Tries {
            day,
            built,
            solution,
            job: u.job,
            request: r,
            idle: &idle,
        };
        if let Some(f) = tries.first(now, until) {
            found.push((r.id, f));
        }
    }
    found
}

/// Active vehicles on no shift of the day, whose depot the matrix has.
fn idle_vehicles<'a>(day: &'a Day, built: &Built) -> Vec<(&'a Vehicle, usize)> {
    day.vehicles
        .iter()
        .filter(|v| v.active && !built.vehicles.iter().any(|s| s.vehicle_id == v.id))
        .filter_map(|v| {
            let depot = built.places.iter().position(|&p| p == v.depot_place_id)?;
            Some((v, depot))
        })
        .collect()
}

/// The changes tried for one request left out.
struct Tries<'a> {
    day: &'a Day<'a>,
    built: &'a Built,
    solution: &'a Solution,
    job: usize,
    request: &'a Request,
    idle: &'a [(&'a Vehicle, usize)],
}

impl Tries<'_> {
    /// The first change that fits, the cheaper of two alike (a time moved
    /// later or earlier by as much; two vehicles called in).
    fn first(&self, now: NaiveDateTime, until: Instant) -> Option<FitsIf> {
        // Fits as it is: no change to suggest (the dispatcher may assign it).
        if fit(&self.built.problem, self.solution, self.job).is_ok() {
            return None;
        }
        for step in STEPS {
            if Instant::now() >= until {
                return None;
            }
            let found = match step {
                Step::Shift(m) => cheapest([i32::from(m), -i32::from(m)].into_iter().filter_map(
                    |minutes| {
                        let moved = shifted(self.request, minutes, self.day.policy, now)?;
                        let f = self.with_request(&moved)?;
                        Some((f, FitsIf::WindowShift { minutes }))
                    },
                )),
                Step::OtherVehicle => cheapest(self.idle.iter().filter_map(|&(v, depot)| {
                    let f = self.with_vehicle(v, depot)?;
                    let layout = v.layouts.get(f.route.layout)?.name.clone();
                    Some((
                        f,
                        FitsIf::OtherVehicle {
                            vehicle_id: v.id,
                            layout,
                        },
                    ))
                })),
                Step::FewerCompanions => {
                    let person = self
                        .request
                        .person_id
                        .and_then(|id| self.day.people.iter().find(|p| p.id == id));
                    fewer_companions(self.request, person).and_then(|fewer| {
                        self.with_request(&fewer)?;
                        Some(FitsIf::FewerCompanions {
                            companions: fewer.companions,
                        })
                    })
                }
            };
            if let Some(change) = found {
                return Some(change);
            }
        }
        None
    }

    /// The fit of the request changed to `r` (its job made again as the
    /// planner makes every job).
    fn with_request(&self, r: &Request) -> Option<Fit> {
        let built = self.built;
        let at = |place: Id| built.places.iter().position(|&p| p == place);
        let person = r
            .person_id
            .and_then(|id| self.day.people.iter().find(|p| p.id == id));
        let mut problem: Problem = built.problem.clone();
        problem.jobs[self.job] = job(
            r,
            person,
            self.day.policy,
            (at(r.from_place_id)?, at(r.to_place_id)?),
            &problem.dimensions,
            &problem.matrix,
        );
        fit(&problem, self.solution, self.job).ok()
    }

    /// The fit with vehicle `v` on duty over its usual hours.
    fn with_vehicle(&self, v: &Vehicle, depot: usize) -> Option<Fit> {
        let mut problem: Problem = self.built.problem.clone();
        let i = problem.vehicles.len();
        problem
            .vehicles
            .push(vehicle(i, v.available, v, depot, &problem.dimensions));
        let f = fit(&problem, self.solution, self.job).ok()?;
        (f.vehicle == i).then_some(f)
    }
}

/// The change whose fit adds the least cost.
fn cheapest(found: impl Iterator<Item = (Fit, FitsIf)>) -> Option<FitsIf> {
    found
        .min_by(|a, b| a.0.added_cost.total_cmp(&b.0.added_cost))
        .map(|(_, change)| change)
}
