//! Proof of optimality for small one-vehicle days of rides.
//!
//! A label-setting dynamic programme over ride states (waiting, on board,
//! done; a ride left out is done and pays its priority). A state is (on-board
//! set, done set, last stop); its labels carry the cost so far and a minimal
//! simple temporal network (all-pairs closed difference constraints) over the
//! only times the rest of the route still depends on: the time origin, the
//! route's start (duration limit), the departure from the last stop and the
//! pickup departure of each rider on board (ride limits). Extending by a stop
//! adds one variable, closes in O(k²) and projects the stale ones out, which
//! keeps the network minimal, so one label dominates another of its state
//! when it is no dearer and its network is entrywise looser. With an
//! admissible bound against the heuristic's cost, a run that ends within its
//! budget proves the best plan optimal. Problems with anything the programme
//! does not model exactly (several vehicles, links, time costs, one-stop jobs)
//! are declined.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::check;
use super::index::{dropoff, is_pickup, job_of, pickup, Index, Shape};
use super::solution::{Route, Solution, StopRole, Unassigned, Visit};
use super::solve::{why_unassigned, Options};

/// Most rides the method tries.
pub(crate) const MAX_RIDES: usize = 12;
/// Longest the exact step may run, and its share of the time limit: it runs
/// after the search has used the limit, and the whole solve must stay within
/// 10% of it (a van's day is proved in milliseconds).
const MAX_BUDGET: Duration = Duration::from_secs(2);
const BUDGET_SHARE: f64 = 0.05;
/// Labels ever created, and alive at once (each holds a small matrix).
const MAX_CREATED: usize = 4_000_000;
const MAX_LIVE: usize = 400_000;
/// Slack on negative cycles and on dominance, in minutes.
const EPS: f64 = 1e-7;
const INF: f64 = f64::INFINITY;
/// Windows beyond this are open: kept infinite so sums stay exact.
const OPEN_END: f64 = 1e15;

/// The `last` of a state whose route has no stop yet.
const DEPOT: u8 = u8::MAX;
/// A move that leaves ride `m & !SKIP` out; other moves are node ids.
const SKIP: u8 = 0x80;
/// Variables of every network: origin, route start, departure from the last stop.
const Z: usize = 0;
const S: usize = 1;
const D: usize = 2;

/// Why no proof came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Declined {
    /// Not a problem the method models exactly.
    Unsupported,
    /// Time or label budget exhausted.
    Budget,
    Cancelled,
    /// A plan failed the independent checker (never expected).
    Unchecked,
}

/// A complete plan of the programme.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub cost: f64,
    pub layout: usize,
    /// Node ids in route order.
    pub nodes: Vec<usize>,
    pub skipped: Vec<usize>,
}

/// Runs the exact step on the search's plan: the plan returned is proved
/// optimal, and replaced when the programme finds a cheaper one.
pub(crate) fn finish(idx: &Index, opts: &Options, heuristic: Solution) -> Solution {
    if opts.cancelled() || supported(idx).is_err() {
        return heuristic;
    }
    let budget = opts
        .time_limit
        .map_or(MAX_BUDGET, |t| t.mul_f64(BUDGET_SHARE).min(MAX_BUDGET));
    let clock = Clock::new(budget, opts);
    match prove(idx, &heuristic, &clock) {
        Ok(Some(better)) => better,
        Ok(None) => Solution {
            proved_optimal: true,
            ..heuristic
        },
        Err(_) => heuristic,
    }
}

/// `Ok(None)`: `heuristic` is optimal; `Ok(Some(s))`: `s` is optimal and cheaper.
pub(crate) fn prove(
    idx: &Index,
    heuristic: &Solution,
    clock: &Clock,
) -> Result<Option<Solution>, Declined> {
    supported(idx)?;
    if !check::check(idx.problem, heuristic).is_feasible() {
        return Err(Declined::Unchecked);
    }
    let Some(plan) = optimum(idx, heuristic.cost, clock)? else {
        return Ok(None);
    };
    let solution = to_solution(idx, &plan).ok_or(Declined::Unchecked)?;
    let report = check::check(idx.problem, &solution);
    if !report.is_feasible() || (report.cost - plan.cost).abs() > 1e-6 * plan.cost.max(1.0) {
        return Err(Declined::Unchecked);
    }
    Ok(Some(solution))
}

