//! A working solution: one route per vehicle (possibly empty) and the jobs left out.

use super::index::{dropoff, job_of, pickup, Index};
use super::insertion::{apply, Inserter, Insertion};
use super::model::JobId;
use super::route::RouteState;
use super::schedule::Scheduler;
use super::solution::{Solution, StopRole};

pub(crate) const NONE: usize = usize::MAX;

#[derive(Debug, Clone)]
pub(crate) struct State {
    pub routes: Vec<RouteState>,
    /// Route index per job, or [`NONE`].
    pub route_of: Vec<usize>,
    pub unassigned: Vec<JobId>,
    /// Current time bounds per node (links across routes tighten them).
    pub win: Vec<(f64, f64)>,
    pub cost: f64,
    /// Most routes the plan may use (below the fleet while route
    /// elimination has one closed): no empty route is offered beyond it.
    pub max_routes: usize,
}

impl State {
    pub fn new(idx: &Index) -> Self {
        let routes = (0..idx.vehicles.len())
            .map(|v| RouteState::empty(idx, v))
            .collect();
        let jobs = idx.jobs.len();
        let mut s = State {
            routes,
            route_of: vec![NONE; jobs],
            unassigned: (0..jobs).collect(),
            win: idx.nodes.iter().map(|n| (n.open, n.close)).collect(),
            cost: 0.0,
            max_routes: idx.vehicles.len(),
        };
        s.recost(idx);
        s
    }

    /// Starts from a given plan: each route's sequence where it is still
    /// feasible on its vehicle (a route that is not, or a vehicle used twice,
    /// leaves its jobs out), links synchronised across routes.
    pub fn seed(&mut self, idx: &Index, plan: &Solution, sched: &mut Scheduler) {
        for route in &plan.routes {
            let v = route.vehicle;
            if v >= self.routes.len() || !self.routes[v].is_empty() {
                continue;
            }
            let nodes: Vec<usize> = route
                .visits
                .iter()
                .filter(|w| w.job < idx.jobs.len() && self.route_of[w.job] == NONE)
                .filter(|w| {
                    let need = idx.jobs[w.job].skills;
                    need & idx.vehicles[v].skills == need
                })
                .map(|w| match w.role {
                    StopRole::Pickup => pickup(w.job),
                    StopRole::Dropoff => dropoff(w.job),
                })
                .collect();
            // Each job whole: both of its stops, or none.
            let whole = |n: &usize| {
                let (p, d) = idx.stops(job_of(*n));
                [p, d].iter().flatten().all(|m| nodes.contains(m))
            };
            let nodes: Vec<usize> = nodes.iter().copied().filter(whole).collect();
            self.routes[v].nodes = nodes;
            self.feasible_part(idx, v, sched);
            for &n in &self.routes[v].nodes {
                self.route_of[job_of(n)] = v;
            }
        }
        let route_of = &self.route_of;
        self.unassigned.retain(|&j| route_of[j] == NONE);
        let apart: Vec<JobId> = idx
            .problem
            .links
            .iter()
            .filter(|l| l.same_vehicle && self.route_of[l.inbound] != self.route_of[l.outbound])
            .map(|l| l.inbound)
            .collect();
        self.remove(idx, &apart, sched);
        self.sync_links(idx, sched);
        self.recost(idx);
    }

    /// Makes route `v` feasible by taking out as few of its jobs as a greedy
    /// pass finds: the first whose removal is enough, else the last, again.
    /// A start plan that no longer fits the day (a place's setup grew, a
    /// window closed) keeps all the rest of its order.
    fn feasible_part(&mut self, idx: &Index, v: usize, sched: &mut Scheduler) {
        while self.routes[v].refresh(idx, &self.win, sched).is_err() {
            let nodes = self.routes[v].nodes.clone();
            let mut jobs: Vec<JobId> = nodes.iter().map(|&n| job_of(n)).collect();
            jobs.dedup();
            let fits = jobs.iter().copied().find(|&j| {
                self.routes[v].nodes = nodes.iter().copied().filter(|&n| job_of(n) != j).collect();
                self.routes[v].refresh(idx, &self.win, sched).is_ok()
            });
            let out =
                fits.unwrap_or_else(|| job_of(*nodes.last().expect("a failing route has nodes")));
            self.routes[v].nodes = nodes.into_iter().filter(|&n| job_of(n) != out).collect();
        }
    }

    pub fn recost(&mut self, idx: &Index) {
        let routes: f64 = self.routes.iter().map(|r| r.eval.cost).sum();
        let left: f64 = self.unassigned.iter().map(|&j| idx.jobs[j].priority).sum();
        self.cost = routes + left;
    }

