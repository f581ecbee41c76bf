//! Local search for windows-only problems (no setup, ride limit, link, time
//! cost or duration limit): granular relocate, swap, 2-opt* and pair relocate,
//! each priced in O(1) (pair relocate in O(route)) from cached prefix and
//! suffix [`Segment`]s, distance first, feasibility only for an improvement.
//! First improvement; an applied move is re-evaluated by the scheduler, so the
//! state never holds a route the rest of the solver would not.

use super::index::{is_pickup, job_of, Index, Shape};
use super::model::JobId;
use super::neighbours;
use super::schedule::Scheduler;
use super::segment::{depots, Segment, MAX_DIMS, WARP_EPS};
use super::state::{State, NONE};

/// Least cost saving that counts as an improvement (float noise aside).
const GAIN: f64 = 1e-7;

/// A move found improving, with the new node lists of the routes it touches.
struct Move {
    delta: f64,
    /// (route, new nodes); one or two routes.
    routes: [(usize, Vec<usize>); 2],
    count: usize,
}

pub(crate) struct LocalSearch {
    neigh: Vec<Vec<usize>>,
    /// Per node: its segment alone (window from the state).
    seg: Vec<Segment>,
    /// Per node: (route, position 1..=m), or route NONE.
    pos: Vec<(usize, usize)>,
    /// Per route: positions 0..=k with the start depot, for k in 0..=m.
    pre: Vec<Vec<Segment>>,
    /// Per route: positions k..=m without the end depot, for k in 1..=m+1.
    suf: Vec<Vec<Segment>>,
    end: Vec<Segment>,
    /// Per route and arc leaving position k: pairs picked up but not yet dropped.
    open: Vec<Vec<u32>>,
    /// Per route: the skills the jobs at positions k..=m need.
    skills: Vec<Vec<u64>>,
    order: Vec<usize>,
    /// Moves applied so far (for tests and counters).
    pub applied: u64,
    /// Largest gap seen between a move's predicted and actual cost change.
    pub worst_error: f64,
    /// Some job is a pickup-delivery pair.
    pairs: bool,
}

impl LocalSearch {
    /// `None` unless the problem is windows-only: segments are exact only there.
    pub fn new(idx: &Index) -> Option<Self> {
        let windows_only = !idx.any_ride_limit
            && !idx.any_setup()
            && !idx.any_prefer
            && idx.problem.links.is_empty()
            && idx.dims <= MAX_DIMS
            && idx
                .vehicles
                .iter()
                .all(|v| v.per_time == 0.0 && v.max_duration.is_infinite());
        windows_only.then(|| LocalSearch {
            neigh: neighbours::neighbours(idx),
            seg: Vec::new(),
            pos: Vec::new(),
            pre: Vec::new(),
            suf: Vec::new(),
            end: Vec::new(),
            open: Vec::new(),
            skills: Vec::new(),
            order: Vec::new(),
            applied: 0,
            worst_error: 0.0,
            pairs: idx.jobs.iter().any(|j| j.shape == Shape::Pair),
        })
    }

