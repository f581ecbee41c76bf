//! A dispatcher's edit applied to a stored plan: the changed routes re-timed
//! by the core, the whole plan checked, the result a plan to store with the
//! same routes in the same order. Pure, like the rest of planning.

use std::collections::HashMap;

use super::build::Built;
use super::result::{figures, new_route, to_solution};
use super::verdict::verdict;
use crate::domain::{
    Id, Invalid, NewPlan, NewRoute, Plan, PlanEdit, PlanUnassigned, UnassignedReason,
};
use crate::solver::check::{check, Report};
use crate::solver::{JobId, Reason, Solution, StopRole, Timer, Unassigned};

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The edit names what is not there, or asks what cannot be done.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The stored plan no longer matches the day (a shift or layout gone).
    #[error("the plan no longer matches the day ({0}): solve the date again")]
    Stale(String),
}

/// Where a request is in the plan being edited.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    Route(usize),
    Unassigned,
    /// Active on the date but not in the plan (booked after the solve).
    Unplanned,
}

struct Work<'a> {
    built: &'a Built,
    base: &'a Plan,
    timer: Timer<'a>,
    /// The stored plan as a solution; routes keep the base plan's order.
    solution: Solution,
    changed: Vec<bool>,
    unassigned: Vec<PlanUnassigned>,
    job_of: HashMap<Id, JobId>,
}

/// Applies `edit` to `base` (a stored plan of the day `built` stands for).
/// Lock and unlock need no check: they copy the plan as [`lock`] does.
pub fn apply(built: &Built, base: &Plan, edit: &PlanEdit) -> Result<NewPlan, EditError> {
    match *edit {
        PlanEdit::Lock { route_id } => return lock(base, route_id, true),
        PlanEdit::Unlock { route_id } => return lock(base, route_id, false),
        _ => {}
    }
    let mut w = Work::new(built, base)?;
    match *edit {
        PlanEdit::Move {
            request_id,
            route_id,
            pickup,
            dropoff,
        } => {
            let job = w.job(request_id)?;
            let Place::Route(from) = w.place(job) else {
                return Err(invalid("edit.request_id", "is in no route: use assign"));
            };
            let to = w.route(route_id)?;
            w.take_out(job, from);
            w.put_in(job, to, pickup, dropoff)?;
        }
        PlanEdit::Assign {
            request_id,
            route_id,
            pickup,
            dropoff,
        } => {
            let job = w.job(request_id)?;
            if let Place::Route(r) = w.place(job) {
                let id = base.routes[r].id;
                return Err(invalid(
                    "edit.request_id",
                    &format!("is already in route {id}: use move"),
                ));
            }
            let to = w.route(route_id)?;
            w.unassigned.retain(|u| u.request_id != request_id);
            w.put_in(job, to, pickup, dropoff)?;
        }
        PlanEdit::Swap {
            request_id,
            other_request_id,
        } => {
            let (a, b) = (w.job(request_id)?, w.job(other_request_id)?);
            if a == b {
                return Err(invalid(
                    "edit.other_request_id",
                    "must differ from request_id",
                ));
            }
            w.swap(a, b)?;
        }
        PlanEdit::Unassign { request_id } => {
            let job = w.job(request_id)?;
            let Place::Route(from) = w.place(job) else {
                return Err(invalid("edit.request_id", "is in no route"));
            };
            w.take_out(job, from);
            w.unassigned.push(PlanUnassigned {
                request_id,
                reason: UnassignedReason::Manual,
                fits_if: None,
            });
        }
        // Answered above, without the day.
        PlanEdit::Lock { .. } | PlanEdit::Unlock { .. } => {}
    }
    w.retime()?;
    Ok(w.finish())
}

/// Locks or unlocks a route: the plan as it is, with the route's flag set.
pub fn lock(base: &Plan, route_id: Id, locked: bool) -> Result<NewPlan, EditError> {
    let r = base
        .routes
        .iter()
        .position(|r| r.id == route_id)
        .ok_or_else(|| no_route(route_id))?;
    let mut plan = base.as_new();
    plan.routes[r].locked = locked;
    Ok(plan)
}

fn invalid(field: &str, message: &str) -> EditError {
    EditError::Invalid(Invalid::one(field, message))
}

fn no_route(id: Id) -> EditError {
    invalid(
        "edit.route_id",
        &format!("no route {id} in the newest revision of the date"),
    )
}

