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
    /// The last `add` that met this route.
    seen: u64,
}

#[derive(Default)]
pub(crate) struct Pool {
    index: HashMap<(usize, Vec<JobId>), usize>,
    cols: Vec<Column>,
    /// At the cap, drop the routes met longest ago instead of admitting no
    /// new ones: late (good) routes keep entering on long runs.
    pub evict: bool,
    adds: u64,
}

/// Large pools slow the MIP down more than they help.
const MAX_COLUMNS: usize = 6000;

impl Pool {
    pub fn add(&mut self, idx: &Index, state: &State) {
        self.adds += 1;
        for route in state.routes.iter().filter(|r| !r.is_empty()) {
            let class = idx.vehicles[route.vehicle].class;
            let mut jobs: Vec<JobId> = route.nodes.iter().map(|&n| job_of(n)).collect();
            jobs.sort_unstable();
            jobs.dedup();
            let cost = route.eval.cost;
            if self.evict && self.cols.len() >= MAX_COLUMNS {
                self.drop_stale();
            }
            match self.index.get(&(class, jobs.clone())) {
                Some(&c) => {
                    let col = &mut self.cols[c];
                    col.seen = self.adds;
                    if cost < col.cost - 1e-9 {
                        col.cost = cost;
                        col.nodes.clone_from(&route.nodes);
                    }
                }
                None if self.cols.len() < MAX_COLUMNS => {
                    self.index.insert((class, jobs.clone()), self.cols.len());
                    self.cols.push(Column {
                        class,
                        jobs,
                        nodes: route.nodes.clone(),
                        cost,
                        seen: self.adds,
                    });
                }
                None => {}
            }
        }
    }

