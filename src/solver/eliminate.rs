//! Route elimination: the first stage of Ropke & Pisinger (2006), for
//! problems where a vehicle costs more than the distance it can save.
//!
//! One route of the best plan is emptied and closed: its jobs wait in the
//! bank and the attempt's plan may use one route fewer than the best plan.
//! Every other iteration of the search works on that plan instead of the
//! current one, with the same moves and acceptance; since a job left out
//! weighs far more than any distance, the bank never grows and each repair
//! tries it again. When it empties, the plan serves as much with a vehicle
//! fewer and becomes the best by its own cost; the next attempt closes
//! another route. An attempt whose bank has not shrunk for a while starts
//! over from the best plan (which the other iterations keep improving), and
//! the stage ends at a fixed share of the budget.

use super::destroy::small_route;
use super::index::{job_of, Index};
use super::model::JobId;
use super::schedule::Scheduler;
use super::state::State;

/// The stage ends at this fraction of the budget.
const STAGE_END: f64 = 0.6;
/// An attempt is given up when its bank has not shrunk for this fraction.
const PATIENCE: f64 = 0.1;

pub(crate) struct Elimination {
    /// Whether the stage is still on.
    on: bool,
    attempt: Option<Attempt>,
}

struct Attempt {
    plan: State,
    /// Routes the plan may use: one fewer than the best plan had.
    target: usize,
    /// The smallest bank met so far.
    bank: usize,
    /// Progress when the attempt began or last shrank its bank.
    since: f64,
}

impl Elimination {
    /// On when every vehicle costs more than the best plan's average route
    /// distance: then a route less is worth the search's time.
    pub fn new(idx: &Index, best: &State) -> Self {
        let used = best.used_routes();
        let variable = best.variable_cost(idx);
        let cheapest = idx
            .vehicles
            .iter()
            .map(|v| v.fixed)
            .fold(f64::INFINITY, f64::min);
        Self {
            on: used >= 2 && cheapest > variable / used as f64,
            attempt: None,
        }
    }

    /// The running attempt's plan.
    pub fn plan(&self) -> Option<&State> {
        self.attempt.as_ref().map(|a| &a.plan)
    }

    /// The attempt's plan accepted a move.
    pub fn accept(&mut self, plan: State) {
        if let Some(a) = &mut self.attempt {
            a.plan = plan;
        }
    }

    /// Called after each iteration: starts, follows and gives up attempts.
    /// Returns a plan for the main search when an attempt has closed a route.
    pub fn step(
        &mut self,
        idx: &Index,
        best: &State,
        progress: f64,
        sched: &mut Scheduler,
        rng: &mut fastrand::Rng,
    ) -> Option<State> {
        if !self.on {
            return None;
        }
        if progress >= STAGE_END {
            self.on = false;
            self.attempt = None;
            return None;
        }
        let Some(a) = &mut self.attempt else {
            self.start(idx, best, progress, sched, rng);
            return None;
        };
        if best.used_routes() <= a.target {
            // Done: the best plan serves as much with a route fewer.
            self.start(idx, best, progress, sched, rng);
            let mut main = best.clone();
            main.max_routes = main.routes.len();
            return Some(main);
        }
        if a.plan.unassigned.len() < a.bank {
            a.bank = a.plan.unassigned.len();
            a.since = progress;
        } else if progress - a.since > PATIENCE {
            self.start(idx, best, progress, sched, rng);
        }
        None
    }

