//! Segment moves for the request search: a run of natural sequences (stops
//! between two points where the vehicle is empty) leaves its route for an
//! empty-vehicle point of another. Relocation moves one request and 2-opt*
//! trades whole tails; a group of requests from the middle of a route (a
//! morning's few rides in one area) moves only this way, since each of its
//! requests alone may cost more elsewhere than it saves.
//!
//! The arcs decide first: only a move whose three arcs on each side promise
//! a saving is scheduled, the two new routes in full.

use super::{RequestSearch, GAIN};
use crate::solver::index::{job_of, Index, VehicleInfo};
use crate::solver::schedule::Scheduler;
use crate::solver::state::State;

/// Most stops a moved run may have. Runs of up to 6 to 24 stops did alike
/// on the largest pr instances at 10 s (1.92-1.96% against 2.18% without),
/// up to 3 or without a cap no better than none (session 38).
const MOST: usize = 12;

impl RequestSearch {
    /// Moves runs from `r1` to `r2` and back while one pays; true if any did.
    /// The caller has found the empty-vehicle points (`cuts`).
    pub(super) fn move_segments(
        &mut self,
        idx: &Index,
        state: &mut State,
        r1: usize,
        r2: usize,
        sched: &mut Scheduler,
    ) -> bool {
        let mut improved = false;
        for (from, to) in [(r1, r2), (r2, r1)] {
            while !state.routes[from].is_empty() && !state.routes[to].is_empty() {
                let Some((a, z, b, delta)) = self.best_segment(idx, state, from, to, sched) else {
                    break;
                };
                let before = state.cost;
                let run: Vec<usize> = state.routes[from].nodes.drain(a..z).collect();
                for &n in &run {
                    state.route_of[job_of(n)] = to;
                }
                state.routes[to].nodes.splice(b..b, run);
                state.refresh_or_clear(idx, from, sched);
                state.refresh_or_clear(idx, to, sched);
                state.recost(idx);
                self.touch([from, to]);
                self.record(before + delta, state.cost);
                self.find_cuts(idx, state);
                improved = true;
            }
        }
        improved
    }

    /// The first run `a..z` of route `r1` (positions after empty-vehicle
    /// points `a` and `z`) that, put after the empty-vehicle point `b` of
    /// `r2`, the arcs promise and the scheduler confirms as cheaper; with
    /// the cost change.
    fn best_segment(
        &mut self,
        idx: &Index,
        state: &State,
        r1: usize,
        r2: usize,
        sched: &mut Scheduler,
    ) -> Option<(usize, usize, usize, f64)> {
        let (x, y) = (&state.routes[r1], &state.routes[r2]);
        let (v1, v2) = (&idx.vehicles[x.vehicle], &idx.vehicles[y.vehicle]);
        let c = |v: &VehicleInfo, a: usize, b: usize| {
            v.per_distance * idx.dist(a, b) + v.per_time * idx.time(a, b)
        };
        let old = x.eval.cost + y.eval.cost;
        let cuts = &self.cuts[r1];
        for (i, &a) in cuts.iter().enumerate() {
            for &z in &cuts[i + 1..] {
                if z - a > MOST {
                    break;
                }
                // `locs` counts the start depot: the run is at a + 1..=z.
                let (first, last) = (x.locs[a + 1], x.locs[z]);
                let saved = c(v1, x.locs[a], first) + c(v1, last, x.locs[z + 1])
                    - c(v1, x.locs[a], x.locs[z + 1]);
                let run = &x.nodes[a..z];
                if run
                    .iter()
                    .any(|&n| idx.jobs[job_of(n)].skills & !v2.skills != 0)
                {
                    continue;
                }
                for &b in &self.cuts[r2] {
                    let added = c(v2, y.locs[b], first) + c(v2, last, y.locs[b + 1])
                        - c(v2, y.locs[b], y.locs[b + 1]);
                    if added - saved >= -GAIN {
                        continue;
                    }
                    let [b1, b2] = &mut self.buf;
                    b1.clear();
                    b1.extend_from_slice(&x.nodes[..a]);
                    b1.extend_from_slice(&x.nodes[z..]);
                    b2.clear();
                    b2.extend_from_slice(&y.nodes[..b]);
                    b2.extend_from_slice(run);
                    b2.extend_from_slice(&y.nodes[b..]);
                    let Ok(e1) = sched.evaluate(idx, &state.win, x.vehicle, b1) else {
                        continue;
                    };
                    let Ok(e2) = sched.evaluate(idx, &state.win, y.vehicle, b2) else {
                        continue;
                    };
                    let delta = e1.cost + e2.cost - old;
                    if delta < -GAIN {
                        return Some((a, z, b, delta));
                    }
                }
            }
        }
        None
    }
}
