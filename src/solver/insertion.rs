//! Cheapest feasible insertion of one job into one route.
//!
//! Every position pair is screened in O(1) by windows (earliest/latest starts),
//! capacity (peak load over the spanned arcs) and a lower bound on the job's
//! own ride time. The survivors are sorted by their cost lower bound and fully
//! scheduled lazily, cheapest first, until no cheaper one can remain. When the
//! problem has neither ride limits, links, time costs nor duration limits, the
//! screens are exact and the scheduler is not needed at all; otherwise a
//! candidate the route's own times can take pushed later ([`push`]) needs no
//! schedule either.
//!
//! A place's setup time is paid once by consecutive visits there, so an
//! insertion changes the time spent at its own visits and at the visit after
//! each (joining a run there saves its setup, splitting one adds it); the
//! screens use that exact local change.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::index::{dropoff, pickup, Index, Shape, VehicleInfo};
use super::model::JobId;
use super::push;
use super::route::RouteState;
use super::schedule::{route_cost, route_distance, Scheduler, Windows, EPS};
use super::solution::Reason;

/// How far above a caller's `bound` a candidate's cost bound must be before
/// the candidate is left unscheduled: far more than the rounding between a
/// bound and the scheduler's cost.
const BOUND_MARGIN: f64 = 1e-7;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Insertion {
    pub delta: f64,
    pub route: usize,
    /// Insert the pickup after this position (0 = the start depot).
    pub p: usize,
    /// Insert the dropoff after this position of the original route (>= p).
    pub d: usize,
}

/// A further test of a scheduled candidate: its nodes, the scheduler's times.
pub(crate) type Accept<'a> = &'a mut dyn FnMut(&[usize], &Scheduler) -> bool;

/// A place found by the screens: its cost bound and the pickup and drop-off
/// positions. Ordered so that the heap gives the cheapest first, ties by
/// position: a total order, so the same places are tried in the same order
/// whatever the screens pushed first.
#[derive(Clone, Copy)]
struct Cand(f64, u32, u32);

impl Ord for Cand {
    fn cmp(&self, other: &Self) -> Ordering {
        (other.0.total_cmp(&self.0))
            .then(other.1.cmp(&self.1))
            .then(other.2.cmp(&self.2))
    }
}
impl PartialOrd for Cand {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Cand {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Cand {}

pub(crate) struct Inserter {
    pub sched: Scheduler,
    /// Usually only the first one or two are scheduled: a heap beats sorting all.
    cands: BinaryHeap<Cand>,
    buf: Vec<usize>,
    peak: Vec<i32>,
    suffix: Vec<i32>,
    /// Per drop-off position k, the least detour cost at k or after.
    least_d: Vec<f64>,
    room: Room,
    /// Problem-wide: the screens decide feasibility on their own.
    exact: bool,
    shift: Vec<f64>,
}

/// Where the screens may stop: a candidate whose cost bound `lb` has
/// `lb + miss >= at` cannot be the insertion asked for.
#[derive(Clone, Copy)]
struct Cut {
    miss: f64,
    at: f64,
}

impl Cut {
    /// Nothing cut: every candidate the screens pass.
    #[cfg(test)]
    const NONE: Cut = Cut {
        miss: 0.0,
        at: f64::INFINITY,
    };

