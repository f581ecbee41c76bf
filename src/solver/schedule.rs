//! Route evaluation: capacity per layout, then service times by the forward
//! time slack procedure of Cordeau & Laporte (2003).
//!
//! The eight steps: earliest times; delay the departure by the forward slack
//! at the depot (no needless waiting at the start); then delay each pickup by
//! its own forward slack, so nobody waits on board when a later pickup would
//! do. Ride times only shrink along the way. The procedure is a heuristic for
//! ride-time feasibility but produces a concrete schedule, which the checker
//! verifies independently.
//!
//! Before the delays (steps 2-7, quadratic in the route's length), a linear
//! screen of exact necessary conditions (`ride_time`, [`Scheduler::rides_possible`])
//! turns down the routes no schedule can hold: a rider's ride is at least the
//! earliest start at the drop-off minus the latest departure from the pickup.
//! It only turns down what the full procedure turns down, with the same
//! reason, so the search's decisions do not change (`schedule_tests`).

use super::index::{dropoff, is_pickup, job_of, pickup, Index, Shape};
use super::solution::Reason;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Eval {
    pub cost: f64,
    pub distance: f64,
    pub start: f64,
    pub end: f64,
    pub layout: usize,
}

/// The length of vehicle `v`'s route through these stops, start to end.
pub(crate) fn route_distance(idx: &Index, v: usize, route: &[usize]) -> f64 {
    let veh = &idx.vehicles[v];
    let mut distance = 0.0;
    let mut at = veh.start;
    for loc in route.iter().map(|&n| idx.nodes[n].loc).chain([veh.end]) {
        distance += idx.dist(at, loc);
        at = loc;
    }
    distance
}

/// What a feasible route costs: the one formula, for the scheduler and for
/// the search's shortcuts on vehicles without time costs.
pub(crate) fn route_cost(
    idx: &Index,
    v: usize,
    route: &[usize],
    distance: f64,
    duration: f64,
) -> f64 {
    let veh = &idx.vehicles[v];
    veh.fixed + veh.per_distance * distance + veh.per_time * duration + idx.misses(v, route)
}

/// Time bounds per node that the search may tighten (links across routes).
pub(crate) type Windows = [(f64, f64)];

pub(crate) const EPS: f64 = 1e-9;

/// What the ride screen adds to a limit before it turns a route down: more
/// than the scheduler's own tolerances (`EPS` per window) and rounding add up
/// to along a route of up to thousands of visits.
const SCREEN_MARGIN: f64 = 1e-6;

/// How a forward slack counts the waits after a linked outbound's drop-off.
#[derive(Clone, Copy, PartialEq)]
enum Slack {
    /// A delay reaching the drop-off reaches the return past the waits in
    /// between: the slack never promises more than a delay can take.
    Exact,
    /// Every wait not forced by the link absorbs delay, as on a route without
    /// links: it may promise more, which the final checks then judge.
    Waits,
}
const NONE: usize = usize::MAX;

/// Scratch space reused across evaluations; positions 0 and m+1 are the depots.
#[derive(Default)]
pub(crate) struct Scheduler {
    loc: Vec<usize>,
    /// Travel time from position k-1 to k.
    tt: Vec<f64>,
    open: Vec<f64>,
    close: Vec<f64>,
    serv: Vec<f64>,
    pub a: Vec<f64>,
    pub b: Vec<f64>,
    w: Vec<f64>,
    /// For a dropoff position with a ride limit: the pickup's position.
    pick_pos: Vec<usize>,
    limit: Vec<f64>,
    /// For an inbound pickup whose outbound dropoff is earlier in the route.
    link_pos: Vec<usize>,
    link_gap: Vec<f64>,
    /// An outbound drop-off whose return is later in the route.
    has_return: Vec<bool>,
    /// Scratch for `slack`.
    absorbed: Vec<f64>,
    /// Latest start per position by windows alone (the ride screen).
    late: Vec<f64>,
    /// The route last filled has a rider with a ride limit, a linked pair.
    rides: bool,
    links: bool,
    /// Tests only: the procedure as it was before the screen and the linear
    /// bookkeeping of the delays, to prove the two give the same answers.
    #[cfg(test)]
    pub reference: bool,
    /// Tests only: routes the screen turned down.
    #[cfg(test)]
    pub screened: usize,
    load: Vec<i32>,
    peak: Vec<i32>,
    pos_of: Vec<usize>,
}

impl Scheduler {
    pub fn new(idx: &Index) -> Self {
        Self {
            pos_of: vec![NONE; idx.nodes.len()],
            ..Self::default()
        }
    }

