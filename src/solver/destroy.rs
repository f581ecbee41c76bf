//! Removal operators of the large-neighbourhood search.

use super::index::{job_of, Index};
use super::model::JobId;
use super::state::{State, NONE};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Destroy {
    Random,
    Worst,
    Related,
    String,
    Route,
}

pub(crate) const DESTROYS: [Destroy; 5] = [
    Destroy::Random,
    Destroy::Worst,
    Destroy::Related,
    Destroy::String,
    Destroy::Route,
];

/// For each job, the other jobs sorted by relatedness: close in space (both
/// ends) and in time. A job's time is the middle of its narrower window, moved
/// to pickup time; rides often leave one end open all day, which says nothing.
pub(crate) fn neighbours(idx: &Index) -> Vec<Vec<JobId>> {
    let n = idx.jobs.len();
    let ends: Vec<(usize, usize)> = (0..n)
        .map(|j| {
            let (p, d) = idx.stops(j);
            let (pl, dl) = (p.or(d).unwrap_or(0), d.or(p).unwrap_or(0));
            (idx.nodes[pl].loc, idx.nodes[dl].loc)
        })
        .collect();
    let when: Vec<f64> = (0..n)
        .map(|j| {
            let (p, d) = idx.stops(j);
            let width = |x: usize| idx.nodes[x].close.min(1e7) - idx.nodes[x].open;
            let mid = |x: usize| idx.nodes[x].open + 0.5 * width(x);
            match (p, d) {
                (Some(p), Some(d)) if width(d) < width(p) => {
                    mid(d) - idx.time(idx.nodes[p].loc, idx.nodes[d].loc) - idx.nodes[p].service
                }
                (Some(x), _) | (None, Some(x)) => mid(x),
                (None, None) => 0.0,
            }
        })
        .collect();
    let space =
        |a: usize, b: usize| idx.dist(ends[a].0, ends[b].0) + idx.dist(ends[a].1, ends[b].1);
    let mut max_d: f64 = 1e-9;
    let mut max_t: f64 = 1e-9;
    for a in 0..n {
        for b in 0..n {
            max_d = max_d.max(space(a, b));
            max_t = max_t.max((when[a] - when[b]).abs());
        }
    }
    (0..n)
        .map(|a| {
            let mut others: Vec<(f64, JobId)> = (0..n)
                .filter(|&b| b != a)
                .map(|b| (space(a, b) / max_d + (when[a] - when[b]).abs() / max_t, b))
                .collect();
            others.sort_by(|x, y| x.0.total_cmp(&y.0));
            others.into_iter().map(|(_, b)| b).collect()
        })
        .collect()
}

fn assigned(state: &State) -> Vec<JobId> {
    (0..state.route_of.len())
        .filter(|&j| state.route_of[j] != NONE)
        .collect()
}

/// Picks the jobs to remove; the caller removes them.
pub(crate) fn select(
    op: Destroy,
    idx: &Index,
    state: &State,
    neigh: &[Vec<JobId>],
    q: usize,
    rng: &mut fastrand::Rng,
) -> Vec<JobId> {
    let pool = assigned(state);
    if pool.is_empty() {
        return Vec::new();
    }
    let q = q.min(pool.len());
    match op {
        Destroy::Random => {
            let mut pool = pool;
            rng.shuffle(&mut pool);
            pool.truncate(q);
            pool
        }
        Destroy::Worst => worst(idx, state, pool, q, rng),
        Destroy::Related => related(state, &pool, neigh, q, rng),
        Destroy::String => strings(state, &pool, neigh, q, rng),
        Destroy::Route => {
            let r = small_route(state, rng).expect("a plan with jobs has a route");
            let mut jobs: Vec<JobId> = state.routes[r].nodes.iter().map(|&n| job_of(n)).collect();
            jobs.sort_unstable();
            jobs.dedup();
            jobs
        }
    }
}