    #[inline]
    fn past(self, lb: f64) -> bool {
        lb + self.miss >= self.at
    }
}

/// Whether no insertion of `job` into a used route of vehicle `v` with these
/// stops can cost less than `bound`, by the arcs alone: the least detour over
/// every place, as the screens price it, with no time and no schedule. Only
/// for vehicles without time costs, where [`Inserter::best_below`] cuts at
/// the same bound: whenever this holds, it finds nothing below `bound`.
pub(crate) fn cannot_beat(idx: &Index, v: usize, nodes: &[usize], job: JobId, bound: f64) -> bool {
    let veh = &idx.vehicles[v];
    debug_assert!(veh.per_time == 0.0 && !nodes.is_empty());
    // No time costs: the time matrix need not be read.
    let c = |a: usize, b: usize| veh.per_distance * idx.dist(a, b);
    let m = nodes.len();
    let loc = |k: usize| match k {
        0 => veh.start,
        k if k == m + 1 => veh.end,
        k => idx.nodes[nodes[k - 1]].loc,
    };
    let detour = |g: usize, at: usize| c(loc(g), at) + c(at, loc(g + 1)) - c(loc(g), loc(g + 1));
    let mut least = f64::INFINITY;
    match idx.jobs[job].shape {
        Shape::Pair => {
            let (p, d) = (idx.nodes[pickup(job)].loc, idx.nodes[dropoff(job)].loc);
            let pd = c(p, d);
            let mut least_p = f64::INFINITY;
            let mut a = loc(0);
            for g in 0..=m {
                let b = loc(g + 1);
                let (ap, ab, db) = (c(a, p), c(a, b), c(d, b));
                least = least.min(ap + pd + db - ab);
                least = least.min(least_p + (c(a, d) + db - ab));
                least_p = least_p.min(ap + c(p, b) - ab);
                a = b;
            }
        }
        Shape::DropOnly | Shape::PickOnly => {
            let n = if idx.jobs[job].shape == Shape::DropOnly {
                dropoff(job)
            } else {
                pickup(job)
            };
            let at = idx.nodes[n].loc;
            for g in 0..=m {
                least = least.min(detour(g, at));
            }
        }
    }
    least + idx.miss(job, v) >= bound + BOUND_MARGIN
}

/// Applies an insertion to a node sequence.
pub(crate) fn apply(idx: &Index, nodes: &mut Vec<usize>, job: JobId, p: usize, d: usize) {
    match idx.jobs[job].shape {
        Shape::Pair => {
            nodes.insert(p, pickup(job));
            nodes.insert(d + 1, dropoff(job));
        }
        Shape::DropOnly => nodes.insert(d, dropoff(job)),
        Shape::PickOnly => nodes.insert(p, pickup(job)),
    }
}

/// The capacity screen of one job in one route. A stretch of the route never
/// carries more than the route's peak, so only the dimensions the job loads
/// can tip a layout over, and only the layouts that hold the route's peak
/// count: the same verdict as checking every dimension of every layout.
#[derive(Default)]
pub(crate) struct Room {
    /// Dimensions the job loads.
    active: Vec<usize>,
    /// Per usable layout, per active dimension: the most on board before the job.
    most: Vec<i32>,
    usable: usize,
}

impl Room {
    pub fn prepare(&mut self, layouts: &[Vec<i32>], route_peak: &[i32], q: &[i32]) {
        self.active.clear();
        self.active.extend((0..q.len()).filter(|&d| q[d] != 0));
        self.most.clear();
        self.usable = 0;
        for cap in layouts {
            if route_peak.iter().zip(cap).all(|(p, c)| p <= c) {
                self.usable += 1;
                self.most.extend(self.active.iter().map(|&d| cap[d] - q[d]));
            }
        }
    }

    /// The job's own dimensions of a stretch's peak, in the order `fits` reads them.
    pub fn active(&self) -> &[usize] {
        &self.active
    }

    /// Whether the job fits beside `peak`, the stretch's peak in the active
    /// dimensions (each at most the route's).
    #[inline]
    pub fn fits(&self, peak: &[i32]) -> bool {
        if self.active.is_empty() {
            return self.usable > 0;
        }
        self.most
            .chunks_exact(self.active.len())
            .any(|most| most.iter().zip(peak).all(|(m, p)| p <= m))
    }
}

impl Inserter {
    pub fn new(idx: &Index) -> Self {
        let exact = !idx.any_ride_limit
            && idx.problem.links.is_empty()
            && idx
                .vehicles
                .iter()
                .all(|v| v.per_time == 0.0 && v.max_duration.is_infinite());
        Self {
            sched: Scheduler::new(idx),
            cands: BinaryHeap::new(),
            buf: Vec::new(),
            peak: Vec::new(),
            suffix: Vec::new(),
            least_d: Vec::new(),
            room: Room::default(),
            exact,
            shift: Vec::new(),
        }
    }

