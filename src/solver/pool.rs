//! Set partitioning over the routes met during the search.
//!
//! Every accepted solution adds its routes to a pool, keyed by vehicle class
//! and job set (only the cheapest sequence of a set is kept). A MIP then picks
//! the cheapest combination of pooled routes that serves each job at most once
//! (a job left out pays its priority) within each class's vehicle count. The
//! incumbent is given as a start, so the MIP can only improve on it. This
//! recombines routes from different solutions, which the local moves cannot.

use std::collections::HashMap;

use good_lp::{
    constraint, variable, Expression, ProblemVariables, Solution as _, SolverModel, Variable,
    WithInitialSolution, WithTimeLimit,
};

use super::index::{job_of, Index};
use super::model::JobId;
use super::schedule::Scheduler;
use super::state::{State, NONE};

struct Column {
    class: usize,
    jobs: Vec<JobId>,
    nodes: Vec<usize>,
    cost: f64,
}

#[derive(Default)]
pub(crate) struct Pool {
    index: HashMap<(usize, Vec<JobId>), usize>,
    cols: Vec<Column>,
}

/// Large pools slow the MIP down more than they help.
const MAX_COLUMNS: usize = 6000;

impl Pool {
    pub fn cols_len(&self) -> usize {
        self.cols.len()
    }
    pub fn add(&mut self, idx: &Index, state: &State) {
        for route in state.routes.iter().filter(|r| !r.is_empty()) {
            let class = idx.vehicles[route.vehicle].class;
            let mut jobs: Vec<JobId> = route.nodes.iter().map(|&n| job_of(n)).collect();
            jobs.sort_unstable();
            jobs.dedup();
            let cost = route.eval.cost;
            match self.index.get(&(class, jobs.clone())) {
                Some(&c) if cost < self.cols[c].cost - 1e-9 => {
                    self.cols[c].cost = cost;
                    self.cols[c].nodes.clone_from(&route.nodes);
                }
                Some(_) => {}
                None if self.cols.len() < MAX_COLUMNS => {
                    self.index.insert((class, jobs.clone()), self.cols.len());
                    self.cols.push(Column {
                        class,
                        jobs,
                        nodes: route.nodes.clone(),
                        cost,
                    });
                }
                None => {}
            }
        }
    }

    /// Solves the set-partitioning MIP; returns a better state than `incumbent`, if found.
    pub fn recombine(
        &self,
        idx: &Index,
        incumbent: &State,
        seconds: f64,
        sched: &mut Scheduler,
    ) -> Option<State> {
        if self.cols.is_empty() || seconds <= 0.0 {
            return None;
        }
        let mut vars = ProblemVariables::new();
        let x: Vec<Variable> = self
            .cols
            .iter()
            .map(|_| vars.add(variable().binary()))
            .collect();
        let u: Vec<Variable> = (0..idx.jobs.len())
            .map(|_| vars.add(variable().min(0.0).max(1.0)))
            .collect();
        let mut objective = Expression::default();
        let mut cover: Vec<Expression> = u.iter().map(|&v| Expression::from(v)).collect();
        let mut fleet: Vec<Expression> = vec![Expression::default(); idx.classes];
        for (c, col) in self.cols.iter().enumerate() {
            objective.add_mul(col.cost, x[c]);
            for &j in &col.jobs {
                cover[j].add_mul(1.0, x[c]);
            }
            fleet[col.class].add_mul(1.0, x[c]);
        }
        for (j, &v) in u.iter().enumerate() {
            objective.add_mul(idx.jobs[j].priority, v);
        }
        // Start from the incumbent: its routes are all in the pool.
        let mut start: Vec<(Variable, f64)> = Vec::new();
        let mut chosen = vec![false; self.cols.len()];
        for route in incumbent.routes.iter().filter(|r| !r.is_empty()) {
            let class = idx.vehicles[route.vehicle].class;
            let mut jobs: Vec<JobId> = route.nodes.iter().map(|&n| job_of(n)).collect();
            jobs.sort_unstable();
            jobs.dedup();
            if let Some(&c) = self.index.get(&(class, jobs)) {
                chosen[c] = true;
            }
        }
        start.extend(
            x.iter()
                .zip(&chosen)
                .map(|(&v, &on)| (v, if on { 1.0 } else { 0.0 })),
        );
        start.extend(u.iter().enumerate().map(|(j, &v)| {
            (
                v,
                if incumbent.route_of[j] == NONE {
                    1.0
                } else {
                    0.0
                },
            )
        }));

        let mut count = vec![0usize; idx.classes];
        for v in &idx.vehicles {
            count[v.class] += 1;
        }
        let mut model = vars
            .minimise(objective)
            .using(backend)
            .with_time_limit(seconds);
        for e in cover {
            model = model.with(constraint!(e == 1.0));
        }
        for (c, e) in fleet.into_iter().enumerate() {
            model = model.with(constraint!(e <= count[c] as f64));
        }
        // A same-vehicle pair split over columns needs the missing half left out.
        for link in idx.problem.links.iter().filter(|l| l.same_vehicle) {
            for (c, col) in self.cols.iter().enumerate() {
                let has = |j: JobId| col.jobs.binary_search(&j).is_ok();
                match (has(link.outbound), has(link.inbound)) {
                    (true, false) => model = model.with(constraint!(x[c] <= u[link.inbound])),
                    (false, true) => model = model.with(constraint!(x[c] <= u[link.outbound])),
                    _ => {}
                }
            }
        }
        let solution = model.with_initial_solution(start).solve().ok()?;

        // Rebuild a state: the chosen columns on vehicles of their class.
        let mut state = State::new(idx);
        state.win.clone_from(&incumbent.win);
        let mut free: Vec<Vec<usize>> = vec![Vec::new(); idx.classes];
        for (v, veh) in idx.vehicles.iter().enumerate().rev() {
            free[veh.class].push(v);
        }
        for (c, col) in self.cols.iter().enumerate() {
            if solution.value(x[c]) < 0.5 {
                continue;
            }
            let v = free[col.class].pop()?;
            state.routes[v].nodes.clone_from(&col.nodes);
            for &j in &col.jobs {
                if state.route_of[j] != NONE {
                    return None;
                }
                state.route_of[j] = v;
            }
            state.routes[v].refresh(idx, &state.win, sched).ok()?;
        }
        state.unassigned = (0..idx.jobs.len())
            .filter(|&j| state.route_of[j] == NONE)
            .collect();
        state.sync_links(idx, sched);
        state.recost(idx);
        (state.cost < incumbent.cost - 1e-6).then_some(state)
    }
}

#[cfg(feature = "highs")]
use good_lp::highs as backend;
#[cfg(not(feature = "highs"))]
use good_lp::microlp as backend;
