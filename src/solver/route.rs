//! A route under construction, with the per-position figures that let the
//! insertion filters answer in O(1): earliest and latest service starts, the
//! load on each arc and the cumulative travel-plus-service time.

use super::index::{is_pickup, job_of, Index};
use super::push;
use super::schedule::{route_cost, route_distance, Eval, Scheduler, Windows};
use super::solution::Reason;

/// `RouteState::pick_pos` of a position that is no drop-off with a ride limit.
pub(crate) const NO_PICKUP: usize = usize::MAX;

#[derive(Debug, Clone)]
pub(crate) struct RouteState {
    pub vehicle: usize,
    pub nodes: Vec<usize>,
    pub eval: Eval,
    /// Location per position; 0 and m+1 are the vehicle's start and end.
    pub locs: Vec<usize>,
    /// Time spent at each position: setup paid plus service.
    pub serv: Vec<f64>,
    /// Time window per position (the search's current bounds).
    pub open: Vec<f64>,
    pub close: Vec<f64>,
    /// Earliest service start per position, ignoring ride limits.
    pub earliest: Vec<f64>,
    /// Latest service start per position that keeps the rest on time.
    pub latest: Vec<f64>,
    /// Travel plus service time from the start up to the arrival at a position.
    pub cum: Vec<f64>,
    /// Load on the arc leaving each position (m+1 arcs), `dims` entries each.
    pub loads: Vec<i32>,
    pub peak: Vec<i32>,
    /// Per arc: the least ride-time room (limit minus travel and service, waits
    /// excluded) of the passengers on board across it. A detour on that arc
    /// longer than this breaks someone's ride, whatever the schedule.
    pub ride_room: Vec<f64>,
    /// Per position: for a drop-off with a ride limit, its pickup's position
    /// (`NO_PICKUP` otherwise).
    pub pick_pos: Vec<usize>,
    /// Per position: the earliest start with the scheduled departure, and
    /// whether every ride ending there or before keeps its limit with those
    /// starts ([`super::push`]); empty where the push does not apply.
    pub early: Vec<f64>,
    pub early_ok: Vec<bool>,
    /// Scheduled service start per position (from the evaluator).
    pub starts: Vec<f64>,
    pub arrivals: Vec<f64>,
}

