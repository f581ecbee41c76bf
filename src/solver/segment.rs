//! Concatenable route segments (Vidal et al. 2013, as in PyVRP): a stretch of
//! consecutive visits summed up so that joining two stretches costs O(1).
//! Local search keeps these per route prefix and suffix and prices a move by
//! joining a few of them. Valid for windows-only routes (no setup, ride limit,
//! link, time cost or duration limit): there a route is feasible exactly when
//! its time warp is zero and its peak load fits a layout.

use super::index::{is_pickup, job_of, Index, Shape};

/// Load dimensions a segment holds inline; problems with more skip local search.
pub(crate) const MAX_DIMS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Segment {
    /// Visits in the segment (depots included); 0 is the neutral element.
    pub len: u32,
    pub first: usize,
    pub last: usize,
    pub dist: f64,
    /// Travel, service and forced waiting from the first start to the last end.
    pub duration: f64,
    /// Lateness the segment cannot avoid, summed.
    pub warp: f64,
    /// Earliest and latest service start at the first visit with least warp.
    pub early: f64,
    pub late: f64,
    /// Load put on board at the vehicle's start for the segment's deliveries.
    pub drop: [i32; MAX_DIMS],
    /// Net load change along the segment and its largest prefix (at least 0).
    pub delta: [i32; MAX_DIMS],
    pub rise: [i32; MAX_DIMS],
}

impl Segment {
    pub const EMPTY: Segment = Segment {
        len: 0,
        first: 0,
        last: 0,
        dist: 0.0,
        duration: 0.0,
        warp: 0.0,
        early: f64::NEG_INFINITY,
        late: f64::INFINITY,
        drop: [0; MAX_DIMS],
        delta: [0; MAX_DIMS],
        rise: [0; MAX_DIMS],
    };

    /// A single visit at `loc` with service window `[open, close]`.
    pub fn visit(loc: usize, open: f64, close: f64, service: f64) -> Self {
        Segment {
            len: 1,
            first: loc,
            last: loc,
            duration: service,
            early: open,
            late: close,
            ..Self::EMPTY
        }
    }

    /// Node `n` of a job with its current window `win`.
    pub fn node(idx: &Index, n: usize, win: (f64, f64)) -> Self {
        let node = &idx.nodes[n];
        let mut s = Self::visit(node.loc, win.0, win.1, node.service);
        let j = job_of(n);
        let q = idx.load(j);
        let drop_only = idx.jobs[j].shape == Shape::DropOnly;
        for (d, &q) in q.iter().enumerate() {
            if drop_only {
                s.drop[d] = q;
            }
            s.delta[d] = if is_pickup(n) { q } else { -q };
            s.rise[d] = s.delta[d].max(0);
        }
        s
    }

    /// The segment `self` followed by `b`.
    #[inline]
    pub fn then(&self, idx: &Index, b: &Segment) -> Segment {
        if b.len == 0 {
            return *self;
        }
        if self.len == 0 {
            return *b;
        }
        let t = idx.time(self.last, b.first);
        let a = self;
        let shift = a.duration - a.warp + t;
        let wait = (b.early - shift - a.late).max(0.0);
        let warp = (a.early + shift - b.late).max(0.0);
        let mut s = Segment {
            len: a.len + b.len,
            first: a.first,
            last: b.last,
            dist: a.dist + idx.dist(a.last, b.first) + b.dist,
            duration: a.duration + b.duration + t + wait,
            warp: a.warp + b.warp + warp,
            early: (b.early - shift).max(a.early) - wait,
            late: (b.late - shift).min(a.late) + warp,
            ..Self::EMPTY
        };
        for d in 0..MAX_DIMS {
            s.drop[d] = a.drop[d] + b.drop[d];
            s.delta[d] = a.delta[d] + b.delta[d];
            s.rise[d] = a.rise[d].max(a.delta[d] + b.rise[d]);
        }
        s
    }

    /// Peak load on board in dimension `d` for a whole route.
    #[inline]
    pub fn peak(&self, d: usize) -> i32 {
        self.drop[d] + self.rise[d]
    }

    /// Whether the peak load fits some layout of vehicle `v`.
    pub fn fits(&self, idx: &Index, v: usize) -> bool {
        idx.vehicles[v]
            .layouts
            .iter()
            .any(|cap| (0..idx.dims).all(|d| self.peak(d) <= cap[d]))
    }
}

/// Tolerance on time warp, as the scheduler's on windows.
pub(crate) const WARP_EPS: f64 = 1e-9;

/// The vehicle's start and end depots as segments.
pub(crate) fn depots(idx: &Index, v: usize) -> (Segment, Segment) {
    let veh = &idx.vehicles[v];
    (
        Segment::visit(veh.start, veh.open, veh.close, 0.0),
        Segment::visit(veh.end, veh.open, veh.close, 0.0),
    )
}

/// The whole route `nodes` on vehicle `v`, depots included, built visit by visit.
#[cfg(test)]
pub(crate) fn route_segment(idx: &Index, win: &[(f64, f64)], v: usize, nodes: &[usize]) -> Segment {
    let (start, end) = depots(idx, v);
    let mut s = start;
    for &n in nodes {
        s = s.then(idx, &Segment::node(idx, n, win[n]));
    }
    s.then(idx, &end)
}