pub(crate) fn supported(idx: &Index) -> Result<(), Declined> {
    let p = idx.problem;
    let ok = p.vehicles.len() == 1
        && p.jobs.len() <= MAX_RIDES
        && p.links.is_empty()
        && !idx.any_prefer
        && idx.vehicles[0].per_time == 0.0
        && idx.jobs.iter().all(|j| j.shape == Shape::Pair);
    if ok {
        Ok(())
    } else {
        Err(Declined::Unsupported)
    }
}

/// Wall-clock budget and cancellation, polled every few hundred labels.
pub(crate) struct Clock<'o> {
    deadline: Instant,
    opts: Option<&'o Options>,
}

impl<'o> Clock<'o> {
    pub fn new(budget: Duration, opts: &'o Options) -> Self {
        Self {
            deadline: Instant::now() + budget,
            opts: Some(opts),
        }
    }
    #[cfg(test)]
    pub fn unlimited() -> Self {
        Self {
            deadline: Instant::now() + Duration::from_secs(3600),
            opts: None,
        }
    }
    fn check(&self) -> Result<(), Declined> {
        if self.opts.is_some_and(Options::cancelled) {
            Err(Declined::Cancelled)
        } else if Instant::now() >= self.deadline {
            Err(Declined::Budget)
        } else {
            Ok(())
        }
    }
}

/// The cheapest plan costing less than `ub`, if any (over all layouts).
pub(crate) fn optimum(idx: &Index, mut ub: f64, clock: &Clock) -> Result<Option<Plan>, Declined> {
    let layouts = &idx.vehicles[0].layouts;
    // A layout another one contains entrywise adds no plan.
    let useful = |a: usize| {
        !(0..layouts.len()).any(|b| {
            let covers = layouts[b].iter().zip(&layouts[a]).all(|(cb, ca)| cb >= ca);
            b != a && covers && (layouts[b] != layouts[a] || b < a)
        })
    };
    let mut best = None;
    for layout in (0..layouts.len()).filter(|&a| useful(a)) {
        if let Some(plan) = Dp::new(idx, layout).run(&mut ub, clock)? {
            best = Some(plan);
        }
    }
    Ok(best)
}

type Key = (u16, u16, u8);

struct Label {
    cost: f64,
    trace: u32,
    /// Row-major closed network over Z, S, D and the on-board pickups by ride.
    m: Vec<f64>,
}

/// The programme for one layout.
struct Dp<'a> {
    idx: &'a Index<'a>,
    n: usize,
    layout: usize,
    per_dist: f64,
    fixed: f64,
    open: f64,
    close: f64,
    max_dur: f64,
    /// Per node: window (close infinite when open-ended).
    win: Vec<(f64, f64)>,
    limit: Vec<f64>,
    priority: Vec<f64>,
    /// Rides that cannot be served at all (skills, capacity, own ride limit).
    forced: u16,
    /// Load on board per on-board set, `dims` entries each.
    load: Vec<i32>,
    cap: Vec<i32>,
    /// Shortest travel times between the day's places: node ids, then start, end.
    sp: Vec<f64>,
    /// Cheapest arc cost into each node and into the end.
    cin: Vec<f64>,
    cin_end: f64,
}

