#!/usr/bin/env python3
"""Outside checker for benchmark solutions, written independently of the Rust code.

Usage:
    python3 benches/check_solutions.py --set darp-a|darp-pr|solomon|lilim --dir DIR
        [--benchmarks PATH] [--only NAME ...]

DIR holds one `<instance>.json` per instance:
    {"instance": NAME, "cost": X, "vehicles": K, "routes": [[node ids], ...]}
Routes list node ids in visiting order, depots excluded, ids as in the instance file.

Checks, under the set's convention (shared/benchmarks/README.md):
* every customer / request node is visited exactly once, no unknown or depot ids;
* pickup before its delivery on the same route (DARP, Li & Lim);
* capacity (load within [0, Q] along the route);
* time windows on the start of service, waiting allowed;
  Solomon and Li & Lim use the earliest-start schedule, returning to the depot
  by its due date;
* DARP: whether SOME schedule meets windows, max ride time L and max route
  duration T. This is decided exactly: the constraints are difference
  constraints on the service start times, solved as an LP (scipy HiGHS) and
  also as a negative-cycle test (Bellman-Ford); both use the same tolerance;
* number of non-empty routes <= K and equal to the file's "vehicles";
* recomputed cost (all arcs incl. depot legs) matches "cost" within
  TOL * max(1, cost), TOL = --cost-tol (default 1e-3).

Prints one line per instance and a final `N passed, M failed` line. Exit code 1
if any instance failed or is missing from DIR.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import instances as I  # noqa: E402

try:  # scipy is optional: without it only the Bellman-Ford test is used
    from scipy.optimize import linprog
except ImportError:  # pragma: no cover
    linprog = None

EPS = 1e-6  # every time constraint may be violated by at most this much


class Infeasible(Exception):
    pass


# ---------------------------------------------------------------- structure


def check_structure(inst: I.Instance, routes: list[list[int]]) -> None:
    """Each required node exactly once; pairs on one route, pickup first."""
    required = set(inst.customers)
    seen: dict[int, tuple[int, int]] = {}  # node -> (route index, position)
    for r, route in enumerate(routes):
        for pos, v in enumerate(route):
            if not isinstance(v, int) or v not in required:
                raise Infeasible(f"route {r}: unknown or depot node {v!r}")
            if v in seen:
                raise Infeasible(f"node {v} visited twice")
            seen[v] = (r, pos)
    missing = required - seen.keys()
    if missing:
        raise Infeasible(f"{len(missing)} nodes not visited, e.g. {sorted(missing)[:5]}")
    for p, d in inst.pairs.items():
        (rp, pp), (rd, pd) = seen[p], seen[d]
        if rp != rd:
            raise Infeasible(f"pickup {p} and delivery {d} on different routes")
        if pp > pd:
            raise Infeasible(f"delivery {d} before pickup {p}")


def check_capacity(inst: I.Instance, r: int, route: list[int]) -> None:
    """Load stays within [0, Q]. Solomon demands all add up (pure deliveries)."""
    load = 0.0
    for v in route:
        load += inst.nodes[v].demand
        if load > inst.capacity + EPS or load < -EPS:
            raise Infeasible(f"route {r}: load {load:g} out of [0, {inst.capacity:g}] at node {v}")


# ---------------------------------------------------------------- time


def earliest_schedule(inst: I.Instance, path: list[int]) -> list[float]:
    """Earliest service starts along `path` (depots included), waiting allowed.

    Raises Infeasible at the first node whose window end is exceeded.
    """
    nodes = inst.nodes
    t = nodes[path[0]].early
    starts = [t]
    for a, b in zip(path, path[1:]):
        t = max(nodes[b].early, t + nodes[a].service + inst.dist(a, b))
        if t > nodes[b].late + EPS:
            raise Infeasible(f"time window of node {b} missed (start {t:.4f} > {nodes[b].late:g})")
        starts.append(t)
    return starts


def darp_constraints(inst: I.Instance, path: list[int], ride=True, duration=True):
    """Difference constraints x_v - x_u <= w on service starts of `path` positions.

    Returns (constraints as (u, v, w), bounds per position as (lo, hi)).
    """
    nodes = inst.nodes
    m = len(path)
    cons = []
    for k in range(m - 1):  # x_k + d_k + t_k,k+1 <= x_k+1
        a, b = path[k], path[k + 1]
        cons.append((k + 1, k, -(nodes[a].service + inst.dist(a, b))))
    if duration:  # x_last - x_0 <= T
        cons.append((0, m - 1, inst.max_duration))
    if ride:  # x_del - (x_pick + d_pick) <= L
        pos = {v: k for k, v in enumerate(path)}
        for p, d in inst.pairs.items():
            if p in pos:
                cons.append((pos[p], pos[d], inst.max_ride + nodes[p].service))
    bounds = [(nodes[v].early, nodes[v].late) for v in path]
    return cons, bounds


def feasible_lp(m: int, cons, bounds) -> bool:
    """LP feasibility (zero objective) with every constraint relaxed by EPS."""
    a_ub, b_ub = [], []
    for u, v, w in cons:
        row = [0.0] * m
        row[v] += 1.0
        row[u] -= 1.0
        a_ub.append(row)
        b_ub.append(w + EPS)
    res = linprog(
        c=[0.0] * m, A_ub=a_ub, b_ub=b_ub,
        bounds=[(lo - EPS, hi + EPS) for lo, hi in bounds], method="highs",
    )
    if res.status not in (0, 2):
        raise RuntimeError(f"LP solver status {res.status}: {res.message}")
    return res.status == 0


def feasible_bellman_ford(m: int, cons, bounds) -> bool:
    """Same system as a constraint graph: feasible iff no negative cycle.

    Node m is a zero reference z: windows become x_i - z <= hi, z - x_i <= -lo.
    """
    edges = [(u, v, w + EPS) for u, v, w in cons]
    for i, (lo, hi) in enumerate(bounds):
        edges.append((m, i, hi + EPS))
        edges.append((i, m, -lo + EPS))
    dist = [0.0] * (m + 1)  # virtual source at distance 0 to every node
    for _ in range(m + 1):
        changed = False
        for u, v, w in edges:
            if dist[u] + w < dist[v] - 1e-12:
                dist[v] = dist[u] + w
                changed = True
        if not changed:
            return True
    return False


def darp_feasible(inst: I.Instance, path: list[int], ride=True, duration=True) -> tuple[bool, str]:
    """Exact schedule feasibility; returns (feasible, note on any disagreement)."""
    cons, bounds = darp_constraints(inst, path, ride, duration)
    graph = feasible_bellman_ford(len(path), cons, bounds)
    if linprog is None:
        return graph, ""
    lp = feasible_lp(len(path), cons, bounds)
    note = "" if lp == graph else f"warning: LP says {lp}, graph test says {graph}"
    return lp, note


def check_times(inst: I.Instance, r: int, route: list[int]) -> str:
    path = [inst.start_depot, *route, inst.end_depot]
    if inst.kind != "darp":
        earliest_schedule(inst, path)
        return ""
    ok, note = darp_feasible(inst, path)
    if ok:
        return note
    # Diagnose which constraint family makes the route infeasible.
    earliest_schedule(inst, path)  # raises on a plain window violation
    if darp_feasible(inst, path, ride=False, duration=True)[0]:
        raise Infeasible(f"route {r}: max ride time {inst.max_ride:g} cannot be met")
    if darp_feasible(inst, path, ride=True, duration=False)[0]:
        raise Infeasible(f"route {r}: max route duration {inst.max_duration:g} cannot be met")
    raise Infeasible(f"route {r}: no schedule meets windows, ride time and duration together")


# ---------------------------------------------------------------- one solution


def check_solution(inst: I.Instance, sol: dict, cost_tol: float = 1e-3) -> tuple[float, int, str]:
    """Returns (recomputed cost, non-empty routes, note); raises Infeasible."""
    if sol.get("instance") != inst.name:
        raise Infeasible(f"instance field is {sol.get('instance')!r}")
    routes = sol.get("routes")
    if not isinstance(routes, list) or not all(isinstance(r, list) for r in routes):
        raise Infeasible("routes must be a list of lists")
    routes = [r for r in routes if r]
    check_structure(inst, routes)
    cost = inst.solution_cost(routes)
    if len(routes) > inst.vehicles:
        raise Infeasible(f"{len(routes)} routes > K = {inst.vehicles}")
    if sol.get("vehicles") != len(routes):
        raise Infeasible(f"vehicles field {sol.get('vehicles')!r} != {len(routes)} non-empty routes")
    notes = []
    for r, route in enumerate(routes):
        check_capacity(inst, r, route)
        note = check_times(inst, r, route)
        if note:
            notes.append(f"route {r}: {note}")
    claimed = sol.get("cost")
    if not isinstance(claimed, (int, float)) or abs(claimed - cost) > cost_tol * max(1.0, abs(cost)):
        raise Infeasible(f"cost field {claimed!r} != recomputed {cost:.6f}")
    return cost, len(routes), "; ".join(notes)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", required=True, choices=sorted(I.SETS))
    ap.add_argument("--dir", required=True, type=Path, help="folder of <instance>.json files")
    ap.add_argument("--benchmarks", type=Path, default=I.DEFAULT_BENCHMARKS)
    ap.add_argument("--only", nargs="+", metavar="NAME", help="check only these instances")
    ap.add_argument("--cost-tol", type=float, default=1e-3,
                    help="relative cost tolerance: |cost - recomputed| <= TOL * max(1, recomputed)")
    args = ap.parse_args()

    bks = I.read_bks(args.set, args.benchmarks)
    passed = failed = 0
    print(f"{'instance':<10} {'feasible':<8} {'cost':>12} {'veh':>4}  message")
    for path in I.select(args.set, args.benchmarks, args.only):
        inst = I.load_instance(args.set, path)
        sol_file = args.dir / f"{inst.name}.json"
        cost, veh, ok = None, None, False
        try:
            if not sol_file.exists():
                raise Infeasible("missing solution file")
            try:
                sol = json.loads(sol_file.read_text())
            except ValueError as e:
                raise Infeasible(f"bad JSON: {e}") from None
            if isinstance(sol, dict) and isinstance(sol.get("routes"), list):
                # Cost/vehicles to print even if a later check fails.
                try:
                    rs = [r for r in sol["routes"] if r]
                    cost, veh = inst.solution_cost(rs), len(rs)
                except (TypeError, IndexError):
                    pass
            else:
                raise Infeasible("not an object with a routes list")
            cost, veh, note = check_solution(inst, sol, args.cost_tol)
            b = bks.get(inst.name)
            msg = "ok"
            if b:
                msg += f", gap {100 * (cost - b.cost) / b.cost:+.2f}% vs BKS {b.cost}"
                if b.vehicles is not None:
                    msg += f"/{b.vehicles} veh"
            if note:
                msg += f" ({note})"
            ok = True
        except Infeasible as e:
            msg = str(e)
        passed += ok
        failed += not ok
        cost_s = f"{cost:.4f}" if cost is not None else "-"
        veh_s = str(veh) if veh is not None else "-"
        print(f"{inst.name:<10} {'yes' if ok else 'no':<8} {cost_s:>12} {veh_s:>4}  {msg}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