impl<'a> Work<'a> {
    fn new(built: &'a Built, base: &'a Plan) -> Result<Self, EditError> {
        let job_of: HashMap<Id, JobId> = built
            .jobs
            .iter()
            .enumerate()
            .map(|(i, j)| (j.request_id, i))
            .collect();
        // Requests cancelled since the plan was made leave it; their routes are re-timed.
        let mut day = base.clone();
        let mut changed = vec![false; day.routes.len()];
        for (r, route) in day.routes.iter_mut().enumerate() {
            let before = route.stops.len();
            route.stops.retain(|s| job_of.contains_key(&s.request_id));
            changed[r] = route.stops.len() != before;
        }
        day.unassigned
            .retain(|u| job_of.contains_key(&u.request_id));
        let solution = to_solution(built, &day).map_err(EditError::Stale)?;
        Ok(Self {
            built,
            base,
            timer: Timer::new(&built.problem),
            solution,
            changed,
            unassigned: day.unassigned,
            job_of,
        })
    }

    fn job(&self, request_id: Id) -> Result<JobId, EditError> {
        self.job_of.get(&request_id).copied().ok_or_else(|| {
            invalid(
                "edit.request_id",
                &format!("no active request {request_id} on this date"),
            )
        })
    }

    fn route(&self, route_id: Id) -> Result<usize, EditError> {
        self.base
            .routes
            .iter()
            .position(|r| r.id == route_id)
            .ok_or_else(|| no_route(route_id))
    }

    fn place(&self, job: JobId) -> Place {
        let request = self.built.jobs[job].request_id;
        if let Some(r) = self
            .solution
            .routes
            .iter()
            .position(|r| r.visits.iter().any(|v| v.job == job))
        {
            Place::Route(r)
        } else if self.unassigned.iter().any(|u| u.request_id == request) {
            Place::Unassigned
        } else {
            Place::Unplanned
        }
    }

    fn take_out(&mut self, job: JobId, r: usize) {
        self.solution.routes[r].visits.retain(|v| v.job != job);
        self.changed[r] = true;
    }

    /// Puts both stops of `job` into route `r`, at the positions given or at
    /// the best ones.
    fn put_in(
        &mut self,
        job: JobId,
        r: usize,
        pickup: Option<usize>,
        dropoff: Option<usize>,
    ) -> Result<(), EditError> {
        self.changed[r] = true;
        let n = self.solution.routes[r].visits.len();
        let (p, d) = match (pickup, dropoff) {
            (Some(p), Some(d)) => {
                if p > n || p >= d {
                    return Err(invalid(
                        "edit.pickup",
                        &format!("must be less than dropoff and at most {n}"),
                    ));
                }
                if d > n + 1 {
                    return Err(invalid(
                        "edit.dropoff",
                        &format!("must be more than pickup and at most {}", n + 1),
                    ));
                }
                (p, d)
            }
            (None, None) => self.best_positions(job, r)?,
            (Some(_), None) => {
                return Err(invalid("edit.dropoff", "give both positions, or neither"))
            }
            (None, Some(_)) => {
                return Err(invalid("edit.pickup", "give both positions, or neither"))
            }
        };
        let mut seq = self.sequence(r);
        seq.insert(p, (job, StopRole::Pickup));
        seq.insert(d, (job, StopRole::Dropoff));
        self.set_sequence(r, &seq)
    }

    /// The positions with the fewest violations of the whole plan, then the least cost.
    fn best_positions(&mut self, job: JobId, r: usize) -> Result<(usize, usize), EditError> {
        self.retime()?;
        let base = self.sequence(r);
        let n = base.len();
        let mut best: Option<((usize, f64), (usize, usize))> = None;
        for p in 0..=n {
            for d in p + 1..=n + 1 {
                let mut seq = base.clone();
                seq.insert(p, (job, StopRole::Pickup));
                seq.insert(d, (job, StopRole::Dropoff));
                self.set_sequence(r, &seq)?;
                let report = self.check();
                let key = (report.violations.len(), report.cost);
                if best.is_none_or(|(b, _)| key.0 < b.0 || (key.0 == b.0 && key.1 < b.1)) {
                    best = Some((key, (p, d)));
                }
            }
        }
        self.set_sequence(r, &base)?;
        Ok(best.map_or((0, 1), |(_, at)| at))
    }