    /// Picks the first layout that holds the peak load in every dimension.
    fn layout(&mut self, idx: &Index, v: usize, route: &[usize]) -> Result<usize, Reason> {
        self.peak.clear();
        self.peak.resize(idx.dims, 0);
        let peak = &mut self.peak;
        idx.walk_loads(route, &mut self.load, |load| {
            for (p, l) in peak.iter_mut().zip(load) {
                *p = (*p).max(*l);
            }
        });
        idx.vehicles[v]
            .layouts
            .iter()
            .position(|cap| cap.iter().zip(&self.peak).all(|(c, p)| p <= c))
            .ok_or(Reason::Capacity)
    }

    /// Evaluates `route` (node ids) on vehicle `v`. On success `self.a`/`self.b`
    /// hold arrival and service start per position (0 = start depot).
    pub fn evaluate(
        &mut self,
        idx: &Index,
        win: &Windows,
        v: usize,
        route: &[usize],
    ) -> Result<Eval, Reason> {
        self.evaluate_fitted(idx, win, v, route, None)
    }

    /// [`Self::evaluate`] for a caller that knows the layout the route takes
    /// (an insertion the capacity screen passed on a one-layout vehicle):
    /// the walk over its loads is skipped.
    pub fn evaluate_fitted(
        &mut self,
        idx: &Index,
        win: &Windows,
        v: usize,
        route: &[usize],
        layout: Option<usize>,
    ) -> Result<Eval, Reason> {
        let veh = &idx.vehicles[v];
        if route.is_empty() {
            return Ok(Eval {
                cost: 0.0,
                distance: 0.0,
                start: veh.open,
                end: veh.open,
                layout: 0,
            });
        }
        let layout = match layout {
            Some(l) => {
                debug_assert_eq!(self.layout(idx, v, route), Ok(l));
                l
            }
            None => self.layout(idx, v, route)?,
        };
        let m = route.len();
        self.fill(idx, win, v, route, false)?;

        // Step 1: earliest schedule.
        self.b[0] = self.open[0];
        self.forward(1);
        if let Some(r) = self.window_violation() {
            return Err(r);
        }
        if self.screens() && !self.rides_possible() {
            #[cfg(test)]
            {
                self.screened += 1;
            }
            return Err(Reason::RideTime);
        }
        self.delay(idx, v, route, Slack::Waits);
        let mut verdict = self.verdict();
        if verdict.is_err() && self.link_pos.iter().any(|&p| p != NONE) {
            // The waits may have promised a delay that a link carries past a
            // window; the exact slacks delay less. Either schedule is checked
            // whole, so trying both is safe (and on the demo days the union
            // serves as many requests as either, in fewer km).
            self.b[0] = self.open[0];
            self.forward(1);
            self.delay(idx, v, route, Slack::Exact);
            verdict = self.verdict();
        }
        verdict?;
        let (start, end) = (self.b[0], self.b[m + 1]);
        if end - start > veh.max_duration + EPS {
            return Err(Reason::Shift);
        }
        let distance = route_distance(idx, v, route);
        let cost = route_cost(idx, v, route, distance, end - start);
        Ok(Eval {
            cost,
            distance,
            start,
            end,
            layout,
        })
    }

    /// Step 8: the final checks of a delayed schedule.
    fn verdict(&self) -> Result<(), Reason> {
        if let Some(r) = self.window_violation() {
            return Err(r);
        }
        for k in 1..self.b.len() - 1 {
            let p = self.pick_pos[k];
            if p != NONE && self.b[k] - (self.b[p] + self.serv[p]) > self.limit[k] + EPS {
                return Err(Reason::RideTime);
            }
            let lp = self.link_pos[k];
            if lp != NONE && self.b[k] + EPS < self.b[lp] + self.serv[lp] + self.link_gap[k] {
                return Err(Reason::Link);
            }
        }
        Ok(())
    }

    /// Departure from position `k` of the route last evaluated.
    pub fn departure(&self, k: usize) -> f64 {
        self.b[k] + self.serv[k]
    }

    /// The same steps as [`Self::evaluate`] without giving up at a broken rule:
    /// earliest times, no needless waiting, lateness kept. For timing a fixed
    /// sequence that may be infeasible; `self.a`/`self.b` hold the result.
    pub fn times(&mut self, idx: &Index, win: &Windows, v: usize, route: &[usize]) {
        if route.is_empty() {
            let open = idx.vehicles[v].open;
            (self.a, self.b) = (vec![open; 2], vec![open; 2]);
            return;
        }
        let lenient = self.fill(idx, win, v, route, true);
        debug_assert!(lenient.is_ok(), "a lenient fill never fails");
        self.b[0] = self.open[0];
        self.forward(1);
        self.delay(idx, v, route, Slack::Exact);
    }