    /// The cheapest feasible insertion of `job` into `route`, or why there is none.
    #[allow(clippy::too_many_arguments)]
    pub fn best(
        &mut self,
        idx: &Index,
        win: &Windows,
        route: &RouteState,
        r: usize,
        job: JobId,
        blink: f64,
        rng: &mut fastrand::Rng,
    ) -> Result<Insertion, Reason> {
        self.best_below(idx, win, route, r, job, blink, rng, f64::INFINITY)
    }

    /// Like [`Self::best`], for a caller to whom only an insertion cheaper
    /// than `bound` matters (the best place in another route, a saving): on a
    /// vehicle without time costs, the candidates whose cost bound is not
    /// below it are not scheduled. Whenever the cheapest insertion costs less
    /// than `bound`, it is the one [`Self::best`] finds (with the same blinks);
    /// otherwise the answer is an error or an insertion costing at least `bound`.
    #[allow(clippy::too_many_arguments)]
    pub fn best_below(
        &mut self,
        idx: &Index,
        win: &Windows,
        route: &RouteState,
        r: usize,
        job: JobId,
        blink: f64,
        rng: &mut fastrand::Rng,
        bound: f64,
    ) -> Result<Insertion, Reason> {
        self.search(idx, win, route, r, job, blink, rng, None, bound)
    }