impl<'a> Dp<'a> {
    fn new(idx: &'a Index<'a>, layout: usize) -> Self {
        let n = idx.jobs.len();
        let veh = &idx.vehicles[0];
        let dims = idx.dims;
        let cap = veh.layouts[layout].clone();
        let fin = |c: f64| if c > OPEN_END { INF } else { c };
        let win = idx.nodes.iter().map(|x| (x.open, fin(x.close))).collect();
        let limit: Vec<f64> = idx
            .jobs
            .iter()
            .map(|j| j.ride_limit.unwrap_or(INF))
            .collect();
        let mut load = vec![0; dims << n];
        for mask in 1usize..1 << n {
            let j = mask.trailing_zeros() as usize;
            let rest = mask & (mask - 1);
            for d in 0..dims {
                load[mask * dims + d] = load[rest * dims + d] + idx.load(j)[d];
            }
        }
        // Local places: node x is x, the start 2n, the end 2n + 1.
        let places: Vec<usize> = (0..2 * n)
            .map(|x| idx.nodes[x].loc)
            .chain([veh.start, veh.end])
            .collect();
        let k = places.len();
        let mut sp: Vec<f64> = (0..k * k)
            .map(|a| idx.time(places[a / k], places[a % k]))
            .collect();
        for via in 0..k {
            for a in 0..k {
                for b in 0..k {
                    sp[a * k + b] = sp[a * k + b].min(sp[a * k + via] + sp[via * k + b]);
                }
            }
        }
        let mut forced = 0u16;
        for (j, info) in idx.jobs.iter().enumerate() {
            let fits = idx.load(j).iter().zip(&cap).all(|(l, c)| l <= c);
            let direct = sp[pickup(j) * k + dropoff(j)];
            if info.skills & !veh.skills != 0 || !fits || direct > limit[j] + EPS {
                forced |= 1 << j;
            }
        }
        let served = |x: usize| forced & (1 << job_of(x)) == 0;
        let dist = |a: usize, b: usize| veh.per_distance * idx.dist(places[a], places[b]);
        let cin = (0..2 * n)
            .map(|x| {
                let from_start = if is_pickup(x) { dist(2 * n, x) } else { INF };
                (0..2 * n)
                    .filter(|&u| served(u) && job_of(u) != job_of(x) || u + 1 == x && !is_pickup(x))
                    .map(|u| dist(u, x))
                    .fold(from_start, f64::min)
            })
            .collect();
        let cin_end = (0..2 * n)
            .filter(|&u| !is_pickup(u) && served(u))
            .map(|u| dist(u, 2 * n + 1))
            .fold(INF, f64::min);
        Dp {
            idx,
            n,
            layout,
            per_dist: veh.per_distance,
            fixed: veh.fixed,
            open: veh.open,
            close: fin(veh.close),
            max_dur: veh.max_duration,
            win,
            limit,
            priority: idx.jobs.iter().map(|j| j.priority).collect(),
            forced,
            load,
            cap,
            sp,
            cin,
            cin_end,
        }
    }

    fn sp(&self, a: usize, b: usize) -> f64 {
        self.sp[a * (2 * self.n + 2) + b]
    }

    /// Local place of a state's last stop.
    fn here(&self, last: u8) -> usize {
        if last == DEPOT {
            2 * self.n
        } else {
            last as usize
        }
    }

    /// Position of on-board ride `j`'s pickup departure in a network.
    fn pos(on: u16, j: usize) -> usize {
        3 + (on & ((1 << j) - 1)).count_ones() as usize
    }

    fn room(&self, on: u16, j: usize) -> bool {
        let dims = self.idx.dims;
        let base = on as usize * dims;
        (0..dims).all(|d| self.load[base + d] + self.idx.load(j)[d] <= self.cap[d])
    }

    /// Admissible bound on the cost still to come.
    fn bound(&self, (on, done, last): Key, m: &[f64]) -> f64 {
        let k = 3 + on.count_ones() as usize;
        let earliest = -m[D * k + Z];
        let here = self.here(last);
        let mut lb = if last == DEPOT { 0.0 } else { self.cin_end };
        for i in 0..self.n {
            let bit = 1 << i;
            if on & bit != 0 {
                lb += self.cin[dropoff(i)];
            } else if done & bit == 0 {
                let p = pickup(i);
                let late = earliest + self.sp(here, p) > self.win[p].1 + EPS;
                let serve = self.cin[p] + self.cin[dropoff(i)];
                lb += if late {
                    self.priority[i]
                } else {
                    serve.min(self.priority[i])
                };
            }
        }
        lb
    }

