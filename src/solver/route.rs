//! A route under construction, with the per-position figures that let the
//! insertion filters answer in O(1): earliest and latest service starts, the
//! load on each arc and the cumulative travel-plus-service time.

use super::index::{is_pickup, job_of, Index, Shape};
use super::schedule::{Eval, Scheduler, Windows};
use super::solution::Reason;

#[derive(Debug, Clone)]
pub(crate) struct RouteState {
    pub vehicle: usize,
    pub nodes: Vec<usize>,
    pub eval: Eval,
    /// Location per position; 0 and m+1 are the vehicle's start and end.
    pub locs: Vec<usize>,
    pub serv: Vec<f64>,
    /// Earliest service start per position, ignoring ride limits.
    pub earliest: Vec<f64>,
    /// Latest service start per position that keeps the rest on time.
    pub latest: Vec<f64>,
    /// Travel plus service time from the start up to the arrival at a position.
    pub cum: Vec<f64>,
    /// Load on the arc leaving each position (m+1 arcs), `dims` entries each.
    pub loads: Vec<i32>,
    pub peak: Vec<i32>,
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
            earliest: Vec::new(),
            latest: Vec::new(),
            cum: Vec::new(),
            loads: Vec::new(),
            peak: Vec::new(),
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
        let veh = &idx.vehicles[self.vehicle];
        let m = self.nodes.len();
        self.locs.clear();
        self.serv.clear();
        self.locs.push(veh.start);
        self.serv.push(0.0);
        let mut open = vec![veh.open];
        let mut close = vec![veh.close];
        for &n in &self.nodes {
            let node = &idx.nodes[n];
            self.locs.push(node.loc);
            self.serv.push(node.service);
            open.push(win[n].0);
            close.push(win[n].1);
        }
        self.locs.push(veh.end);
        self.serv.push(0.0);
        open.push(veh.open);
        close.push(veh.close);

        self.earliest.clear();
        self.cum.clear();
        self.earliest.push(veh.open);
        self.cum.push(0.0);
        for k in 1..=m + 1 {
            let t = idx.time(self.locs[k - 1], self.locs[k]);
            let e = (self.earliest[k - 1] + self.serv[k - 1] + t).max(open[k]);
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

        let dims = idx.dims;
        let mut load = vec![0i32; dims];
        for &n in &self.nodes {
            if idx.jobs[job_of(n)].shape == Shape::DropOnly {
                for (l, q) in load.iter_mut().zip(idx.load(job_of(n))) {
                    *l += q;
                }
            }
        }
        self.loads.clear();
        self.loads.extend_from_slice(&load);
        self.peak.clear();
        self.peak.extend_from_slice(&load);
        for &n in &self.nodes {
            let sign = if is_pickup(n) { 1 } else { -1 };
            for d in 0..dims {
                load[d] += sign * idx.load(job_of(n))[d];
                self.peak[d] = self.peak[d].max(load[d]);
            }
            self.loads.extend_from_slice(&load);
        }
        self.starts.clear();
        self.arrivals.clear();
        if m > 0 {
            self.starts.extend_from_slice(&s.b);
            self.arrivals.extend_from_slice(&s.a);
        }
        Ok(())
    }

    /// Load on the arc leaving position `k`.
    #[inline]
    pub fn load_at(&self, k: usize, dims: usize) -> &[i32] {
        &self.loads[k * dims..(k + 1) * dims]
    }

    /// Service start scheduled for node `n`, if it is in this route.
    pub fn start_of(&self, n: usize) -> Option<f64> {
        let k = self.nodes.iter().position(|&x| x == n)?;
        Some(self.starts[k + 1])
    }
}