    /// Steps 2-6: leave the depot as late as the route allows, then delay each
    /// pickup by its own slack.
    fn delay(&mut self, idx: &Index, v: usize, route: &[usize], how: Slack) {
        let veh = &idx.vehicles[v];
        let m = route.len();
        let has_ride = self.pick_pos.iter().any(|&p| p != NONE);
        if !(has_ride || veh.per_time > 0.0 || veh.max_duration.is_finite()) {
            return;
        }
        let wait: f64 = self.w[1..=m + 1].iter().sum();
        let f0 = self.slack(0, how);
        self.b[0] = self.open[0] + f0.min(wait).max(0.0);
        self.push(1);
        if !has_ride {
            return;
        }
        #[cfg(test)]
        let reference = self.reference;
        #[cfg(not(test))]
        let reference = false;
        // With links a delay can lengthen a later wait (a return released
        // later by more than it arrives later): the plain loop then.
        if reference || self.links {
            for j in 1..=m {
                if !is_pickup(route[j - 1]) || self.w[j + 1..=m + 1].iter().all(|&w| w <= EPS) {
                    continue;
                }
                let wait: f64 = self.w[j + 1..=m + 1].iter().sum();
                let fj = self.slack(j, how);
                let delay = fj.min(wait);
                if delay > EPS {
                    self.b[j] += delay;
                    self.w[j] += delay;
                    self.push(j + 1);
                }
            }
            return;
        }
        // The last position after `j` that waits. Without links a delay at `j`
        // only makes the later visits arrive later, so their waits never grow
        // again: once nobody after a pickup waits, no later pickup is delayed.
        let mut last = m + 1;
        for j in 1..=m {
            if !is_pickup(route[j - 1]) {
                continue;
            }
            while last > j && self.w[last] <= EPS {
                last -= 1;
            }
            if last <= j {
                break;
            }
            let fj = self.slack(j, how);
            // The waits after `j` summed in order, only until they reach `fj`:
            // the partial sums of waits (never negative) only grow, so the
            // delay, the lesser of the two, is the same as with the whole sum.
            let mut wait = -0.0;
            for &w in &self.w[j + 1..=m + 1] {
                wait += w;
                if wait >= fj {
                    break;
                }
            }
            let delay = fj.min(wait);
            if delay > EPS {
                self.b[j] += delay;
                self.w[j] += delay;
                self.push(j + 1);
            }
        }
    }

    /// Whether the screen runs: riders with limits in the route, and no link
    /// (a link's release can move a start past what windows alone say, and
    /// the full procedure names a broken link before a ride).
    fn screens(&self) -> bool {
        #[cfg(test)]
        if self.reference {
            return false;
        }
        self.rides && !self.links
    }

    /// The `ride_time` screen on the earliest schedule (step 1, in `self.b`):
    /// whatever the delays, a visit starts no earlier than now and no later
    /// than its window and the rest of the route allow (`late`), so a ride is
    /// at least the drop-off's earliest start minus the pickup's latest
    /// departure. False only when some ride limit cannot hold in any
    /// schedule, which the full procedure then turns down as `RideTime` too.
    fn rides_possible(&mut self) -> bool {
        let n = self.b.len();
        self.late.resize(n, 0.0);
        self.late[n - 1] = self.close[n - 1];
        for k in (0..n - 1).rev() {
            self.late[k] = self.close[k].min(self.late[k + 1] - self.tt[k + 1] - self.serv[k]);
        }
        let margin = SCREEN_MARGIN + n as f64 * EPS;
        (1..n - 1).all(|k| {
            let p = self.pick_pos[k];
            p == NONE || self.b[k] - (self.late[p] + self.serv[p]) <= self.limit[k] + margin
        })
    }