    /// The network after visiting node `x`, or `None` when no schedule fits.
    fn extend(&self, (on, _, last): Key, m: &[f64], x: usize) -> Option<Vec<f64>> {
        let idx = self.idx;
        let k = 3 + on.count_ones() as usize;
        let i = job_of(x);
        let node = &idx.nodes[x];
        let here = self.here(last);
        let prev = (last != DEPOT).then(|| idx.nodes[last as usize].loc);
        let s = idx.setup(prev, node.loc) + node.service;
        let t = self.travel(here, x);
        // The new departure v: e_in[w] bounds v - w, e_out[w] bounds w - v.
        let (mut e_in, mut e_out) = (vec![INF; k], vec![INF; k]);
        e_out[D] = -(t + s);
        e_out[Z] = -(self.win[x].0 + s);
        let to_end = self.sp(x, 2 * self.n + 1);
        e_in[Z] = (self.win[x].1 + s).min(self.close - to_end);
        e_in[S] = self.max_dur - to_end;
        let new_on = if is_pickup(x) {
            on | 1 << i
        } else {
            e_in[Self::pos(on, i)] = self.limit[i] + s;
            on & !(1 << i)
        };
        // Implied by the drop-offs still ahead: valid cuts that prune early.
        for j in (0..self.n).filter(|j| new_on & (1 << j) != 0) {
            let ahead = self.sp(x, dropoff(j));
            e_in[Z] = e_in[Z].min(self.win[dropoff(j)].1 - ahead);
            if j != i {
                let pj = Self::pos(on, j);
                e_in[pj] = e_in[pj].min(self.limit[j] - ahead);
            }
        }
        let (to, from) = close_with(m, k, &e_in, &e_out)?;
        let src: Vec<usize> = [Z, S, k]
            .into_iter()
            .chain((0..self.n).filter(|j| new_on & (1 << j) != 0).map(|j| {
                if j == i {
                    k
                } else {
                    Self::pos(on, j)
                }
            }))
            .collect();
        Some(project(m, k, &to, &from, &src))
    }

    /// Direct travel time between local places.
    fn travel(&self, here: usize, x: usize) -> f64 {
        let loc = |a: usize| match a.checked_sub(2 * self.n) {
            None => self.idx.nodes[a].loc,
            Some(0) => self.idx.vehicles[0].start,
            Some(_) => self.idx.vehicles[0].end,
        };
        self.idx.time(loc(here), loc(x))
    }

    /// The arc cost of going to local place `x`; the fixed cost on the first stop.
    fn arc(&self, last: u8, x: usize) -> f64 {
        let veh = &self.idx.vehicles[0];
        let from = if last == DEPOT {
            veh.start
        } else {
            self.idx.nodes[last as usize].loc
        };
        let to = if x == 2 * self.n + 1 {
            veh.end
        } else {
            self.idx.nodes[x].loc
        };
        let fixed = if last == DEPOT { self.fixed } else { 0.0 };
        fixed + self.per_dist * self.idx.dist(from, to)
    }

    /// Whether the route can end after its last stop; always for no route.
    fn can_end(&self, last: u8, m: &[f64]) -> bool {
        if last == DEPOT {
            return true;
        }
        let t = self.travel(last as usize, 2 * self.n + 1);
        let (mut e_in, mut e_out) = (vec![INF; 3], vec![INF; 3]);
        e_out[D] = -t;
        e_in[Z] = self.close;
        e_in[S] = self.max_dur;
        close_with(m, 3, &e_in, &e_out).is_some()
    }

