//! Insertion operators: greedy in a random or ranked order (with SISR's
//! "blinks"), and regret-k, which first places the jobs with fewest good options.

use super::index::Index;
use super::insertion::{Inserter, Insertion};
use super::model::JobId;
use super::state::State;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repair {
    GreedyRandom,
    GreedyHardFirst,
    Regret2,
    Regret3,
}

pub(crate) const REPAIRS: [Repair; 4] = [
    Repair::GreedyRandom,
    Repair::GreedyHardFirst,
    Repair::Regret2,
    Repair::Regret3,
];

const BLINK: f64 = 0.01;

pub(crate) fn run(
    op: Repair,
    idx: &Index,
    state: &mut State,
    ins: &mut Inserter,
    rng: &mut fastrand::Rng,
) {
    run_within(op, idx, state, ins, rng, f64::INFINITY);
}

/// [`run`], giving up (false, the plan half repaired) once the jobs it
/// cannot place are worth more than `give_up`: on a day with more requests
/// than room, half the repairs leave out more than the plan they started
/// from, and no search keeps such a plan.
pub(crate) fn run_within(
    op: Repair,
    idx: &Index,
    state: &mut State,
    ins: &mut Inserter,
    rng: &mut fastrand::Rng,
    give_up: f64,
) -> bool {
    let placed = match op {
        Repair::GreedyRandom => {
            let mut order = state.unassigned.clone();
            rng.shuffle(&mut order);
            greedy(idx, state, ins, order, rng, give_up)
        }
        Repair::GreedyHardFirst => {
            let mut order = state.unassigned.clone();
            rng.shuffle(&mut order);
            // Narrow windows and heavy loads first: they have the fewest places to go.
            order.sort_by(|&a, &b| hardness(idx, b).total_cmp(&hardness(idx, a)));
            greedy(idx, state, ins, order, rng, give_up)
        }
        Repair::Regret2 => regret_with(idx, state, ins, 2, rng, true, give_up),
        Repair::Regret3 => regret_with(idx, state, ins, 3, rng, true, give_up),
    };
    if placed {
        state.sync_links(idx, &mut ins.sched);
    }
    placed
}

fn hardness(idx: &Index, j: JobId) -> f64 {
    let (p, d) = idx.stops(j);
    let width = [p, d]
        .into_iter()
        .flatten()
        .map(|n| (idx.nodes[n].close - idx.nodes[n].open).min(1e6))
        .fold(f64::INFINITY, f64::min);
    let load: i32 = idx.load(j).iter().sum();
    load as f64 * 1e3 - width
}

/// Each job once, in order: one that finds no place stays out.
fn greedy(
    idx: &Index,
    state: &mut State,
    ins: &mut Inserter,
    order: Vec<JobId>,
    rng: &mut fastrand::Rng,
    give_up: f64,
) -> bool {
    let mut routes = Vec::new();
    let mut lost = 0.0;
    for j in order {
        match state.best_insertion(idx, ins, j, BLINK, rng, &mut routes) {
            Some(best) => state.insert(idx, j, best, &mut ins.sched),
            None => {
                lost += idx.jobs[j].priority;
                if lost > give_up {
                    return false;
                }
            }
        }
    }
    true
}

/// What the regret knows of a job's best place in one route.
#[derive(Clone, Copy)]
enum Known {
    Nothing,
    /// The cheapest insertion, or none.
    Exact(Option<Insertion>),
    /// No insertion cheaper than this: the search stopped there, since the
    /// route could not be among the job's `k` best.
    AtLeast(f64),
}

/// The regret; `bounded` false searches every route in full (tests compare).
pub(crate) fn regret_with(
    idx: &Index,
    state: &mut State,
    ins: &mut Inserter,
    k: usize,
    rng: &mut fastrand::Rng,
    bounded: bool,
    give_up: f64,
) -> bool {
    let mut pending = state.unassigned.clone();
    rng.shuffle(&mut pending);
    // Per job and route, refreshed only for the route that changed.
    let nr = state.routes.len();
    let mut known: Vec<Vec<Known>> = vec![vec![Known::Nothing; nr]; pending.len()];
    let mut routes = Vec::new();
    let mut order = Vec::new();
    loop {
        let mut choice: Option<(f64, f64, usize, Insertion)> = None;
        // Worth of the jobs no route can take: routes only fill up, so they
        // stay out (unless a link waits for a partner to be placed).
        let mut lost = 0.0;
        for (pi, &j) in pending.iter().enumerate() {
            state.candidate_routes(idx, j, &mut routes);
            // The k smallest costs, sorted; the best place (first route on ties).
            let mut costs: [f64; 4] = [f64::INFINITY; 4];
            let mut best: Option<Insertion> = None;
            let mut take = |c: Insertion, costs: &mut [f64; 4]| {
                if best
                    .is_none_or(|b| c.delta < b.delta || (c.delta == b.delta && c.route < b.route))
                {
                    best = Some(c);
                }
                let mut v = c.delta;
                for slot in costs.iter_mut().take(k) {
                    if v < *slot {
                        std::mem::swap(&mut v, slot);
                    }
                }
            };
            // What is known first, so that the routes searched anew need
            // only be searched below the k-th cost: a route whose cheapest
            // place costs more cannot change the regret or the best place.
            order.clear();
            for &r in &routes {
                match known[pi][r] {
                    Known::Exact(Some(c)) => take(c, &mut costs),
                    Known::Exact(None) => {}
                    _ => order.push(r),
                }
            }
            for &r in &order {
                let kth = if bounded { costs[k - 1] } else { f64::INFINITY };
                if let Known::AtLeast(lb) = known[pi][r] {
                    if lb >= kth {
                        continue;
                    }
                }
                let found = ins.best_below(idx, &state.win, &state.routes[r], r, j, 0.0, rng, kth);
                // Without a bound (kth infinite) every answer is exact.
                known[pi][r] = match found {
                    Ok(c) if c.delta < kth => {
                        take(c, &mut costs);
                        Known::Exact(Some(c))
                    }
                    Err(_) if kth.is_infinite() => Known::Exact(None),
                    _ => Known::AtLeast(kth),
                };
            }
            let Some(best) = best else {
                let info = &idx.jobs[j];
                if info.after.is_none() && info.before.is_empty() {
                    lost += info.priority;
                }
                continue;
            };
            let missing = costs.iter().take(k).filter(|c| c.is_infinite()).count();
            let regret: f64 = costs
                .iter()
                .take(k)
                .skip(1)
                .filter(|c| c.is_finite())
                .map(|c| c - costs[0])
                .sum();
            let key = missing as f64 * 1e12 + regret;
            if choice.is_none_or(|(bk, bc, _, _)| key > bk || (key == bk && best.delta < bc)) {
                choice = Some((key, best.delta, pi, best));
            }
        }
        if lost > give_up {
            return false;
        }
        let Some((_, _, pi, best)) = choice else {
            break;
        };
        let j = pending.swap_remove(pi);
        known.swap_remove(pi);
        let r = best.route;
        let was_empty = state.routes[r].is_empty();
        state.insert(idx, j, best, &mut ins.sched);
        for row in known.iter_mut() {
            row[r] = Known::Nothing;
            if was_empty {
                // Another empty route of the class may now stand in for it.
                for (rr, c) in row.iter_mut().enumerate() {
                    if state.routes[rr].is_empty() {
                        *c = Known::Nothing;
                    }
                }
            }
        }
        if pending.is_empty() {
            break;
        }
    }
    true
}