    /// Each request takes the other's stops; one whose partner had none is
    /// unassigned by hand in the partner's place.
    fn swap(&mut self, a: JobId, b: JobId) -> Result<(), EditError> {
        let (pa, pb) = (self.place(a), self.place(b));
        let routed = |p: Place| matches!(p, Place::Route(_));
        if !routed(pa) && !routed(pb) {
            return Err(invalid("edit.request_id", "neither request is in a route"));
        }
        for r in 0..self.solution.routes.len() {
            let seq = self.sequence(r);
            if !seq.iter().any(|&(j, _)| j == a || j == b) {
                continue;
            }
            let swapped: Vec<_> = seq
                .into_iter()
                .map(|(j, role)| match j {
                    j if j == a => (b, role),
                    j if j == b => (a, role),
                    j => (j, role),
                })
                .collect();
            self.changed[r] = true;
            self.set_sequence(r, &swapped)?;
        }
        for (job, partner, partner_was) in [(a, b, pb), (b, a, pa)] {
            if routed(partner_was) {
                continue;
            }
            let partner_request = self.built.jobs[partner].request_id;
            self.unassigned.retain(|u| u.request_id != partner_request);
            self.unassigned.push(PlanUnassigned {
                request_id: self.built.jobs[job].request_id,
                reason: UnassignedReason::Manual,
                fits_if: None,
            });
        }
        Ok(())
    }

    fn sequence(&self, r: usize) -> Vec<(JobId, StopRole)> {
        self.solution.routes[r]
            .visits
            .iter()
            .map(|v| (v.job, v.role))
            .collect()
    }

    /// Times `seq` on route `r`'s vehicle, honouring links to other routes.
    fn set_sequence(&mut self, r: usize, seq: &[(JobId, StopRole)]) -> Result<(), EditError> {
        let ready = self.ready(r, seq);
        let vehicle = self.solution.routes[r].vehicle;
        let timed = self
            .timer
            .time(vehicle, seq, &ready)
            .map_err(|e| invalid("edit", &format!("the stops do not fit the day: {e}")))?;
        self.solution.routes[r] = timed;
        Ok(())
    }

    /// Earliest pickups of returns in `seq` whose outbound is served on another route.
    fn ready(&self, r: usize, seq: &[(JobId, StopRole)]) -> Vec<(JobId, f64)> {
        self.built
            .problem
            .links
            .iter()
            .filter(|l| seq.contains(&(l.inbound, StopRole::Pickup)))
            .filter_map(|l| {
                self.solution
                    .routes
                    .iter()
                    .enumerate()
                    .filter(|(o, _)| *o != r)
                    .flat_map(|(_, route)| &route.visits)
                    .find(|v| v.job == l.outbound && v.role == StopRole::Dropoff)
                    .map(|v| (l.inbound, v.departure + l.min_gap))
            })
            .collect()
    }

    /// Re-times every changed route twice, so returns see their outbound's new times.
    fn retime(&mut self) -> Result<(), EditError> {
        for _ in 0..2 {
            for r in 0..self.solution.routes.len() {
                if self.changed[r] {
                    let seq = self.sequence(r);
                    self.set_sequence(r, &seq)?;
                }
            }
        }
        Ok(())
    }

    /// The whole plan as the checker sees it: requests booked after the solve
    /// count as unassigned.
    fn whole(&self) -> Solution {
        let mut s = self.solution.clone();
        s.unassigned = (0..self.built.jobs.len())
            .filter(|&j| !matches!(self.place(j), Place::Route(_)))
            .map(|job| Unassigned {
                job,
                reason: Reason::NoRoom,
            })
            .collect();
        let routes: f64 = s.routes.iter().map(|r| r.cost).sum();
        let left: f64 = s
            .unassigned
            .iter()
            .map(|u| self.built.problem.jobs[u.job].priority)
            .sum();
        s.cost = routes + left;
        s.distance = s.routes.iter().map(|r| r.distance).sum();
        s
    }

    fn check(&self) -> Report {
        check(&self.built.problem, &self.whole())
    }

    fn finish(self) -> NewPlan {
        let whole = self.whole();
        let report = check(&self.built.problem, &whole);
        let routes = self
            .base
            .routes
            .iter()
            .zip(&whole.routes)
            .zip(&self.changed)
            .map(|((stored, timed), &changed)| {
                if !changed {
                    return NewRoute::from(stored);
                }
                NewRoute {
                    volunteer_id: stored.volunteer_id,
                    locked: stored.locked,
                    ..new_route(self.built, timed)
                }
            })
            .collect();
        let f = &self.base.figures;
        NewPlan {
            figures: figures(&report, &whole, f.solve_seconds, &f.travel_source),
            routes,
            // What would let a request in was found against the plan as
            // solved: an edit changes that plan, so it no longer holds.
            unassigned: self
                .unassigned
                .into_iter()
                .map(|u| PlanUnassigned { fits_if: None, ..u })
                .collect(),
            violations: verdict(self.built, &whole, &report),
        }
    }
}