    /// Like [`Self::best`], for rules the route alone does not hold (a link to
    /// another route's times): `accept` sees each scheduled candidate, its
    /// nodes and the scheduler's times, and may refuse it (as a `link`).
    pub fn best_where(
        &mut self,
        idx: &Index,
        win: &Windows,
        route: &RouteState,
        r: usize,
        job: JobId,
        accept: Accept,
    ) -> Result<Insertion, Reason> {
        let mut rng = fastrand::Rng::with_seed(0);
        self.search(
            idx,
            win,
            route,
            r,
            job,
            0.0,
            &mut rng,
            Some(accept),
            f64::INFINITY,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn search(
        &mut self,
        idx: &Index,
        win: &Windows,
        route: &RouteState,
        r: usize,
        job: JobId,
        blink: f64,
        rng: &mut fastrand::Rng,
        mut accept: Option<Accept>,
        bound: f64,
    ) -> Result<Insertion, Reason> {
        let veh = &idx.vehicles[route.vehicle];
        let info = &idx.jobs[job];
        if info.skills & !veh.skills != 0 {
            return Err(Reason::Skills);
        }
        // A candidate's bound is its cost (rounding aside) only without time
        // costs: an insertion into a wait shortens the route's time by more
        // than it adds, so with them nothing is left out on a bound.
        let bound = if veh.per_time == 0.0 {
            bound
        } else {
            f64::INFINITY
        };
        // The same for every place in this route.
        let miss = idx.miss(job, route.vehicle);
        // Candidates whose bound plus `miss` reaches this are never scheduled
        // (the loop below stops at the first): the screens skip them.
        let cut = Cut {
            miss,
            at: bound + BOUND_MARGIN,
        };
        self.cands.clear();
        let reason = match info.shape {
            Shape::Pair => self.screen_pair(idx, win, route, job, cut),
            Shape::DropOnly | Shape::PickOnly => self.screen_single(idx, win, route, job, cut),
        };
        if self.cands.is_empty() {
            return Err(reason);
        }
        // Leaving out the candidates past the cut leaves the others, ties
        // included, in the order they would have had (`Cand`).
        let mut best: Option<Insertion> = None;
        let mut last_err = reason;
        // Every candidate passed the capacity screen, which on a vehicle
        // with one layout is the scheduler's whole capacity verdict.
        let fitted = (veh.layouts.len() == 1).then_some(0);
        let pushable = accept.is_none() && push::applies_to(idx, route.vehicle);
        while let Some(Cand(lb, p, d)) = self.cands.pop() {
            let lb = lb + miss;
            if best.is_some_and(|b| lb >= b.delta - 1e-9) {
                break;
            }
            // Sorted by their bound, no candidate from here on costs less
            // than `bound` (a cost is never below its bound by 1e-9).
            if lb >= bound + BOUND_MARGIN {
                break;
            }
            if blink > 0.0 && rng.f64() < blink {
                continue;
            }
            let cand = Insertion {
                delta: lb,
                route: r,
                p: p as usize,
                d: d as usize,
            };
            if self.exact && accept.is_none() {
                return Ok(cand);
            }
            self.buf.clear();
            self.buf.extend_from_slice(&route.nodes);
            apply(idx, &mut self.buf, job, cand.p, cand.d);
            // Feasible by the push: the cost the scheduler would give, by
            // the same formula (no time costs), so ties break alike.
            let pushed =
                pushable && push::fits(idx, win, route, job, cand.p, cand.d, &mut self.shift);
            let verdict = if pushed {
                let distance = route_distance(idx, route.vehicle, &self.buf);
                Ok(route_cost(idx, route.vehicle, &self.buf, distance, 0.0))
            } else {
                match self
                    .sched
                    .evaluate_fitted(idx, win, route.vehicle, &self.buf, fitted)
                {
                    Ok(_) if accept.as_mut().is_some_and(|f| !f(&self.buf, &self.sched)) => {
                        Err(Reason::Link)
                    }
                    Ok(e) => Ok(e.cost),
                    Err(e) => Err(e),
                }
            };
            match verdict {
                Ok(cost) => {
                    let delta = cost - route.eval.cost;
                    if best.is_none_or(|b| delta < b.delta) {
                        best = Some(Insertion { delta, ..cand });
                    }
                }
                Err(e) => last_err = e,
            }
        }
        best.ok_or(last_err)
    }

    fn screen_pair(
        &mut self,
        idx: &Index,
        win: &Windows,
        route: &RouteState,
        job: JobId,
        cut: Cut,
    ) -> Reason {
        let veh = &idx.vehicles[route.vehicle];
        let (pn, dn) = (pickup(job), dropoff(job));
        let (p, d) = (idx.nodes[pn], idx.nodes[dn]);
        let ((p_open, p_close), (d_open, d_close)) = (win[pn], win[dn]);
        let limit = idx.jobs[job].ride_limit.unwrap_or(f64::INFINITY);
        let q = idx.load(job);
        let dims = idx.dims;
        let m = route.nodes.len();
        let (locs, serv) = (&route.locs, &route.serv);
        let t = |a: usize, b: usize| idx.time(a, b);
        let c =
            |a: usize, b: usize| veh.per_distance * idx.dist(a, b) + veh.per_time * idx.time(a, b);
        let fixed = Self::opening(route, veh, c);
        // Time spent at a new visit to `loc` placed after position `k`.
        let stay = |k: usize, loc: usize, service: f64| {
            idx.setup(idx.before(route.vehicle, k, locs[k]), loc) + service
        };
        let mut reason = Reason::TimeWindow;
        if t(p.loc, d.loc) > limit + 1e-9 {
            return Reason::RideTime;
        }
        self.room.prepare(&veh.layouts, &route.peak, q);
        // A stop placed after position k reaches k + 1 no sooner than its
        // window opens plus its service, and a setup gained or saved there
        // moves k + 1's latest start by at most the longest setup: before
        // the first position where that meets the latest start (which never
        // decreases along the route), the stop cannot go.
        let first_on_time = |open: f64, service: f64| {
            route.latest[1..].partition_point(|&l| l + idx.max_setup + 1e-9 < open + service)
        };
        let (p_from, d_from) = (
            first_on_time(p_open, p.service),
            first_on_time(d_open, d.service),
        );
        // The drop-off's detour, least from each position on where it can
        // go: a pickup place whose detour plus that is past the cut needs no
        // drop-off search.
        let detour_d =
            |k: usize| c(locs[k], d.loc) + c(d.loc, locs[k + 1]) - c(locs[k], locs[k + 1]);
        self.least_d.clear();
        self.least_d.resize(m + 2, f64::INFINITY);
        if cut.at.is_finite() {
            // Without setups, visits start no earlier than `earliest`: from
            // the first position left after the drop-off's window closes,
            // the drop-off loop stops, so no detour there counts.
            let end = if idx.any_setup() {
                m + 1
            } else {
                let (mut lo, mut hi) = (1, m + 1);
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    if route.earliest[mid] + serv[mid] > d_close + EPS {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                lo
            };
            let from = d_from.max(1);
            for k in (from..end).rev() {
                self.least_d[k] = detour_d(k).min(self.least_d[k + 1]);
            }
            let least = self.least_d[from];
            self.least_d[1..from].fill(least);
        } else {
            self.least_d.fill(f64::NEG_INFINITY);
        }
        for i in p_from..=m {
            let leave = route.earliest[i] + serv[i];
            if leave > p_close + EPS {
                break;
            }
            // Both kinds of place here, drop-off straight after or later,
            // cost at least this: past the cut, nothing here is worth timing.
            let add_p = c(locs[i], p.loc) + c(p.loc, locs[i + 1]) - c(locs[i], locs[i + 1]);
            let add_pd = if i < d_from {
                f64::INFINITY
            } else {
                c(locs[i], p.loc) + c(p.loc, d.loc) + c(d.loc, locs[i + 1])
                    - c(locs[i], locs[i + 1])
            };
            if cut.past(fixed + add_pd.min(add_p + self.least_d[i + 1])) {
                continue;
            }
            let ep = (leave + t(locs[i], p.loc)).max(p_open);
            if ep > p_close + EPS {
                continue;
            }
            let p_stay = stay(i, p.loc, p.service);
            let p_done = ep + p_stay;
            let at = route.load_at(i, dims);
            self.peak.clear();
            self.peak.extend(self.room.active().iter().map(|&d| at[d]));
            if !self.room.fits(&self.peak) {
                reason = Reason::Capacity;
                continue;
            }
            // The visit after the pickup may gain or lose its setup.
            let p_next = route.setup_change(idx, i + 1, p.loc);
            let travel_p =
                t(locs[i], p.loc) + p_stay + t(p.loc, locs[i + 1]) - t(locs[i], locs[i + 1]);
            let detour_p = travel_p + p_next;
            // Travel and service alone must fit in the maximum duration.
            let busy = route.cum[m + 1];
            // Whoever leaves at i + 1 does not ride through its visit: only a
            // saving there is sure to count.
            let ride_ok = travel_p + p_next.min(0.0) <= route.ride_room[i] + 1e-9;
            let duration_ok = busy + detour_p <= veh.max_duration + 1e-9;
            // Dropoff straight after the pickup.
            let d_stay = idx.setup(Some(p.loc), d.loc) + d.service;
            let d_next = route.setup_change(idx, i + 1, d.loc);
            let ed = (p_done + t(p.loc, d.loc)).max(d_open);
            let travel_pd =
                t(locs[i], p.loc) + p_stay + t(p.loc, d.loc) + d_stay + t(d.loc, locs[i + 1])
                    - t(locs[i], locs[i + 1]);
            if i >= d_from
                && ed <= d_close + EPS
                && Self::on_time(
                    idx,
                    route,
                    ed + d_stay + t(d.loc, locs[i + 1]),
                    i + 1,
                    d_next,
                )
                && travel_pd + d_next.min(0.0) <= route.ride_room[i] + 1e-9
                && busy + travel_pd + d_next <= veh.max_duration + 1e-9
            {
                self.push(
                    fixed + add_pd + veh.per_time * (p_stay + d_stay + d_next),
                    i,
                    i,
                );
            }
            if !ride_ok || !duration_ok {
                reason = if ride_ok {
                    Reason::Shift
                } else {
                    Reason::RideTime
                };
                continue;
            }
            if cut.past(fixed + add_p + self.least_d[i + 1]) {
                continue;
            }
            // Dropoff after a later position k. A setup saved at i + 1 can let
            // later visits start earlier than now, so they are only bounded by
            // their windows then.
            let floor = if p_next < 0.0 {
                &route.open
            } else {
                &route.earliest
            };
            let mut cur = (p_done + t(p.loc, locs[i + 1])).max(route.earliest[i + 1]);
            for k in i + 1..=m {
                // Time spent at k in the new route.
                let serv_k = if k == i + 1 {
                    serv[k] + p_next
                } else {
                    serv[k]
                };
                if k > i + 1 {
                    let before = if k == i + 2 {
                        serv[k - 1] + p_next
                    } else {
                        serv[k - 1]
                    };
                    cur = (cur + before + t(locs[k - 1], locs[k])).max(floor[k]);
                }
                let latest = if k == i + 1 {
                    route.latest_with(idx, k, p_next)
                } else {
                    route.latest[k]
                };
                if cur > latest + 1e-9 {
                    break;
                }
                let ride_lb = t(p.loc, locs[i + 1])
                    + (route.cum[k] - route.cum[i + 1])
                    + serv[k]
                    + p_next
                    + t(locs[k], d.loc);
                if ride_lb > limit + 1e-9 {
                    reason = Reason::RideTime;
                    break;
                }
                let at = route.load_at(k, dims);
                for (pk, &d) in self.peak.iter_mut().zip(self.room.active()) {
                    *pk = (*pk).max(at[d]);
                }
                if !self.room.fits(&self.peak) {
                    reason = Reason::Capacity;
                    break;
                }
                if k < d_from {
                    if cur + serv_k > d_close + EPS {
                        break;
                    }
                    continue;
                }
                let add_d = detour_d(k);
                if cut.past(fixed + add_p + add_d) {
                    if cur + serv_k > d_close + EPS {
                        break;
                    }
                    continue;
                }
                let d_stay = stay(k, d.loc, d.service);
                let d_next = route.setup_change(idx, k + 1, d.loc);
                let travel_d =
                    t(locs[k], d.loc) + d_stay + t(d.loc, locs[k + 1]) - t(locs[k], locs[k + 1]);
                if travel_d + d_next.min(0.0) > route.ride_room[k] + 1e-9 {
                    reason = Reason::RideTime;
                    continue;
                }
                if busy + detour_p + travel_d + d_next > veh.max_duration + 1e-9 {
                    reason = Reason::Shift;
                    continue;
                }
                let ed = (cur + serv_k + t(locs[k], d.loc)).max(d_open);
                if ed > d_close + EPS {
                    if cur + serv_k > d_close + EPS {
                        break;
                    }
                    continue;
                }
                let arrive = ed + d_stay + t(d.loc, locs[k + 1]);
                if !Self::on_time(idx, route, arrive, k + 1, d_next) {
                    continue;
                }
                self.push(
                    fixed + add_p + add_d + veh.per_time * (p_stay + d_stay + p_next + d_next),
                    i,
                    k,
                );
            }
        }
        if route.earliest.last().copied().unwrap_or(0.0) > veh.close + EPS {
            reason = Reason::Shift;
        }
        reason
    }

    /// What opening an unused vehicle costs beyond the detours: its fixed cost,
    /// and the leg from its start to its end, which the detours take as driven.
    fn opening(route: &RouteState, veh: &VehicleInfo, c: impl Fn(usize, usize) -> f64) -> f64 {
        if route.is_empty() {
            veh.fixed + c(route.locs[0], route.locs[1])
        } else {
            0.0
        }
    }

    /// Whether arriving at position `k` at `arrive`, with its visit `delta`
    /// longer than now, keeps it and the rest of the route on time.
    #[inline]
    fn on_time(idx: &Index, route: &RouteState, arrive: f64, k: usize, delta: f64) -> bool {
        if delta == 0.0 {
            return arrive <= route.latest[k] + 1e-9;
        }
        arrive.max(route.open[k]) <= route.latest_with(idx, k, delta) + 1e-9
    }

    fn screen_single(
        &mut self,
        idx: &Index,
        win: &Windows,
        route: &RouteState,
        job: JobId,
        cut: Cut,
    ) -> Reason {
        let veh = &idx.vehicles[route.vehicle];
        let drop_only = idx.jobs[job].shape == Shape::DropOnly;
        let n = if drop_only { dropoff(job) } else { pickup(job) };
        let node = idx.nodes[n];
        let (open, close) = win[n];
        let q = idx.load(job);
        let dims = idx.dims;
        let m = route.nodes.len();
        let (locs, serv) = (&route.locs, &route.serv);
        let c =
            |a: usize, b: usize| veh.per_distance * idx.dist(a, b) + veh.per_time * idx.time(a, b);
        let fixed = Self::opening(route, veh, c);
        self.room.prepare(&veh.layouts, &route.peak, q);
        let act = self.room.active().len();
        // Peak load of the job's dimensions over arcs 0..=k (drop-off) or k..=m (pickup).
        self.peak.clear();
        self.peak.resize(act, i32::MIN);
        if !drop_only {
            self.suffix.clear();
            self.suffix.resize((m + 2) * act, i32::MIN);
            for k in (0..=m).rev() {
                let at = route.load_at(k, dims);
                for (a, &dd) in self.room.active().iter().enumerate() {
                    self.suffix[k * act + a] = self.suffix[(k + 1) * act + a].max(at[dd]);
                }
            }
        }
        let mut reason = Reason::TimeWindow;
        for k in 0..=m {
            if drop_only {
                let at = route.load_at(k, dims);
                for (pk, &dd) in self.peak.iter_mut().zip(self.room.active()) {
                    *pk = (*pk).max(at[dd]);
                }
            } else {
                self.peak
                    .copy_from_slice(&self.suffix[k * act..(k + 1) * act]);
            }
            if !self.room.fits(&self.peak) {
                reason = Reason::Capacity;
                if drop_only {
                    break;
                }
                continue;
            }
            let leave = route.earliest[k] + serv[k];
            if leave > close + EPS {
                break;
            }
            let e = (leave + idx.time(locs[k], node.loc)).max(open);
            let stay = idx.setup(idx.before(route.vehicle, k, locs[k]), node.loc) + node.service;
            let next = route.setup_change(idx, k + 1, node.loc);
            let arrive = e + stay + idx.time(node.loc, locs[k + 1]);
            if e > close + EPS || !Self::on_time(idx, route, arrive, k + 1, next) {
                continue;
            }
            let add = c(locs[k], node.loc) + c(node.loc, locs[k + 1]) - c(locs[k], locs[k + 1]);
            let lb = fixed + add + veh.per_time * (stay + next);
            if !cut.past(lb) {
                self.push(lb, k, k);
            }
        }
        reason
    }

    #[inline]
    fn push(&mut self, lb: f64, p: usize, d: usize) {
        self.cands.push(Cand(lb, p as u32, d as u32));
    }
}

#[cfg(test)]
#[path = "insertion_tests.rs"]
mod tests;