    /// What the used routes cost beyond their vehicles' fixed costs.
    pub fn variable_cost(&self, idx: &Index) -> f64 {
        self.routes
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| r.eval.cost - idx.vehicles[r.vehicle].fixed)
            .sum()
    }

    pub fn used_routes(&self) -> usize {
        self.routes.iter().filter(|r| !r.is_empty()).count()
    }

    /// Routes worth trying for a job: all used ones and, below the cap, one
    /// empty route per vehicle class (empty routes of one class are
    /// interchangeable).
    pub fn candidate_routes(&self, idx: &Index, job: JobId, out: &mut Vec<usize>) {
        out.clear();
        // A same-vehicle return goes where its outbound is (and vice versa).
        let info = &idx.jobs[job];
        if let Some((out_job, _, true)) = info.after {
            if self.route_of[out_job] != NONE {
                out.push(self.route_of[out_job]);
                return;
            }
        }
        for &inb in &info.before {
            if matches!(idx.jobs[inb].after, Some((_, _, true))) && self.route_of[inb] != NONE {
                out.push(self.route_of[inb]);
                return;
            }
        }
        let mut seen = vec![false; idx.classes];
        // Counted only under a cap: this runs for every job of every repair.
        let capped = self.max_routes < self.routes.len() && self.used_routes() >= self.max_routes;
        for (r, route) in self.routes.iter().enumerate() {
            if route.is_empty() {
                if capped {
                    continue;
                }
                let c = idx.vehicles[route.vehicle].class;
                if seen[c] {
                    continue;
                }
                seen[c] = true;
            }
            out.push(r);
        }
    }

    /// Takes jobs out of their routes; routes are refreshed once at the end.
    pub fn remove(&mut self, idx: &Index, jobs: &[JobId], sched: &mut Scheduler) {
        let mut dirty = Vec::new();
        for &j in jobs {
            let r = self.route_of[j];
            if r == NONE {
                continue;
            }
            self.routes[r].nodes.retain(|&n| job_of(n) != j);
            self.route_of[j] = NONE;
            self.unassigned.push(j);
            if !dirty.contains(&r) {
                dirty.push(r);
            }
        }
        for r in dirty {
            self.refresh_or_clear(idx, r, sched);
        }
        self.recost(idx);
    }

    /// Refreshes a route; in the rare case that removal left it infeasible
    /// (no triangle inequality), its jobs go back to the unassigned list.
    pub fn refresh_or_clear(&mut self, idx: &Index, r: usize, sched: &mut Scheduler) {
        if self.routes[r].refresh(idx, &self.win, sched).is_err() {
            for n in std::mem::take(&mut self.routes[r].nodes) {
                let j = job_of(n);
                if self.route_of[j] == r {
                    self.route_of[j] = NONE;
                    self.unassigned.push(j);
                }
            }
            let _ = self.routes[r].refresh(idx, &self.win, sched);
        }
    }

    pub fn insert(&mut self, idx: &Index, job: JobId, ins: Insertion, sched: &mut Scheduler) {
        let r = ins.route;
        apply(idx, &mut self.routes[r].nodes, job, ins.p, ins.d);
        self.route_of[job] = r;
        self.unassigned.retain(|&j| j != job);
        self.refresh_or_clear(idx, r, sched);
        self.recost(idx);
    }

    /// Best insertion of `job` over all candidate routes.
    pub fn best_insertion(
        &self,
        idx: &Index,
        ins: &mut Inserter,
        job: JobId,
        blink: f64,
        rng: &mut fastrand::Rng,
        routes: &mut Vec<usize>,
    ) -> Option<Insertion> {
        self.candidate_routes(idx, job, routes);
        let mut best: Option<Insertion> = None;
        for &r in routes.iter() {
            // Only a place cheaper than the best so far matters.
            let bound = best.map_or(f64::INFINITY, |b| b.delta);
            if let Ok(c) =
                ins.best_below(idx, &self.win, &self.routes[r], r, job, blink, rng, bound)
            {
                if best.is_none_or(|b| c.delta < b.delta) {
                    best = Some(c);
                }
            }
        }
        best
    }

    /// Honours links across routes: the return's pickup may not start before
    /// the outbound's scheduled drop-off plus the gap. Returns that cannot
    /// follow are taken out again.
    pub fn sync_links(&mut self, idx: &Index, sched: &mut Scheduler) {
        if idx.problem.links.is_empty() {
            return;
        }
        for _ in 0..2 {
            let mut changed = false;
            for link in &idx.problem.links {
                let n = pickup(link.inbound);
                let base = idx.nodes[n].open;
                let (ro, ri) = (self.route_of[link.outbound], self.route_of[link.inbound]);
                let release = if ro != NONE && ri != NONE && ro != ri {
                    let dn = super::index::dropoff(link.outbound);
                    let route = &self.routes[ro];
                    route.departure_of(dn).map(|d| d + link.min_gap)
                } else {
                    None
                };
                let open = release.map_or(base, |r| r.max(base));
                if (self.win[n].0 - open).abs() > 1e-9 {
                    self.win[n].0 = open;
                    changed = true;
                    if ri != NONE && self.routes[ri].refresh(idx, &self.win, sched).is_err() {
                        self.remove(idx, &[link.inbound], sched);
                    }
                }
            }
            if !changed {
                break;
            }
        }
        self.recost(idx);
    }
}