impl RouteState {
    pub fn empty(idx: &Index, vehicle: usize) -> Self {
        let mut r = RouteState {
            vehicle,
            nodes: Vec::new(),
            eval: Eval {
                cost: 0.0,
                distance: 0.0,
                start: 0.0,
                end: 0.0,
                layout: 0,
            },
            locs: Vec::new(),
            serv: Vec::new(),
            open: Vec::new(),
            close: Vec::new(),
            earliest: Vec::new(),
            latest: Vec::new(),
            cum: Vec::new(),
            loads: Vec::new(),
            peak: Vec::new(),
            ride_room: Vec::new(),
            pick_pos: Vec::new(),
            early: Vec::new(),
            early_ok: Vec::new(),
            starts: Vec::new(),
            arrivals: Vec::new(),
        };
        let mut s = Scheduler::new(idx);
        let win: Vec<(f64, f64)> = Vec::new();
        r.refresh(idx, &win, &mut s)
            .expect("an empty route is feasible");
        r
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Re-evaluates the route and rebuilds the filter figures.
    pub fn refresh(&mut self, idx: &Index, win: &Windows, s: &mut Scheduler) -> Result<(), Reason> {
        self.eval = s.evaluate(idx, win, self.vehicle, &self.nodes)?;
        self.starts.clear();
        self.arrivals.clear();
        if !self.nodes.is_empty() {
            self.starts.extend_from_slice(&s.b);
            self.arrivals.extend_from_slice(&s.a);
        }
        self.figures(idx, win);
        Ok(())
    }

    /// The route `from` with some visits taken out (`self.nodes`, in
    /// `from`'s order), every other visit kept at its time: feasible as
    /// `from` was, since nobody arrives later (checked, so that a matrix
    /// without the triangle inequality is no exception). Builds the route
    /// without the scheduler and returns true, or returns false and leaves
    /// it to [`Self::refresh`]. Only where [`push::applies_to`] the
    /// vehicle, where the times do not change the cost; the plan's final
    /// times come from the scheduler (`solve::to_solution`).
    pub fn keep_times(&mut self, idx: &Index, win: &Windows, from: &RouteState) -> bool {
        let veh = &idx.vehicles[from.vehicle];
        let m = self.nodes.len();
        if m == 0 || from.nodes.is_empty() || !push::applies_to(idx, from.vehicle) {
            return false;
        }
        self.vehicle = from.vehicle;
        self.starts.clear();
        self.arrivals.clear();
        self.starts.push(from.starts[0]);
        self.arrivals.push(from.arrivals[0]);
        let (mut at, mut dep) = (veh.start, from.starts[0]);
        let mut next = self.nodes.iter().peekable();
        for (i, &n) in from.nodes.iter().enumerate() {
            if next.peek() != Some(&&n) {
                continue;
            }
            next.next();
            let loc = idx.nodes[n].loc;
            let arrive = dep + idx.time(at, loc);
            let start = from.starts[i + 1];
            if arrive > start {
                return false;
            }
            self.starts.push(start);
            self.arrivals.push(arrive);
            (at, dep) = (loc, start + idx.nodes[n].service);
        }
        let arrive = dep + idx.time(at, veh.end);
        let end = from.starts[from.nodes.len() + 1];
        if next.peek().is_some() || arrive > end {
            return false;
        }
        self.starts.push(end);
        self.arrivals.push(arrive);
        let distance = route_distance(idx, self.vehicle, &self.nodes);
        self.eval = Eval {
            cost: route_cost(
                idx,
                self.vehicle,
                &self.nodes,
                distance,
                end - self.starts[0],
            ),
            distance,
            start: self.starts[0],
            end,
            layout: from.eval.layout,
        };
        self.figures(idx, win);
        true
    }

    /// Every per-position figure but the times.
    fn figures(&mut self, idx: &Index, win: &Windows) {
        let veh = &idx.vehicles[self.vehicle];
        let m = self.nodes.len();
        self.locs.clear();
        self.serv.clear();
        self.open.clear();
        self.close.clear();
        self.locs.push(veh.start);
        self.serv.push(0.0);
        self.open.push(veh.open);
        self.close.push(veh.close);
        for (i, &n) in self.nodes.iter().enumerate() {
            let node = &idx.nodes[n];
            let prev = idx.before(self.vehicle, i, self.locs[i]);
            self.serv.push(idx.setup(prev, node.loc) + node.service);
            self.locs.push(node.loc);
            self.open.push(win[n].0);
            self.close.push(win[n].1);
        }
        self.locs.push(veh.end);
        self.serv.push(0.0);
        self.open.push(veh.open);
        self.close.push(veh.close);
        let (open, close) = (&self.open, &self.close);

        self.earliest.clear();
        self.cum.clear();
        self.earliest.push(veh.open);
        self.cum.push(0.0);
        for (k, &open_k) in open.iter().enumerate().skip(1) {
            let t = idx.time(self.locs[k - 1], self.locs[k]);
            let e = (self.earliest[k - 1] + self.serv[k - 1] + t).max(open_k);
            self.earliest.push(e);
            self.cum.push(self.cum[k - 1] + self.serv[k - 1] + t);
        }
        self.latest.clear();
        self.latest.resize(m + 2, 0.0);
        self.latest[m + 1] = close[m + 1];
        for k in (0..=m).rev() {
            let t = idx.time(self.locs[k], self.locs[k + 1]);
            self.latest[k] = close[k].min(self.latest[k + 1] - t - self.serv[k]);
        }

        self.loads.clear();
        self.peak.clear();
        self.peak.resize(idx.dims, 0);
        let (loads, peak) = (&mut self.loads, &mut self.peak);
        idx.walk_loads(&self.nodes, &mut Vec::new(), |load| {
            loads.extend_from_slice(load);
            for (p, l) in peak.iter_mut().zip(load) {
                *p = (*p).max(*l);
            }
        });
        self.ride_room.clear();
        self.ride_room.resize(m + 1, f64::INFINITY);
        self.pick_pos.clear();
        self.pick_pos.resize(m + 2, NO_PICKUP);
        if idx.any_ride_limit {
            for (b, &n) in self.nodes.iter().enumerate() {
                let job = &idx.jobs[job_of(n)];
                let (Some(limit), false) = (job.ride_limit, is_pickup(n)) else {
                    continue;
                };
                let Some(a) = self.nodes[..b].iter().position(|&x| x == n - 1) else {
                    continue;
                };
                // Positions are shifted by one for the start depot.
                let (a, b) = (a + 1, b + 1);
                self.pick_pos[b] = a;
                let room = limit - (self.cum[b] - self.cum[a] - self.serv[a]);
                for r in &mut self.ride_room[a..b] {
                    *r = r.min(room);
                }
            }
        }
        self.early.clear();
        self.early_ok.clear();
        if m > 0 && push::applies_to(idx, self.vehicle) {
            self.early.push(self.starts[0]);
            self.early_ok.push(true);
            for k in 1..m + 2 {
                let t = idx.time(self.locs[k - 1], self.locs[k]);
                let e = (self.early[k - 1] + self.serv[k - 1] + t).max(self.open[k]);
                self.early.push(e);
                let pk = self.pick_pos[k];
                let ok = pk == NO_PICKUP || {
                    let limit = idx.jobs[job_of(self.nodes[k - 1])].ride_limit;
                    e - (self.early[pk] + self.serv[pk]) <= limit.unwrap_or(f64::INFINITY)
                };
                self.early_ok.push(self.early_ok[k - 1] && ok);
            }
        }
    }

    /// Load on the arc leaving position `k`.
    #[inline]
    pub fn load_at(&self, k: usize, dims: usize) -> &[i32] {
        &self.loads[k * dims..(k + 1) * dims]
    }

    /// Departure scheduled from node `n` (setup and service done), if it is
    /// in this route.
    pub fn departure_of(&self, n: usize) -> Option<f64> {
        let k = self.nodes.iter().position(|&x| x == n)? + 1;
        Some(self.starts[k] + self.serv[k])
    }

    /// How much longer (or shorter) the visit at position `k` becomes when
    /// the visit before it is at `prev` instead: the setup it gains or saves.
    #[inline]
    pub fn setup_change(&self, idx: &Index, k: usize, prev: usize) -> f64 {
        if !idx.any_setup() || k + 1 >= self.locs.len() {
            return 0.0;
        }
        let loc = self.locs[k];
        let was = idx.before(self.vehicle, k - 1, self.locs[k - 1]);
        idx.setup(Some(prev), loc) - idx.setup(was, loc)
    }

    /// Latest start at position `k` when its visit lasts `delta` longer: the
    /// exact figure for the route after `k` kept as it is.
    #[inline]
    pub fn latest_with(&self, idx: &Index, k: usize, delta: f64) -> f64 {
        if delta == 0.0 {
            return self.latest[k];
        }
        let t = idx.time(self.locs[k], self.locs[k + 1]);
        self.close[k].min(self.latest[k + 1] - t - self.serv[k] - delta)
    }
}