    fn run(&self, ub: &mut f64, clock: &Clock) -> Result<Option<Plan>, Declined> {
        let n = self.n;
        // Plans must beat `ub` by more than rounding (an infinite `ub` stays so).
        let below = |ub: f64| {
            if ub.is_finite() {
                ub - 1e-9 * ub.abs().max(1.0)
            } else {
                ub
            }
        };
        let mut layers: Vec<HashMap<Key, Vec<Label>>> =
            (0..=2 * n).map(|_| HashMap::new()).collect();
        let mut traces: Vec<(u32, u8)> = Vec::new();
        let mut live = 0usize;
        let first = 2 * self.forced.count_ones() as usize;
        let root = (0, self.forced, DEPOT);
        let cost: f64 = (0..n)
            .filter(|j| self.forced & (1 << j) != 0)
            .map(|j| self.priority[j])
            .sum();
        let m = vec![
            0.0, self.close, self.close, -self.open, 0.0, 0.0, -self.open, 0.0, 0.0,
        ];
        if m[Z * 3 + S] < self.open {
            return Ok(None);
        }
        traces.push((u32::MAX, 0));
        layers[first].insert(root, vec![Label { cost, trace: 0, m }]);
        live += 1;
        let mut best: Option<(u32, f64)> = None;
        let mut polled = 0u32;
        clock.check()?;
        for layer in first..=2 * n {
            let current = std::mem::take(&mut layers[layer]);
            for (key, labels) in current {
                let (on, done, last) = key;
                for lab in labels {
                    live -= 1;
                    polled += 1;
                    if polled.is_multiple_of(256) {
                        clock.check()?;
                    }
                    if layer == 2 * n {
                        let total = lab.cost + self.arc_end(last);
                        if total < below(*ub) && self.can_end(last, &lab.m) {
                            *ub = total;
                            best = Some((lab.trace, total));
                        }
                        continue;
                    }
                    let waiting = !(on | done) & ((1u32 << n) - 1) as u16;
                    let mut moves: Vec<(u8, usize)> = Vec::new();
                    for j in 0..n {
                        if waiting & (1 << j) != 0 && self.room(on, j) {
                            moves.push((pickup(j) as u8, 1));
                        }
                        if on & (1 << j) != 0 {
                            moves.push((dropoff(j) as u8, 1));
                        }
                    }
                    // Leaving rides out in one canonical order: the lowest waiting first.
                    if waiting != 0 {
                        moves.push((SKIP | waiting.trailing_zeros() as u8, 2));
                    }
                    for (mv, step) in moves {
                        let (next, cost, m) = if mv & SKIP != 0 {
                            let j = (mv & !SKIP) as usize;
                            let next = (on, done | 1 << j, last);
                            (next, lab.cost + self.priority[j], lab.m.clone())
                        } else {
                            let x = mv as usize;
                            let j = job_of(x);
                            let Some(m) = self.extend(key, &lab.m, x) else {
                                continue;
                            };
                            let next = if is_pickup(x) {
                                (on | 1 << j, done, mv)
                            } else {
                                (on & !(1 << j), done | 1 << j, mv)
                            };
                            (next, lab.cost + self.arc(last, x), m)
                        };
                        if cost + self.bound(next, &m) >= below(*ub) {
                            continue;
                        }
                        let bucket = layers[layer + step].entry(next).or_default();
                        if bucket.iter().any(|b| dominates(b, cost, &m)) {
                            continue;
                        }
                        let before = bucket.len();
                        bucket.retain(|b| !dominates_label(cost, &m, b));
                        live -= before - bucket.len();
                        let trace = traces.len() as u32;
                        traces.push((lab.trace, mv));
                        bucket.push(Label { cost, trace, m });
                        live += 1;
                        if live > MAX_LIVE || traces.len() > MAX_CREATED {
                            return Err(Declined::Budget);
                        }
                    }
                }
            }
        }
        Ok(best.map(|(trace, cost)| self.plan(&traces, trace, cost)))
    }

