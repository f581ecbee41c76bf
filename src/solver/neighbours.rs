//! Granular neighbour lists (Toth & Vigo 2003, with PyVRP's waiting term):
//! local search only tries moves that put a visit right after one of the few
//! visits close to it, in distance and in the least wait the arc forces.

use super::index::Index;

/// Neighbours kept per visit.
pub(crate) const K: usize = 40;
/// Weight of the least forced wait against distance.
const WAIT_WEIGHT: f64 = 0.2;

/// For every node a job places in a route, the nodes `v` worth visiting just
/// before it, best first. Arcs `v -> u` that no schedule can keep on time are
/// left out, and so are nodes no route ever holds.
pub(crate) fn neighbours(idx: &Index) -> Vec<Vec<usize>> {
    let mut live = vec![false; idx.nodes.len()];
    for j in 0..idx.jobs.len() {
        let (p, d) = idx.stops(j);
        for n in [p, d].into_iter().flatten() {
            live[n] = true;
        }
    }
    let mut out = vec![Vec::new(); idx.nodes.len()];
    let mut cands: Vec<(f64, usize)> = Vec::new();
    for u in (0..idx.nodes.len()).filter(|&u| live[u]) {
        let nu = &idx.nodes[u];
        cands.clear();
        for v in (0..idx.nodes.len()).filter(|&v| live[v] && v != u) {
            let nv = &idx.nodes[v];
            let t = idx.time(nv.loc, nu.loc);
            if nv.open + nv.service + t > nu.close + 1e-9 {
                continue;
            }
            let wait = (nu.open - (nv.close + nv.service + t)).max(0.0);
            cands.push((idx.dist(nv.loc, nu.loc) + WAIT_WEIGHT * wait, v));
        }
        // Ties by node id keep the lists independent of the sort's stability.
        cands.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        out[u] = cands.iter().take(K).map(|&(_, v)| v).collect();
    }
    out
}