    /// Empties one of the best plan's small routes for a new attempt.
    fn start(
        &mut self,
        idx: &Index,
        best: &State,
        progress: f64,
        sched: &mut Scheduler,
        rng: &mut fastrand::Rng,
    ) {
        let used = best.used_routes();
        let r = match small_route(best, rng) {
            Some(r) if used >= 2 => r,
            _ => {
                self.on = false;
                self.attempt = None;
                return;
            }
        };
        let mut plan = best.clone();
        let jobs: Vec<JobId> = plan.routes[r].nodes.iter().map(|&n| job_of(n)).collect();
        plan.remove(idx, &jobs, sched);
        plan.max_routes = used - 1;
        self.attempt = Some(Attempt {
            bank: plan.unassigned.len(),
            target: used - 1,
            since: progress,
            plan,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solver::insertion::Inserter;
    use crate::solver::model::Problem;
    use crate::solver::pool::tests::{problem, state};

    /// The four doors with vehicles that cost more than any route drives.
    fn costly() -> Problem {
        let mut p = problem();
        for v in &mut p.vehicles {
            v.fixed_cost = 100.0;
        }
        p
    }

    #[test]
    fn is_off_where_a_vehicle_costs_less_than_a_route_drives() {
        // Each vehicle costs 10; the routes drive 46 over three.
        let p = problem();
        let idx = Index::new(&p);
        let mut sched = Scheduler::new(&idx);
        let best = state(&idx, &[&[0, 1], &[2], &[3]], &mut sched);
        let mut e = Elimination::new(&idx, &best);
        let mut rng = fastrand::Rng::with_seed(1);
        assert!(e.step(&idx, &best, 0.0, &mut sched, &mut rng).is_none());
        assert!(e.plan().is_none());
    }

    #[test]
    fn closes_a_route_banks_its_jobs_and_hands_the_fewer_routes_on() {
        let p = costly();
        let idx = Index::new(&p);
        let mut sched = Scheduler::new(&idx);
        let mut rng = fastrand::Rng::with_seed(1);
        let mut best = state(&idx, &[&[0, 1], &[2], &[3]], &mut sched);
        let mut e = Elimination::new(&idx, &best);
        assert!(e.step(&idx, &best, 0.0, &mut sched, &mut rng).is_none());

        // One of the three routes is emptied, its jobs banked, the fleet capped at two.
        let mut plan = e.plan().expect("an attempt runs").clone();
        assert_eq!((plan.used_routes(), plan.max_routes), (2, 2));
        assert!(!plan.unassigned.is_empty());
        let mut routes = Vec::new();
        for &j in &plan.unassigned {
            plan.candidate_routes(&idx, j, &mut routes);
            assert!(routes.iter().all(|&r| !plan.routes[r].is_empty()));
            assert_eq!(routes.len(), 2);
        }

        // The search places the bank in the two routes left: that plan becomes the best.
        let mut ins = Inserter::new(&idx);
        for j in plan.unassigned.clone() {
            let c = plan
                .best_insertion(&idx, &mut ins, j, 0.0, &mut rng, &mut routes)
                .expect("capacity 4 takes every door");
            plan.insert(&idx, j, c, &mut ins.sched);
        }
        assert!(plan.unassigned.is_empty() && plan.cost < best.cost);
        e.accept(plan.clone());
        best = plan;
        let main = e
            .step(&idx, &best, 0.1, &mut sched, &mut rng)
            .expect("the main search moves to the plan with a route fewer");
        assert_eq!(main.used_routes(), 2);
        assert_eq!(main.max_routes, idx.vehicles.len());
        // And the next attempt aims at one route.
        let next = e.plan().expect("a new attempt runs");
        assert_eq!((next.used_routes(), next.max_routes), (1, 1));
    }

    #[test]
    fn the_stage_ends_at_its_share_of_the_budget() {
        let p = costly();
        let idx = Index::new(&p);
        let mut sched = Scheduler::new(&idx);
        let mut rng = fastrand::Rng::with_seed(1);
        let best = state(&idx, &[&[0, 1], &[2], &[3]], &mut sched);
        let mut e = Elimination::new(&idx, &best);
        e.step(&idx, &best, 0.0, &mut sched, &mut rng);
        assert!(e.plan().is_some());
        e.step(&idx, &best, STAGE_END, &mut sched, &mut rng);
        assert!(e.plan().is_none());
        e.step(&idx, &best, 0.0, &mut sched, &mut rng);
        assert!(e.plan().is_none(), "an ended stage does not start again");
    }
}