    /// Keeps the half of the pool met most recently (ties in pool order).
    fn drop_stale(&mut self) {
        let mut cols = std::mem::take(&mut self.cols);
        cols.sort_by_key(|c| std::cmp::Reverse(c.seen));
        cols.truncate(MAX_COLUMNS / 2);
        self.index.clear();
        for (i, c) in cols.iter().enumerate() {
            self.index.insert((c.class, c.jobs.clone()), i);
        }
        self.cols = cols;
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

/// HiGHS on one thread and quiet, so runs compare fairly and logs stay clean.
#[cfg(feature = "highs")]
fn backend(problem: good_lp::variable::UnsolvedProblem) -> good_lp::solvers::highs::HighsProblem {
    let mut p = good_lp::highs(problem).set_threads(1);
    p.set_verbose(false);
    p
}
#[cfg(not(feature = "highs"))]
use good_lp::microlp as backend;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::solver::index::dropoff;
    use crate::solver::model::{Job, Layout, Matrix, Problem, Stop, TimeWindow, Vehicle};

    /// Four doors on a line, two near the depot and two far; each vehicle costs 10.
    pub(crate) fn problem() -> Problem {
        let xs = [0.0, 1.0, 2.0, 10.0, 11.0];
        let matrix = Matrix::from_fn(xs.len(), |a, b| {
            let d = f64::abs(xs[a] - xs[b]);
            (d, d)
        });
        let vehicle = |id: &str| Vehicle {
            id: id.into(),
            start: 0,
            end: 0,
            shift: TimeWindow::new(0.0, 100.0),
            max_duration: None,
            fixed_cost: 10.0,
            cost_per_distance: 1.0,
            cost_per_time: 0.0,
            skills: vec![],
            layouts: vec![Layout {
                name: "boxes".into(),
                capacity: vec![4],
            }],
        };
        let door = |loc| Stop {
            location: loc,
            window: TimeWindow::new(0.0, 100.0),
            service: 0.0,
        };
        Problem {
            prefixes: Vec::new(),
            name: "recombine".into(),
            dimensions: vec!["boxes".into()],
            matrix,
            vehicles: vec![vehicle("a"), vehicle("b"), vehicle("c")],
            jobs: (1..=4)
                .map(|l| Job::delivery(format!("j{l}"), None, door(l), vec![1]))
                .collect(),
            links: vec![],
            setup: vec![],
        }
    }

    pub(crate) fn state(idx: &Index, groups: &[&[usize]], sched: &mut Scheduler) -> State {
        let mut s = State::new(idx);
        for (v, jobs) in groups.iter().enumerate() {
            s.routes[v].nodes = jobs.iter().map(|&j| dropoff(j)).collect();
            for &j in *jobs {
                s.route_of[j] = v;
            }
            s.routes[v].refresh(idx, &s.win, sched).unwrap();
        }
        s.unassigned.clear();
        s.recost(idx);
        s
    }

    #[test]
    fn recombines_the_good_routes_of_two_plans() {
        let p = problem();
        let idx = Index::new(&p);
        let mut sched = Scheduler::new(&idx);
        // Each plan has one good route and splits the other pair needlessly.
        let a = state(&idx, &[&[0, 1], &[2], &[3]], &mut sched);
        let b = state(&idx, &[&[0], &[1], &[2, 3]], &mut sched);
        let mut pool = Pool::default();
        pool.add(&idx, &a);
        pool.add(&idx, &b);
        let best = pool
            .recombine(&idx, &a, 5.0, &mut sched)
            .expect("a better combination exists");
        // Near pair: 10 + 4; far pair: 10 + 22.
        assert!((best.cost - 46.0).abs() < 1e-9, "cost {}", best.cost);
        assert_eq!(best.used_routes(), 2);
        assert!(best.cost < a.cost && best.cost < b.cost);
        assert!(best.unassigned.is_empty());
    }

    #[test]
    fn an_evicting_pool_keeps_admitting_routes_at_the_cap() {
        let p = problem();
        let idx = Index::new(&p);
        let mut sched = Scheduler::new(&idx);
        let a = state(&idx, &[&[0, 1], &[2], &[3]], &mut sched);
        let b = state(&idx, &[&[0], &[1], &[2, 3]], &mut sched);
        for evict in [false, true] {
            let mut pool = Pool {
                evict,
                ..Pool::default()
            };
            pool.add(&idx, &a);
            // Fill the pool to the cap with routes met once, long ago.
            while pool.cols.len() < MAX_COLUMNS {
                let n = pool.cols.len();
                pool.cols.push(Column {
                    class: 0,
                    jobs: vec![n + 100],
                    nodes: Vec::new(),
                    cost: 1e6,
                    seen: 0,
                });
                pool.index.insert((0, vec![n + 100]), n);
            }
            pool.add(&idx, &a);
            pool.add(&idx, &b);
            // Only the evicting pool holds b's far pair, and it kept a's routes.
            assert_eq!(pool.index.contains_key(&(0, vec![2, 3])), evict);
            assert!(pool.index.contains_key(&(0, vec![0, 1])));
            assert!(pool.cols.len() <= MAX_COLUMNS);
            for (&(class, ref jobs), &c) in &pool.index {
                assert_eq!((class, jobs), (pool.cols[c].class, &pool.cols[c].jobs));
            }
        }
    }

    #[test]
    fn leaves_a_job_out_only_when_cheaper_than_its_priority() {
        let mut p = problem();
        p.jobs[3].priority = 5.0; // cheaper to leave the farthest door out
        let idx = Index::new(&p);
        let mut sched = Scheduler::new(&idx);
        let a = state(&idx, &[&[0, 1], &[2], &[3]], &mut sched);
        let b = state(&idx, &[&[0, 1, 2], &[3]], &mut sched);
        let mut pool = Pool::default();
        pool.add(&idx, &a);
        pool.add(&idx, &b);
        let best = pool
            .recombine(&idx, &a, 5.0, &mut sched)
            .expect("leaving j4 out pays");
        assert_eq!(best.unassigned, vec![3]);
        // One route 0-1-2-10-0 (20 + 10) plus the penalty 5.
        assert!((best.cost - 35.0).abs() < 1e-9, "cost {}", best.cost);
    }
}
