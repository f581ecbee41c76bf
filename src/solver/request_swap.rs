//! Request exchange for the request search: two requests of different
//! routes, each close to the other (`near`), trade places. Each goes to its
//! cheapest feasible place in the other's route without the other, so a
//! swap can win where neither relocation does: two full routes, each with
//! room for one request only once it gives one up.
//!
//! The saving of taking a request out is its route's cost before minus
//! after, the route without it scheduled and kept while the route stays as
//! it was. Insertions are searched below what the two savings leave, so most
//! pairs end at the screens, never at the scheduler.

use super::{RequestSearch, GAIN};
use crate::solver::index::Index;
use crate::solver::insertion::{cannot_beat, Inserter};
use crate::solver::model::JobId;
use crate::solver::route::RouteState;
use crate::solver::schedule::Scheduler;
use crate::solver::state::{State, NONE};

/// How many of a request's most related requests it may trade with.
pub(super) const NEAR: usize = 8;

/// A request's route without it, as long as that route is unchanged.
pub(super) struct Without {
    route: usize,
    stamp: u64,
    /// What taking the request out saves (−∞ if the rest does not hold).
    saving: f64,
    rest: RouteState,
}

impl Without {
    pub fn empty(idx: &Index) -> Self {
        Self {
            route: NONE,
            stamp: u64::MAX,
            saving: f64::NEG_INFINITY,
            rest: RouteState::empty(idx, 0),
        }
    }
}

impl RequestSearch {
    /// Trades of each request with its near ones in other routes, where at
    /// least one of the two routes changed since the last look (the first
    /// look of a descent sees every pair); the first that pays is made, and
    /// the request's next trades wait for the next look. True if one was.
    pub(super) fn exchanges(
        &mut self,
        idx: &Index,
        state: &mut State,
        ins: &mut Inserter,
        rng: &mut fastrand::Rng,
        stop: &dyn Fn() -> bool,
    ) -> bool {
        self.fit(state);
        if self.without.len() < state.route_of.len() {
            self.without
                .resize_with(state.route_of.len(), || Without::empty(idx));
        }
        let seen = self.swaps_checked;
        self.swaps_checked = self.clock;
        let mut improved = false;
        self.order.clear();
        self.order
            .extend((0..state.route_of.len()).filter(|&j| state.route_of[j] != NONE));
        rng.shuffle(&mut self.order);
        for i in 0..self.order.len() {
            if stop() {
                break;
            }
            let j = self.order[i];
            // A trade puts each request straight into the other's route,
            // which a return bound to its outbound's vehicle may not leave.
            if idx.jobs[j].linked() {
                continue;
            }
            for t in 0..self.near[j].len() {
                let k = self.near[j][t];
                let (r, rk) = (state.route_of[j], state.route_of[k]);
                if rk == NONE || rk == r || (self.stamp[r] <= seen && self.stamp[rk] <= seen) {
                    continue;
                }
                if idx.jobs[k].linked() {
                    continue;
                }
                if self.trade(idx, state, ins, j, k) {
                    improved = true;
                    break;
                }
            }
        }
        improved
    }

    /// Swaps `j` and `k` (in different routes) if that pays.
    fn trade(
        &mut self,
        idx: &Index,
        state: &mut State,
        ins: &mut Inserter,
        j: JobId,
        k: JobId,
    ) -> bool {
        let (r, rk) = (state.route_of[j], state.route_of[k]);
        let total = self.saving_without(idx, state, j, &mut ins.sched)
            + self.saving_without(idx, state, k, &mut ins.sched);
        // A route that does not hold without its request saves −∞: no trade.
        if total <= GAIN {
            return false;
        }
        let bound = total - GAIN;
        // The arcs alone rule most trades out.
        let (into_k, into_j) = (&self.without[k].rest, &self.without[j].rest);
        for (rest, job) in [(into_k, j), (into_j, k)] {
            if idx.vehicles[rest.vehicle].per_time == 0.0
                && !rest.nodes.is_empty()
                && cannot_beat(idx, rest.vehicle, &rest.nodes, job, bound)
            {
                return false;
            }
        }
        // No blinks: the generator is never drawn.
        let rng = &mut fastrand::Rng::with_seed(0);
        let Ok(a) = ins.best_below(idx, &state.win, into_k, rk, j, 0.0, rng, bound) else {
            return false;
        };
        if a.delta >= bound {
            return false;
        }
        let Ok(b) = ins.best_below(idx, &state.win, into_j, r, k, 0.0, rng, bound - a.delta) else {
            return false;
        };
        if a.delta + b.delta >= bound {
            return false;
        }
        let before = state.cost;
        state.routes[r].clone_from(&self.without[j].rest);
        state.routes[rk].clone_from(&self.without[k].rest);
        state.route_of[j] = NONE;
        state.route_of[k] = NONE;
        state.insert(idx, j, a, &mut ins.sched);
        state.insert(idx, k, b, &mut ins.sched);
        self.touch([r, rk]);
        self.record(before - total + a.delta + b.delta, state.cost);
        true
    }

    /// What taking `j` out of its route saves, with that route's rest kept
    /// in `without[j]` while the route is unchanged.
    fn saving_without(
        &mut self,
        idx: &Index,
        state: &State,
        j: JobId,
        sched: &mut Scheduler,
    ) -> f64 {
        let r = state.route_of[j];
        let w = &self.without[j];
        if w.route == r && w.stamp == self.stamp[r] {
            return w.saving;
        }
        let saving = self.reduce(idx, state, j, sched);
        let w = &mut self.without[j];
        w.route = r;
        w.stamp = self.stamp[r];
        w.saving = saving;
        w.rest.clone_from(&self.reduced);
        saving
    }
}