/// Of two used routes drawn at random, the one with fewer stops: small
/// routes are the ones to save (None if no route is used).
pub(crate) fn small_route(state: &State, rng: &mut fastrand::Rng) -> Option<usize> {
    let used: Vec<usize> = (0..state.routes.len())
        .filter(|&r| !state.routes[r].is_empty())
        .collect();
    if used.is_empty() {
        return None;
    }
    let a = used[rng.usize(..used.len())];
    let b = used[rng.usize(..used.len())];
    Some(
        if state.routes[a].nodes.len() <= state.routes[b].nodes.len() {
            a
        } else {
            b
        },
    )
}

/// Jobs whose removal saves the most distance, with some randomness.
fn worst(
    idx: &Index,
    state: &State,
    pool: Vec<JobId>,
    q: usize,
    rng: &mut fastrand::Rng,
) -> Vec<JobId> {
    let mut saving: Vec<(f64, JobId)> = pool
        .into_iter()
        .map(|j| {
            let route = &state.routes[state.route_of[j]];
            let loc = |k: usize| route.locs[k];
            let mut s = 0.0;
            let (p, d) = idx.stops(j);
            let pos = |n: usize| route.nodes.iter().position(|&x| x == n).map(|i| i + 1);
            let (pp, dp) = (p.and_then(pos), d.and_then(pos));
            if let (Some(a), Some(b)) = (pp, dp) {
                if b == a + 1 {
                    s += idx.dist(loc(a - 1), loc(a))
                        + idx.dist(loc(a), loc(b))
                        + idx.dist(loc(b), loc(b + 1))
                        - idx.dist(loc(a - 1), loc(b + 1));
                    return (s, j);
                }
            }
            for k in [pp, dp].into_iter().flatten() {
                s += idx.dist(loc(k - 1), loc(k)) + idx.dist(loc(k), loc(k + 1))
                    - idx.dist(loc(k - 1), loc(k + 1));
            }
            (s, j)
        })
        .collect();
    saving.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out = Vec::with_capacity(q);
    while out.len() < q && !saving.is_empty() {
        let y = rng.f64();
        let i = ((y * y * y) * saving.len() as f64) as usize;
        out.push(saving.remove(i.min(saving.len() - 1)).1);
    }
    out
}

/// Shaw removal: a seed and the jobs most related to those already taken.
fn related(
    state: &State,
    pool: &[JobId],
    neigh: &[Vec<JobId>],
    q: usize,
    rng: &mut fastrand::Rng,
) -> Vec<JobId> {
    let mut taken = vec![false; state.route_of.len()];
    let seed = pool[rng.usize(..pool.len())];
    let mut out = vec![seed];
    taken[seed] = true;
    while out.len() < q {
        let from = out[rng.usize(..out.len())];
        let cands: Vec<JobId> = neigh[from]
            .iter()
            .copied()
            .filter(|&j| !taken[j] && state.route_of[j] != NONE)
            .take(3 * q)
            .collect();
        if cands.is_empty() {
            break;
        }
        let y = rng.f64();
        let pick = cands[((y.powi(4)) * cands.len() as f64) as usize];
        taken[pick] = true;
        out.push(pick);
    }
    out
}

/// SISR-style: remove strings of consecutive stops from routes near a seed.
fn strings(
    state: &State,
    pool: &[JobId],
    neigh: &[Vec<JobId>],
    q: usize,
    rng: &mut fastrand::Rng,
) -> Vec<JobId> {
    let seed = pool[rng.usize(..pool.len())];
    let mut taken = vec![false; state.route_of.len()];
    let mut out = Vec::new();
    let mut done_routes = Vec::new();
    let max_len = (q / 2).max(2);
    for &j in std::iter::once(&seed).chain(neigh[seed].iter()) {
        if out.len() >= q {
            break;
        }
        let r = state.route_of[j];
        if r == NONE || done_routes.contains(&r) {
            continue;
        }
        done_routes.push(r);
        let nodes = &state.routes[r].nodes;
        let at = nodes.iter().position(|&n| job_of(n) == j).unwrap_or(0);
        let len = rng.usize(1..=max_len.min(nodes.len()));
        let lo = at.saturating_sub(rng.usize(0..len)).min(nodes.len() - len);
        for &n in &nodes[lo..lo + len] {
            let jj = job_of(n);
            if !taken[jj] {
                taken[jj] = true;
                out.push(jj);
            }
        }
    }
    out
}
