#!/usr/bin/env python3
"""Run Google OR-Tools (routing library) on a benchmark set, as a baseline.

Usage:
    python3 benches/ortools_bench.py --set darp-a|darp-pr|solomon|lilim --time-limit SECS
        --out-dir DIR [--only NAME ...] [--benchmarks PATH] [--first-solution STRATEGY]
        [--allow-drop | --no-allow-drop]

One instance at a time; the routing search is single-threaded. For each
instance it writes DIR/<instance>.json (format read by check_solutions.py) and a
row of DIR/ortools.csv (instance,cost,vehicles,feasible,gap_pct,seconds); at the
end it prints a Markdown summary. Progress lines go to stderr.

Model: K vehicles; a Time dimension (transit = travel time + service at the
from-node, waiting allowed) with the windows; a Capacity dimension;
pickup-and-delivery pairs on one vehicle with pickup first (DARP, Li & Lim);
for DARP the max route duration T (span bound) and the max ride time L.
Arc cost = distance * 1000 rounded to an integer; Solomon uses the truncated
distances (exact at that scale). Travel times are rounded UP so that every
schedule OR-Tools accepts is also feasible with exact double-precision times.
Li & Lim (hierarchical objective) adds a large fixed cost per used vehicle.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import sys
import time
from pathlib import Path

from ortools import __version__ as ORTOOLS_VERSION
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

sys.path.insert(0, str(Path(__file__).resolve().parent))
import instances as I  # noqa: E402

SCALE = 1000  # distances and times are scaled to integers by this factor
VEHICLE_COST = 100_000 * SCALE  # Li & Lim: fixed cost per used vehicle
DROP_PENALTY = 10_000_000 * SCALE  # --allow-drop: cost of leaving a node unserved

FIRST_SOLUTION = {
    name: getattr(routing_enums_pb2.FirstSolutionStrategy, name)
    for name in ("PARALLEL_CHEAPEST_INSERTION", "PATH_CHEAPEST_ARC", "LOCAL_CHEAPEST_INSERTION",
                 "SAVINGS", "CHRISTOFIDES", "AUTOMATIC")
}


# Per-kind defaults, chosen from short trial runs (see README.md): on DARP the
# insertion heuristics often find no complete first solution, so the search
# may drop nodes and insert them back during local search.
DEFAULTS = {
    "darp": ("LOCAL_CHEAPEST_INSERTION", True),
    "solomon": ("PARALLEL_CHEAPEST_INSERTION", False),
    "lilim": ("PARALLEL_CHEAPEST_INSERTION", False),
}


def scaled(v: float) -> int:
    return int(round(v * SCALE))


def scaled_up(v: float) -> int:
    """Round up (a hair of slack absorbs float noise on exact values)."""
    return int(math.ceil(v * SCALE - 1e-7))


def solve(inst: I.Instance, time_limit: float, first_solution: str,
          allow_drop: bool) -> list[list[int]] | None:
    """Build and solve the routing model; returns routes (node ids) or None.

    With allow_drop, nodes may be left out at a huge penalty, so that the
    search starts from a partial solution when no complete one is found at
    first; a result that still leaves nodes out counts as unsolved.
    """
    nodes = inst.nodes
    n, k = len(nodes), inst.vehicles
    manager = pywrapcp.RoutingIndexManager(n, k, [inst.start_depot] * k, [inst.end_depot] * k)
    routing = pywrapcp.RoutingModel(manager)
    solver = routing.solver()

    # Arc cost: rounded scaled distance. Time: scaled-up travel time + service.
    exact = inst.kind == "solomon"  # truncated distances are multiples of 0.1
    cost = [[scaled(inst.dist(i, j)) for j in range(n)] for i in range(n)]
    travel = [[cost[i][j] if exact else scaled_up(inst.dist(i, j)) for j in range(n)] for i in range(n)]
    service = [scaled(v.service) for v in nodes]

    def cost_cb(a, b):
        return cost[manager.IndexToNode(a)][manager.IndexToNode(b)]

    def time_cb(a, b):
        i, j = manager.IndexToNode(a), manager.IndexToNode(b)
        return travel[i][j] + service[i]

    def demand_cb(a):
        return int(nodes[manager.IndexToNode(a)].demand)

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(cost_cb))
    if inst.kind == "lilim":
        routing.SetFixedCostOfAllVehicles(VEHICLE_COST)

    # Time dimension: cumul = start of service; slack = waiting.
    horizon = scaled(max(v.late for v in nodes))
    routing.AddDimension(routing.RegisterTransitCallback(time_cb), horizon, horizon, False, "Time")
    tdim = routing.GetDimensionOrDie("Time")
    for v in nodes:
        if v.id not in (inst.start_depot, inst.end_depot):
            tdim.CumulVar(manager.NodeToIndex(v.id)).SetRange(scaled(v.early), scaled(v.late))
    s_dep, e_dep = nodes[inst.start_depot], nodes[inst.end_depot]
    for veh in range(k):
        tdim.CumulVar(routing.Start(veh)).SetRange(scaled(s_dep.early), scaled(s_dep.late))
        tdim.CumulVar(routing.End(veh)).SetRange(scaled(e_dep.early), scaled(e_dep.late))
        if inst.max_duration is not None:  # DARP: B_end - B_start <= T
            tdim.SetSpanUpperBoundForVehicle(scaled(inst.max_duration), veh)
        # Final schedule: leave as late and return as early as possible.
        routing.AddVariableMaximizedByFinalizer(tdim.CumulVar(routing.Start(veh)))
        routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.End(veh)))

    # Capacity: load within [0, Q] along the route.
    routing.AddDimensionWithVehicleCapacity(
        routing.RegisterUnaryTransitCallback(demand_cb), 0, [int(inst.capacity)] * k, True, "Capacity"
    )

    # Pickup and delivery pairs: same vehicle, pickup first, DARP ride time.
    for p, d in inst.pairs.items():
        pi, di = manager.NodeToIndex(p), manager.NodeToIndex(d)
        routing.AddPickupAndDelivery(pi, di)
        solver.Add(routing.VehicleVar(pi) == routing.VehicleVar(di))
        solver.Add(tdim.CumulVar(pi) <= tdim.CumulVar(di))
        if inst.max_ride is not None:  # B_d - (B_p + d_p) <= L
            solver.Add(tdim.CumulVar(di) - tdim.CumulVar(pi) <= scaled(inst.max_ride + nodes[p].service))

    if allow_drop:
        for c in inst.customers:
            routing.AddDisjunction([manager.NodeToIndex(c)], DROP_PENALTY)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = FIRST_SOLUTION[first_solution]
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(time_limit * 1000))

    sol = routing.SolveWithParameters(params)
    if sol is None:
        return None
    routes = []
    for veh in range(k):
        idx, route = sol.Value(routing.NextVar(routing.Start(veh))), []
        while not routing.IsEnd(idx):
            route.append(manager.IndexToNode(idx))
            idx = sol.Value(routing.NextVar(idx))
        if route:
            routes.append(route)
    if sum(map(len, routes)) != len(inst.customers):  # nodes were dropped
        return None
    return routes


def markdown_summary(set_name: str, rows: list[dict], bks: dict, time_limit: float,
                     first_solution: str, allow_drop: bool) -> str:
    out = [
        f"### OR-Tools {ORTOOLS_VERSION} on {set_name}, {time_limit:g} s per instance, 1 thread",
        "",
        f"First solution {first_solution}, GUIDED_LOCAL_SEARCH, "
        f"node dropping {'on' if allow_drop else 'off'}.",
        "",
        "| instance | cost | vehicles | BKS | BKS veh | gap % | s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        b = bks.get(r["instance"])
        bv = b.vehicles if b and b.vehicles is not None else ""
        out.append(
            f"| {r['instance']} | {r['cost'] or 'unsolved'} | {r['vehicles']} | {b.cost if b else ''} "
            f"| {bv} | {r['gap_pct']} | {r['seconds']} |"
        )
    solved = [r for r in rows if r["feasible"] == "yes"]
    gaps = [float(r["gap_pct"]) for r in solved if r["gap_pct"] != ""]
    out += ["", f"* instances: {len(rows)}, solved: {len(solved)}, unsolved: {len(rows) - len(solved)}"]
    if gaps:
        label = " (any vehicle count)" if set_name == "lilim" else ""
        out.append(f"* mean gap over solved instances{label}: {statistics.mean(gaps):.2f} %")
    if set_name == "lilim":
        at_bks = [
            r for r in solved
            if r["instance"] in bks and bks[r["instance"]].vehicles is not None
            and int(r["vehicles"]) <= bks[r["instance"]].vehicles
        ]
        out.append(f"* instances at the BKS vehicle count (or fewer): {len(at_bks)} of {len(rows)}")
        if at_bks:
            g = statistics.mean(float(r["gap_pct"]) for r in at_bks)
            out.append(f"* mean distance gap on those: {g:.2f} %")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", required=True, choices=sorted(I.SETS))
    ap.add_argument("--time-limit", required=True, type=float, help="seconds per instance")
    ap.add_argument("--out-dir", required=True, type=Path)
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run only these instances")
    ap.add_argument("--benchmarks", type=Path, default=I.DEFAULT_BENCHMARKS)
    ap.add_argument("--first-solution", choices=sorted(FIRST_SOLUTION),
                    help="first-solution strategy (default: LOCAL_CHEAPEST_INSERTION for DARP, "
                         "PARALLEL_CHEAPEST_INSERTION otherwise)")
    ap.add_argument("--allow-drop", action=argparse.BooleanOptionalAction,
                    help="let the search drop nodes at a huge penalty; a result that drops "
                         "nodes counts as unsolved (default: on for DARP, off otherwise)")
    args = ap.parse_args()
    default_fs, default_drop = DEFAULTS[I.set_kind(args.set)]
    first_solution = args.first_solution or default_fs
    allow_drop = default_drop if args.allow_drop is None else args.allow_drop

    bks = I.read_bks(args.set, args.benchmarks)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    fields = ["instance", "cost", "vehicles", "feasible", "gap_pct", "seconds"]
    rows = []
    with open(args.out_dir / "ortools.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for path in I.select(args.set, args.benchmarks, args.only):
            inst = I.load_instance(args.set, path)
            t0 = time.perf_counter()
            routes = solve(inst, args.time_limit, first_solution, allow_drop)
            seconds = time.perf_counter() - t0
            row = {"instance": inst.name, "cost": "", "vehicles": "", "feasible": "no",
                   "gap_pct": "", "seconds": f"{seconds:.2f}"}
            sol_file = args.out_dir / f"{inst.name}.json"
            sol_file.unlink(missing_ok=True)  # no stale solution from an earlier run
            if routes is not None:
                cost = inst.solution_cost(routes)  # exact, under the set's convention
                sol = {"instance": inst.name, "cost": cost, "vehicles": len(routes), "routes": routes}
                sol_file.write_text(json.dumps(sol) + "\n")
                row.update(cost=f"{cost:.4f}", vehicles=len(routes), feasible="yes")
                if inst.name in bks:
                    b = bks[inst.name].cost
                    row["gap_pct"] = f"{100 * (cost - b) / b:.2f}".replace("-0.00", "0.00")
            rows.append(row)
            writer.writerow(row)
            f.flush()
            print(f"{inst.name}: {row['cost'] or 'unsolved'} ({row['vehicles'] or '-'} veh), "
                  f"gap {row['gap_pct'] or '-'} %, {row['seconds']} s", file=sys.stderr)
    print(markdown_summary(args.set, rows, bks, args.time_limit, first_solution, allow_drop))
    return 0


if __name__ == "__main__":
    sys.exit(main())