    fn arc_end(&self, last: u8) -> f64 {
        if last == DEPOT {
            0.0
        } else {
            self.arc(last, 2 * self.n + 1)
        }
    }

    fn plan(&self, traces: &[(u32, u8)], mut at: u32, cost: f64) -> Plan {
        let mut moves = Vec::new();
        while at != 0 {
            let (parent, mv) = traces[at as usize];
            moves.push(mv);
            at = parent;
        }
        moves.reverse();
        let mut skipped: Vec<usize> = (0..self.n)
            .filter(|j| self.forced & (1 << j) != 0)
            .collect();
        skipped.extend(
            moves
                .iter()
                .filter(|&&m| m & SKIP != 0)
                .map(|&m| (m & !SKIP) as usize),
        );
        skipped.sort_unstable();
        Plan {
            cost,
            layout: self.layout,
            nodes: moves
                .iter()
                .filter(|&&m| m & SKIP == 0)
                .map(|&m| m as usize)
                .collect(),
            skipped,
        }
    }
}

/// Adds variable v (index k) to the closed network `m` of size k with direct
/// edges `e_in` (v - w ≤ e_in[w]) and `e_out` (w - v ≤ e_out[w]); returns the
/// closed distances to and from v, or `None` on a negative cycle.
fn close_with(m: &[f64], k: usize, e_in: &[f64], e_out: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
    let mut to = vec![INF; k];
    let mut from = vec![INF; k];
    for u in 0..k {
        for w in 0..k {
            to[u] = to[u].min(m[u * k + w] + e_in[w]);
            from[u] = from[u].min(e_out[w] + m[w * k + u]);
        }
    }
    (0..k)
        .all(|u| to[u] + from[u] >= -EPS)
        .then_some((to, from))
}

/// The closed network restricted to `src` (old indices; k stands for v).
fn project(m: &[f64], k: usize, to: &[f64], from: &[f64], src: &[usize]) -> Vec<f64> {
    let kk = src.len();
    let mut out = vec![0.0; kk * kk];
    for (a, &sa) in src.iter().enumerate() {
        for (b, &sb) in src.iter().enumerate() {
            out[a * kk + b] = match (sa == k, sb == k) {
                (true, true) => 0.0,
                (true, false) => from[sb],
                (false, true) => to[sa],
                (false, false) => m[sa * k + sb].min(to[sa] + from[sb]),
            };
        }
    }
    out
}

/// Whether label `a` makes a new label (cost, m) useless.
fn dominates(a: &Label, cost: f64, m: &[f64]) -> bool {
    a.cost <= cost + 1e-9 && a.m.iter().zip(m).all(|(x, y)| *x >= y - 1e-9)
}

/// Whether a new label (cost, m) makes `b` useless.
fn dominates_label(cost: f64, m: &[f64], b: &Label) -> bool {
    cost <= b.cost + 1e-9 && m.iter().zip(&b.m).all(|(x, y)| *x >= y - 1e-9)
}