    /// Improves `state` until no granular move helps. With `focus`, only
    /// moves of those jobs' visits and the visits next to them are tried.
    pub fn run(
        &mut self,
        idx: &Index,
        state: &mut State,
        sched: &mut Scheduler,
        focus: Option<&[JobId]>,
        rng: &mut fastrand::Rng,
    ) {
        self.load(idx, state);
        self.order.clear();
        match focus {
            None => self
                .order
                .extend(state.routes.iter().flat_map(|r| r.nodes.iter().copied())),
            Some(jobs) => {
                for &j in jobs {
                    let (p, d) = idx.stops(j);
                    for n in [p, d].into_iter().flatten() {
                        let (r, k) = self.pos[n];
                        if r == NONE {
                            continue;
                        }
                        let nodes = &state.routes[r].nodes;
                        self.order.push(n);
                        if k > 1 {
                            self.order.push(nodes[k - 2]);
                        }
                        if k < nodes.len() {
                            self.order.push(nodes[k]);
                        }
                    }
                }
                self.order.sort_unstable();
                self.order.dedup();
            }
        }
        rng.shuffle(&mut self.order);
        loop {
            let mut improved = false;
            for i in 0..self.order.len() {
                let u = self.order[i];
                for vi in 0..self.neigh[u].len() {
                    let v = self.neigh[u][vi];
                    if self.pos[u].0 == NONE || self.pos[v].0 == NONE {
                        continue;
                    }
                    if let Some(m) = self.best_move(idx, state, u, v) {
                        self.apply(idx, state, sched, m);
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    fn load(&mut self, idx: &Index, state: &State) {
        self.seg.clear();
        self.seg
            .extend((0..idx.nodes.len()).map(|n| Segment::node(idx, n, state.win[n])));
        self.pos.clear();
        self.pos.resize(idx.nodes.len(), (NONE, 0));
        let nr = state.routes.len();
        for v in [&mut self.pre, &mut self.suf] {
            v.resize(nr, Vec::new());
        }
        self.end.resize(nr, Segment::EMPTY);
        self.open.resize(nr, Vec::new());
        self.skills.resize(nr, Vec::new());
        for r in 0..nr {
            self.build(idx, state, r);
        }
    }

    /// Rebuilds the caches of route `r` from the state.
    fn build(&mut self, idx: &Index, state: &State, r: usize) {
        let route = &state.routes[r];
        let m = route.nodes.len();
        let (start, end) = depots(idx, route.vehicle);
        self.end[r] = end;
        let pre = &mut self.pre[r];
        pre.clear();
        pre.push(start);
        let open = &mut self.open[r];
        open.clear();
        open.push(0);
        for (i, &n) in route.nodes.iter().enumerate() {
            pre.push(pre[i].then(idx, &self.seg[n]));
            self.pos[n] = (r, i + 1);
            let o = open[i];
            open.push(match idx.jobs[job_of(n)].shape {
                Shape::Pair if is_pickup(n) => o + 1,
                Shape::Pair => o - 1,
                _ => o,
            });
        }
        let suf = &mut self.suf[r];
        suf.clear();
        suf.resize(m + 2, Segment::EMPTY);
        let skills = &mut self.skills[r];
        skills.clear();
        skills.resize(m + 2, 0);
        for k in (1..=m).rev() {
            let n = route.nodes[k - 1];
            suf[k] = self.seg[n].then(idx, &suf[k + 1]);
            skills[k] = skills[k + 1] | idx.jobs[job_of(n)].skills;
        }
    }

    /// The first improving move that puts `u` right after `v`, if any.
    fn best_move(&self, idx: &Index, state: &State, u: usize, v: usize) -> Option<Move> {
        let (ru, iu) = self.pos[u];
        let (rv, iv) = self.pos[v];
        let single = |n: usize| idx.jobs[job_of(n)].shape != Shape::Pair;
        if single(u) {
            if let Some(m) = self.relocate(idx, state, u, rv, iv) {
                return Some(m);
            }
            if iv == 1 {
                if let Some(m) = self.relocate(idx, state, u, rv, 0) {
                    return Some(m);
                }
            }
            if ru != rv && single(v) {
                if let Some(m) = self.swap(idx, state, u, v) {
                    return Some(m);
                }
            }
            // Two visits in a row: moved after `v`, swapped with `v`, or with `v` and its successor.
            if ru != rv {
                for nb in 0..=2 {
                    if let Some(m) = self.exchange(idx, state, u, 2, v, nb) {
                        return Some(m);
                    }
                }
            }
        } else if ru != rv {
            let m = if is_pickup(u) {
                self.pair_pickup_after(idx, state, u, rv, iv)
            } else {
                self.pair_dropoff_after(idx, state, u, rv, iv)
            };
            if m.is_some() {
                return m;
            }
        }
        if ru != rv && iu >= 1 {
            return self.two_opt_star(idx, state, u, v);
        }
        None
    }

    /// Location at position `k` of route `r` (0 and m+1 are the depots).
    fn loc_at(&self, idx: &Index, state: &State, r: usize, k: usize) -> usize {
        let nodes = &state.routes[r].nodes;
        match k {
            0 => self.pre[r][0].first,
            k if k > nodes.len() => self.end[r].first,
            k => idx.nodes[nodes[k - 1]].loc,
        }
    }

    fn allowed(idx: &Index, state: &State, n: usize, r: usize) -> bool {
        idx.jobs[job_of(n)].skills & !idx.vehicles[state.routes[r].vehicle].skills == 0
    }

    /// Cost of a route of `len` visits and distance `dist` on route `r`'s vehicle.
    fn cost(idx: &Index, state: &State, r: usize, len: usize, dist: f64) -> f64 {
        if len == 0 {
            return 0.0;
        }
        let veh = &idx.vehicles[state.routes[r].vehicle];
        veh.fixed + veh.per_distance * dist
    }

    fn feasible(idx: &Index, state: &State, r: usize, s: &Segment) -> bool {
        s.warp <= WARP_EPS && s.fits(idx, state.routes[r].vehicle)
    }

    /// Segment of positions `i..=j` of route `r` (empty when `i > j`).
    fn range(&self, idx: &Index, state: &State, r: usize, i: usize, j: usize) -> Segment {
        let nodes = &state.routes[r].nodes;
        let mut s = Segment::EMPTY;
        for k in i..=j.min(nodes.len()) {
            s = s.then(idx, &self.seg[nodes[k - 1]]);
        }
        s
    }

    fn chain(idx: &Index, parts: &[&Segment]) -> Segment {
        parts.iter().fold(Segment::EMPTY, |acc, s| acc.then(idx, s))
    }

    fn chain_dist(idx: &Index, parts: &[&Segment]) -> f64 {
        let mut d = 0.0;
        let mut last = None;
        for s in parts.iter().filter(|s| s.len > 0) {
            if let Some(l) = last {
                d += idx.dist(l, s.first);
            }
            d += s.dist;
            last = Some(s.last);
        }
        d
    }

    /// Moves single-stop `u` to just after position `iv` of route `rv`.
    fn relocate(&self, idx: &Index, state: &State, u: usize, rv: usize, iv: usize) -> Option<Move> {
        let (ru, iu) = self.pos[u];
        let mu = state.routes[ru].nodes.len();
        if ru == rv {
            if iv + 1 == iu || iv == iu {
                return None;
            }
            // Distance first, from the locations alone, before any segment.
            let loc = |k: usize| self.loc_at(idx, state, ru, k);
            let (p, x, n, a, b) = (loc(iu - 1), loc(iu), loc(iu + 1), loc(iv), loc(iv + 1));
            let change =
                idx.dist(p, n) - idx.dist(p, x) - idx.dist(x, n) + idx.dist(a, x) + idx.dist(x, b)
                    - idx.dist(a, b);
            let veh = state.routes[ru].vehicle;
            if idx.vehicles[veh].per_distance * change > -GAIN {
                return None;
            }
            let (pre, su) = (&self.pre[ru], &self.suf[ru]);
            let mid;
            let parts: [&Segment; 5] = if iv < iu {
                mid = self.range(idx, state, ru, iv + 1, iu - 1);
                [&pre[iv], &self.seg[u], &mid, &su[iu + 1], &self.end[ru]]
            } else {
                mid = self.range(idx, state, ru, iu + 1, iv);
                [&pre[iu - 1], &mid, &self.seg[u], &su[iv + 1], &self.end[ru]]
            };
            let dist = Self::chain_dist(idx, &parts);
            let old = state.routes[ru].eval.cost;
            let delta = Self::cost(idx, state, ru, mu, dist) - old;
            if delta > -GAIN {
                return None;
            }
            if !Self::feasible(idx, state, ru, &Self::chain(idx, &parts)) {
                return None;
            }
            let mut nodes = state.routes[ru].nodes.clone();
            nodes.remove(iu - 1);
            let at = if iv < iu { iv } else { iv - 1 };
            nodes.insert(at, u);
            return Some(Move {
                delta,
                routes: [(ru, nodes), (NONE, Vec::new())],
                count: 1,
            });
        }
        if !Self::allowed(idx, state, u, rv) {
            return None;
        }
        let mv = state.routes[rv].nodes.len();
        let src = [&self.pre[ru][iu - 1], &self.suf[ru][iu + 1], &self.end[ru]];
        let dst = [
            &self.pre[rv][iv],
            &self.seg[u],
            &self.suf[rv][iv + 1],
            &self.end[rv],
        ];
        let (ds, dd) = (Self::chain_dist(idx, &src), Self::chain_dist(idx, &dst));
        let old = state.routes[ru].eval.cost + state.routes[rv].eval.cost;
        let delta =
            Self::cost(idx, state, ru, mu - 1, ds) + Self::cost(idx, state, rv, mv + 1, dd) - old;
        if delta > -GAIN {
            return None;
        }
        if !Self::feasible(idx, state, rv, &Self::chain(idx, &dst))
            || !Self::feasible(idx, state, ru, &Self::chain(idx, &src))
        {
            return None;
        }
        let mut a = state.routes[ru].nodes.clone();
        a.remove(iu - 1);
        let mut b = state.routes[rv].nodes.clone();
        b.insert(iv, u);
        Some(Move {
            delta,
            routes: [(ru, a), (rv, b)],
            count: 2,
        })
    }

    /// Exchanges single-stop `u` and `v` of two routes.
    fn swap(&self, idx: &Index, state: &State, u: usize, v: usize) -> Option<Move> {
        let (ru, iu) = self.pos[u];
        let (rv, iv) = self.pos[v];
        if !Self::allowed(idx, state, u, rv) || !Self::allowed(idx, state, v, ru) {
            return None;
        }
        let a = [
            &self.pre[ru][iu - 1],
            &self.seg[v],
            &self.suf[ru][iu + 1],
            &self.end[ru],
        ];
        let b = [
            &self.pre[rv][iv - 1],
            &self.seg[u],
            &self.suf[rv][iv + 1],
            &self.end[rv],
        ];
        let (mu, mv) = (state.routes[ru].nodes.len(), state.routes[rv].nodes.len());
        let old = state.routes[ru].eval.cost + state.routes[rv].eval.cost;
        let delta = Self::cost(idx, state, ru, mu, Self::chain_dist(idx, &a))
            + Self::cost(idx, state, rv, mv, Self::chain_dist(idx, &b))
            - old;
        if delta > -GAIN
            || !Self::feasible(idx, state, ru, &Self::chain(idx, &a))
            || !Self::feasible(idx, state, rv, &Self::chain(idx, &b))
        {
            return None;
        }
        let mut na = state.routes[ru].nodes.clone();
        na[iu - 1] = v;
        let mut nb = state.routes[rv].nodes.clone();
        nb[iv - 1] = u;
        Some(Move {
            delta,
            routes: [(ru, na), (rv, nb)],
            count: 2,
        })
    }

    /// Whether positions `i..i + n` of route `r` exist and hold single-stop jobs only.
    fn singles(idx: &Index, state: &State, r: usize, i: usize, n: usize) -> bool {
        let nodes = &state.routes[r].nodes;
        i >= 1
            && i + n - 1 <= nodes.len()
            && nodes[i - 1..i - 1 + n]
                .iter()
                .all(|&x| idx.jobs[job_of(x)].shape != Shape::Pair)
    }

    /// Exchanges the `na` visits from `u` on with the `nb` visits from `v` on
    /// (two routes); with `nb = 0`, `u`'s visits go right after `v`.
    fn exchange(
        &self,
        idx: &Index,
        state: &State,
        u: usize,
        na: usize,
        v: usize,
        nb: usize,
    ) -> Option<Move> {
        let (ru, iu) = self.pos[u];
        let (rv, iv) = self.pos[v];
        if !Self::singles(idx, state, ru, iu, na)
            || (nb > 0 && !Self::singles(idx, state, rv, iv, nb))
        {
            return None;
        }
        let (nu, nv) = (&state.routes[ru].nodes, &state.routes[rv].nodes);
        let seg_a = &nu[iu - 1..iu - 1 + na];
        // With nb = 0 the visits go after `v`: an empty stretch after it.
        let (jv, seg_b) = if nb == 0 {
            (iv + 1, &nv[iv..iv])
        } else {
            (iv, &nv[iv - 1..iv - 1 + nb])
        };
        let (vu, vv) = (state.routes[ru].vehicle, state.routes[rv].vehicle);
        let fits_skills = |nodes: &[usize], veh: usize| {
            nodes
                .iter()
                .all(|&n| idx.jobs[job_of(n)].skills & !idx.vehicles[veh].skills == 0)
        };
        if !fits_skills(seg_a, vv) || !fits_skills(seg_b, vu) {
            return None;
        }
        let a = self.range(idx, state, ru, iu, iu + na - 1);
        let b = if nb == 0 {
            Segment::EMPTY
        } else {
            self.range(idx, state, rv, iv, iv + nb - 1)
        };
        let new_u = [
            &self.pre[ru][iu - 1],
            &b,
            &self.suf[ru][iu + na],
            &self.end[ru],
        ];
        let new_v = [
            &self.pre[rv][jv - 1],
            &a,
            &self.suf[rv][jv + nb],
            &self.end[rv],
        ];
        let (mu, mv) = (nu.len(), nv.len());
        let old = state.routes[ru].eval.cost + state.routes[rv].eval.cost;
        let delta = Self::cost(idx, state, ru, mu + nb - na, Self::chain_dist(idx, &new_u))
            + Self::cost(idx, state, rv, mv + na - nb, Self::chain_dist(idx, &new_v))
            - old;
        if delta > -GAIN
            || !Self::feasible(idx, state, ru, &Self::chain(idx, &new_u))
            || !Self::feasible(idx, state, rv, &Self::chain(idx, &new_v))
        {
            return None;
        }
        let mut x = nu[..iu - 1].to_vec();
        x.extend_from_slice(seg_b);
        x.extend_from_slice(&nu[iu - 1 + na..]);
        let mut y = nv[..jv - 1].to_vec();
        y.extend_from_slice(seg_a);
        y.extend_from_slice(&nv[jv - 1 + nb..]);
        Some(Move {
            delta,
            routes: [(ru, x), (rv, y)],
            count: 2,
        })
    }

    /// Route `rv` keeps its head up to `v` and takes `u` and the rest of its
    /// route; route `ru` keeps its head before `u` and takes `v`'s old tail.
    fn two_opt_star(&self, idx: &Index, state: &State, u: usize, v: usize) -> Option<Move> {
        let (ru, iu) = self.pos[u];
        let (rv, iv) = self.pos[v];
        // A pair may not be split across the cut.
        if self.open[ru][iu - 1] != 0 || self.open[rv][iv] != 0 {
            return None;
        }
        let (vu, vv) = (state.routes[ru].vehicle, state.routes[rv].vehicle);
        if self.skills[ru][iu] & !idx.vehicles[vv].skills != 0
            || self.skills[rv][iv + 1] & !idx.vehicles[vu].skills != 0
        {
            return None;
        }
        let (mu, mv) = (state.routes[ru].nodes.len(), state.routes[rv].nodes.len());
        let a = [&self.pre[rv][iv], &self.suf[ru][iu], &self.end[rv]];
        let b = [&self.pre[ru][iu - 1], &self.suf[rv][iv + 1], &self.end[ru]];
        let (la, lb) = (iv + mu + 1 - iu, iu - 1 + mv - iv);
        let old = state.routes[ru].eval.cost + state.routes[rv].eval.cost;
        let delta = Self::cost(idx, state, rv, la, Self::chain_dist(idx, &a))
            + Self::cost(idx, state, ru, lb, Self::chain_dist(idx, &b))
            - old;
        if delta > -GAIN
            || !Self::feasible(idx, state, rv, &Self::chain(idx, &a))
            || !Self::feasible(idx, state, ru, &Self::chain(idx, &b))
        {
            return None;
        }
        let (nu, nv) = (&state.routes[ru].nodes, &state.routes[rv].nodes);
        let na: Vec<usize> = nv[..iv].iter().chain(&nu[iu - 1..]).copied().collect();
        let nb: Vec<usize> = nu[..iu - 1].iter().chain(&nv[iv..]).copied().collect();
        Some(Move {
            delta,
            routes: [(rv, na), (ru, nb)],
            count: 2,
        })
    }

    /// Route `ru` without the pair of node `n`: its segment, visit count and cost.
    fn without_pair(&self, idx: &Index, state: &State, n: usize) -> (f64, Segment, usize) {
        let ru = self.pos[n].0;
        let (ip, id) = (self.pos[n & !1].1, self.pos[n | 1].1);
        let mid = self.range(idx, state, ru, ip + 1, id - 1);
        let s = Self::chain(
            idx,
            &[
                &self.pre[ru][ip - 1],
                &mid,
                &self.suf[ru][id + 1],
                &self.end[ru],
            ],
        );
        let m = state.routes[ru].nodes.len() - 2;
        (Self::cost(idx, state, ru, m, s.dist), s, m)
    }

    /// Moves the pair of pickup `u` to route `rv`: pickup just after position
    /// `iv`, dropoff at the best position after it.
    fn pair_pickup_after(
        &self,
        idx: &Index,
        state: &State,
        u: usize,
        rv: usize,
        iv: usize,
    ) -> Option<Move> {
        let ru = self.pos[u].0;
        if !Self::allowed(idx, state, u, rv) {
            return None;
        }
        let (src_cost, src, _) = self.without_pair(idx, state, u);
        let old = state.routes[ru].eval.cost + state.routes[rv].eval.cost;
        let gain = src_cost - old;
        let nodes = &state.routes[rv].nodes;
        let mv = nodes.len();
        let d = u + 1;
        let mut head = self.pre[rv][iv].then(idx, &self.seg[u]);
        let mut best: Option<(f64, usize)> = None;
        for k in iv..=mv {
            if k > iv {
                head = head.then(idx, &self.seg[nodes[k - 1]]);
            }
            if head.warp > WARP_EPS {
                break;
            }
            let parts = [&head, &self.seg[d], &self.suf[rv][k + 1], &self.end[rv]];
            let delta = gain + Self::cost(idx, state, rv, mv + 2, Self::chain_dist(idx, &parts));
            if delta > -GAIN || best.is_some_and(|(b, _)| delta >= b) {
                continue;
            }
            if Self::feasible(idx, state, rv, &Self::chain(idx, &parts)) {
                best = Some((delta, k));
            }
        }
        let (delta, k) = best?;
        let mut b = nodes.clone();
        b.insert(k, d);
        b.insert(iv, u);
        Self::pair_move(idx, state, u, &src, delta, rv, b)
    }

    /// Moves the pair of dropoff `u` to route `rv`: dropoff just after
    /// position `iv`, pickup at the best position before it.
    fn pair_dropoff_after(
        &self,
        idx: &Index,
        state: &State,
        u: usize,
        rv: usize,
        iv: usize,
    ) -> Option<Move> {
        let ru = self.pos[u].0;
        if !Self::allowed(idx, state, u, rv) {
            return None;
        }
        let (src_cost, src, _) = self.without_pair(idx, state, u);
        let old = state.routes[ru].eval.cost + state.routes[rv].eval.cost;
        let gain = src_cost - old;
        let nodes = &state.routes[rv].nodes;
        let mv = nodes.len();
        let p = u - 1;
        let mut tail = self.seg[u].then(idx, &self.suf[rv][iv + 1]);
        let mut best: Option<(f64, usize)> = None;
        // Pickup after position k, for k = iv down to 0.
        for k in (0..=iv).rev() {
            if k < iv {
                tail = self.seg[nodes[k]].then(idx, &tail);
            }
            if tail.warp > WARP_EPS {
                break;
            }
            let parts = [&self.pre[rv][k], &self.seg[p], &tail, &self.end[rv]];
            let delta = gain + Self::cost(idx, state, rv, mv + 2, Self::chain_dist(idx, &parts));
            if delta > -GAIN || best.is_some_and(|(b, _)| delta >= b) {
                continue;
            }
            if Self::feasible(idx, state, rv, &Self::chain(idx, &parts)) {
                best = Some((delta, k));
            }
        }
        let (delta, k) = best?;
        let mut b = nodes.clone();
        b.insert(iv, u);
        b.insert(k, p);
        Self::pair_move(idx, state, u, &src, delta, rv, b)
    }

    /// The pair of `u` out of its route (left as `src`, checked here last:
    /// only moves that gain get that far) and into `rv` as `b`.
    fn pair_move(
        idx: &Index,
        state: &State,
        u: usize,
        src: &Segment,
        delta: f64,
        rv: usize,
        b: Vec<usize>,
    ) -> Option<Move> {
        let ru = state.route_of[job_of(u)];
        if !Self::feasible(idx, state, ru, src) {
            return None;
        }
        let a: Vec<usize> = state.routes[ru]
            .nodes
            .iter()
            .copied()
            .filter(|&n| job_of(n) != job_of(u))
            .collect();
        Some(Move {
            delta,
            routes: [(ru, a), (rv, b)],
            count: 2,
        })
    }

    /// Applies a move through the normal route refresh; a route the scheduler
    /// refuses is a bug in the segments, and the move is undone.
    fn apply(&mut self, idx: &Index, state: &mut State, sched: &mut Scheduler, mut m: Move) {
        let before = state.cost;
        let mut saved: Vec<(usize, Vec<usize>)> = Vec::with_capacity(2);
        for (r, nodes) in m.routes.iter_mut().take(m.count) {
            saved.push((
                *r,
                std::mem::replace(&mut state.routes[*r].nodes, std::mem::take(nodes)),
            ));
        }
        let ok = saved
            .iter()
            .all(|&(r, _)| state.routes[r].refresh(idx, &state.win, sched).is_ok());
        if !ok {
            debug_assert!(false, "local search built an infeasible route");
            for (r, nodes) in saved {
                state.routes[r].nodes = nodes;
                let back = state.routes[r].refresh(idx, &state.win, sched);
                debug_assert!(back.is_ok());
            }
        } else {
            for &(r, _) in &saved {
                for &n in &state.routes[r].nodes {
                    state.route_of[job_of(n)] = r;
                }
            }
            self.applied += 1;
        }
        state.recost(idx);
        if ok {
            let error = (state.cost - before - m.delta).abs() / before.abs().max(1.0);
            debug_assert!(
                error <= 1e-6,
                "predicted {} not {}",
                m.delta,
                state.cost - before
            );
            self.worst_error = self.worst_error.max(error);
        }
        for (r, _) in m.routes.iter().take(m.count) {
            self.build(idx, state, *r);
        }
    }
}

/// The ALNS hook: after a repair, improve around the moved jobs' visits; a
/// plan that then beats the current one (`bar`) gets the full descent, so
/// every plan the search accepts as an improvement is a local optimum.
pub(crate) fn after_repair(
    ls: Option<&mut LocalSearch>,
    idx: &Index,
    state: &mut State,
    sched: &mut Scheduler,
    moved: &[JobId],
    bar: f64,
    rng: &mut fastrand::Rng,
) {
    // Measured on Li & Lim at 10 s: the descents cost the ALNS more
    // iterations on long pair routes than they gain (one vehicle more on
    // lr207), so pair problems keep the plain search until that is tuned.
    let Some(ls) = ls.filter(|l| !l.pairs) else {
        return;
    };
    ls.run(idx, state, sched, Some(moved), rng);
    if state.cost < bar - 1e-9 {
        ls.run(idx, state, sched, None, rng);
    }
}

#[cfg(test)]
#[path = "ls_tests.rs"]
mod tests;