    /// Per-position figures of `route`; a return picked up before its outbound
    /// is dropped fails unless `lenient`.
    fn fill(
        &mut self,
        idx: &Index,
        win: &Windows,
        v: usize,
        route: &[usize],
        lenient: bool,
    ) -> Result<(), Reason> {
        let veh = &idx.vehicles[v];
        let m = route.len();
        for buf in [
            &mut self.tt,
            &mut self.open,
            &mut self.close,
            &mut self.serv,
            &mut self.a,
            &mut self.b,
            &mut self.w,
            &mut self.limit,
            &mut self.link_gap,
        ] {
            buf.clear();
            buf.resize(m + 2, 0.0);
        }
        for buf in [&mut self.loc, &mut self.pick_pos, &mut self.link_pos] {
            buf.clear();
            buf.resize(m + 2, NONE);
        }
        self.has_return.clear();
        self.has_return.resize(m + 2, false);
        (self.rides, self.links) = (false, false);
        self.loc[0] = veh.start;
        self.loc[m + 1] = veh.end;
        for k in [0, m + 1] {
            self.open[k] = veh.open;
            self.close[k] = veh.close;
        }
        for (i, &n) in route.iter().enumerate() {
            let k = i + 1;
            self.pos_of[n] = k;
            let node = &idx.nodes[n];
            self.loc[k] = node.loc;
            (self.open[k], self.close[k]) = win[n];
            // A visit lasts its place's setup (unless shared) plus its service.
            let prev = idx.before(v, k - 1, self.loc[k - 1]);
            self.serv[k] = idx.setup(prev, node.loc) + node.service;
            let job = &idx.jobs[job_of(n)];
            if !is_pickup(n) {
                if let (Some(limit), Shape::Pair) = (job.ride_limit, job.shape) {
                    self.pick_pos[k] = self.pos_of[n - 1];
                    self.limit[k] = limit;
                    self.rides = true;
                }
                // A return picked up before its outbound is dropped breaks the link.
                if !lenient && job.before.iter().any(|&r| self.pos_of[pickup(r)] != NONE) {
                    self.reset_pos(route);
                    return Err(Reason::Link);
                }
            } else if let Some((out, gap, _)) = job.after {
                let p = self.pos_of[dropoff(out)];
                if p != NONE {
                    self.link_pos[k] = p;
                    self.link_gap[k] = gap;
                    self.has_return[p] = true;
                    self.links = true;
                }
            }
        }
        self.reset_pos(route);
        for k in 1..=m + 1 {
            self.tt[k] = idx.time(self.loc[k - 1], self.loc[k]);
        }
        Ok(())
    }

    fn reset_pos(&mut self, route: &[usize]) {
        for &n in route {
            self.pos_of[n] = NONE;
        }
    }

    /// Recomputes arrival, start and waiting from position `from` on.
    fn forward(&mut self, from: usize) {
        self.propagate(from, false);
    }

    /// Like `forward` after a delay: once a start time stays put, so does the
    /// rest of the route (unless links tie later stops to earlier ones).
    fn push(&mut self, from: usize) {
        let stop_early = !self.link_pos.iter().any(|&p| p != NONE);
        self.propagate(from, stop_early);
    }

    fn propagate(&mut self, from: usize, stop_early: bool) {
        for k in from..self.b.len() {
            let depart = self.b[k - 1] + self.serv[k - 1];
            let arrive = depart + self.tt[k];
            let mut start = arrive.max(self.open[k]);
            let lp = self.link_pos[k];
            if lp != NONE {
                start = start.max(self.b[lp] + self.serv[lp] + self.link_gap[k]);
            }
            let unchanged = stop_early && start == self.b[k];
            self.a[k] = arrive;
            self.b[k] = start;
            self.w[k] = start - arrive;
            if unchanged {
                break;
            }
        }
    }

    fn window_violation(&self) -> Option<Reason> {
        let last = self.b.len() - 1;
        (1..=last)
            .find(|&k| self.b[k] > self.close[k] + EPS)
            .map(|k| {
                if k == last {
                    Reason::Shift
                } else {
                    Reason::TimeWindow
                }
            })
    }

    /// Forward time slack at position `i`: how far its service may move later
    /// without breaking a window or the ride time of anyone already on board.
    fn slack(&mut self, i: usize, how: Slack) -> f64 {
        let n = self.b.len();
        let mut best = f64::INFINITY;
        // How much of a delay at `i` the waits up to each position absorb. A
        // delay reaching a linked outbound's drop-off also reaches its return
        // straight, past the waits in between: only the return's own margin
        // over its release absorbs it on that path.
        // Each entry from `i` on is written before it is read.
        if self.absorbed.len() < n {
            self.absorbed.resize(n, 0.0);
        }
        self.absorbed[i] = 0.0;
        // The least absorbed at an outbound drop-off seen so far whose return
        // comes later: no later position absorbs less than this or the last.
        let mut floor = f64::INFINITY;
        for j in i..n {
            if j > i {
                let mut a = self.absorbed[j - 1] + self.w[j];
                let lp = self.link_pos[j];
                if lp != NONE && lp >= i {
                    let release = self.b[lp] + self.serv[lp] + self.link_gap[j];
                    a = match how {
                        Slack::Exact => a.min(self.absorbed[lp] + (self.b[j] - release).max(0.0)),
                        Slack::Waits if self.b[j] <= release + EPS => self.absorbed[j - 1],
                        Slack::Waits => a,
                    };
                }
                self.absorbed[j] = a;
            }
            if self.has_return[j] {
                floor = floor.min(self.absorbed[j]);
            }
            if self.absorbed[j].min(floor) >= best {
                break;
            }
            let mut room = self.close[j] - self.b[j];
            let p = self.pick_pos[j];
            if p != NONE && p < i {
                let ride = self.b[j] - (self.b[p] + self.serv[p]);
                room = room.min(self.limit[j] - ride);
            }
            best = best.min(self.absorbed[j] + room.max(0.0));
        }
        best
    }
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