/// Service starts of a fixed stop order by an exact temporal network: the
/// latest start from the depot, then the earliest time for every later event.
/// Returns (route start, service starts, route end), or `None` if infeasible.
pub(crate) fn schedule(idx: &Index, nodes: &[usize]) -> Option<(f64, Vec<f64>, f64)> {
    let veh = &idx.vehicles[0];
    let fin = |c: f64| if c > OPEN_END { INF } else { c };
    let m = nodes.len();
    let (b, e) = (|q: usize| 2 + q, m + 2);
    let size = m + 3;
    let mut d = vec![INF; size * size];
    (0..size).for_each(|a| d[a * size + a] = 0.0);
    // x_to - x_from ≤ w
    let edge = |d: &mut Vec<f64>, from: usize, to: usize, w: f64| {
        d[from * size + to] = d[from * size + to].min(w);
    };
    edge(&mut d, Z, S, fin(veh.close));
    edge(&mut d, S, Z, -veh.open);
    let (mut at, mut prev_var, mut prev_serv) = (veh.start, S, 0.0);
    let mut serv = Vec::with_capacity(m);
    for (q, &x) in nodes.iter().enumerate() {
        let node = &idx.nodes[x];
        edge(&mut d, Z, b(q), fin(node.close));
        edge(&mut d, b(q), Z, -node.open);
        let gap = prev_serv + idx.time(at, node.loc);
        edge(&mut d, b(q), prev_var, -gap);
        let setup = idx.setup((q > 0).then_some(at), node.loc);
        serv.push(setup + node.service);
        if !is_pickup(x) {
            if let Some(limit) = idx.jobs[job_of(x)].ride_limit {
                let p = nodes.iter().position(|&y| y == pickup(job_of(x)))?;
                edge(&mut d, b(p), b(q), limit + serv[p]);
            }
        }
        (at, prev_var, prev_serv) = (node.loc, b(q), serv[q]);
    }
    edge(&mut d, e, prev_var, -(prev_serv + idx.time(at, veh.end)));
    edge(&mut d, Z, e, fin(veh.close));
    edge(&mut d, S, e, veh.max_duration);
    let floyd = |d: &mut Vec<f64>| {
        for via in 0..size {
            for a in 0..size {
                for c in 0..size {
                    let w = d[a * size + via] + d[via * size + c];
                    if w < d[a * size + c] {
                        d[a * size + c] = w;
                    }
                }
            }
        }
        (0..size).all(|a| d[a * size + a] >= -EPS)
    };
    if !floyd(&mut d) {
        return None;
    }
    let mut value = vec![0.0; size];
    for v in 1..size {
        let t = if v == S {
            d[Z * size + S]
        } else {
            -d[v * size + Z]
        };
        if !t.is_finite() {
            return None;
        }
        value[v] = t;
        edge(&mut d, Z, v, t);
        edge(&mut d, v, Z, -t);
        if !floyd(&mut d) {
            return None;
        }
    }
    Some((value[S], (0..m).map(|q| value[b(q)]).collect(), value[e]))
}

/// The solver's answer for a plan, its schedule from [`schedule`].
pub(crate) fn to_solution(idx: &Index, plan: &Plan) -> Option<Solution> {
    let veh = &idx.vehicles[0];
    let mut routes = Vec::new();
    let mut distance = 0.0;
    if !plan.nodes.is_empty() {
        let (start, starts, end) = schedule(idx, &plan.nodes)?;
        let (mut at, mut departure) = (veh.start, start);
        let mut visits = Vec::with_capacity(plan.nodes.len());
        for (q, &x) in plan.nodes.iter().enumerate() {
            let node = &idx.nodes[x];
            let setup = idx.setup((q > 0).then_some(at), node.loc);
            let arrival = departure + idx.time(at, node.loc);
            distance += idx.dist(at, node.loc);
            let start = starts[q].max(arrival);
            departure = start + setup + node.service;
            visits.push(Visit {
                job: job_of(x),
                role: if is_pickup(x) {
                    StopRole::Pickup
                } else {
                    StopRole::Dropoff
                },
                arrival,
                start,
                setup,
                departure,
            });
            at = node.loc;
        }
        distance += idx.dist(at, veh.end);
        routes.push(Route {
            vehicle: 0,
            layout: plan.layout,
            start,
            end,
            visits,
            distance,
            cost: veh.fixed + veh.per_distance * distance,
        });
    }
    let unassigned: Vec<Unassigned> = plan
        .skipped
        .iter()
        .map(|&job| Unassigned {
            job,
            reason: why_unassigned(idx, job),
        })
        .collect();
    let cost = routes.iter().map(|r| r.cost).sum::<f64>()
        + plan
            .skipped
            .iter()
            .map(|&j| idx.jobs[j].priority)
            .sum::<f64>();
    Some(Solution {
        routes,
        unassigned,
        cost,
        distance,
        proved_optimal: true,
    })
}

#[cfg(test)]
#[path = "exact_tests.rs"]
mod tests;
