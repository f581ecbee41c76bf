#!/usr/bin/env python3
"""Run PyVRP (iterated local search) on the Solomon or Li & Lim set, as a peer.

Usage:
    python3 benches/pyvrp_bench.py --set solomon|lilim --time-limit SECS --out-dir DIR
        [--only NAME ...] [--seed N] [--benchmarks PATH]

One instance at a time; PyVRP is single-threaded. For each instance it writes
DIR/<instance>.json (format read by check_solutions.py) and a row of
DIR/pyvrp.csv (instance,cost,vehicles,feasible,gap_pct,seconds); at the end it
prints a Markdown summary. Progress lines go to stderr. The search stops after
--time-limit seconds (pyvrp.stop.MaxRuntime); `seconds` also counts building
the model.

PyVRP works on integers, so distances and times are scaled:

* Solomon: x10. The set's distance (= travel time) is floor(10*d)/10, so x10 is
  exact: PyVRP optimises the very objective of bks.csv (distance only, no
  vehicle cost) under the very time convention the checker uses.
* Li & Lim: x1000. Arc cost = distance*1000 rounded; travel time =
  distance*1000 rounded UP, so every schedule PyVRP accepts is also feasible
  with exact double-precision times. Pickup-delivery pairs are PyVRP shipments
  (same route, pickup first, load within [0, Q]). The hierarchical objective
  (vehicles first) is a fixed cost per used vehicle larger than any solution's
  total scaled distance can be: (customers + K) * longest arc + 1.

Windows, service times and demands are integers in both sets, hence exact.
Reported costs are recomputed from the routes in double precision under the
set's convention (instances.py), never taken from PyVRP's scaled objective.
"""

from __future__ import annotations

import argparse
import csv
import resource
import json
import math
import statistics
import sys
import time
from importlib.metadata import version
from pathlib import Path

import pyvrp
from pyvrp.stop import MaxRuntime

sys.path.insert(0, str(Path(__file__).resolve().parent))
import instances as I  # noqa: E402

PYVRP_VERSION = version("pyvrp")
SCALE = {"solomon": 10, "lilim": 1000}  # distances and times -> integers
SETS = ("solomon", "lilim")


def scaled(v: float, scale: int) -> int:
    return int(round(v * scale))


def scaled_up(v: float, scale: int) -> int:
    """Round up (a hair of slack absorbs float noise on exact values)."""
    return int(math.ceil(v * scale - 1e-7))


def exact_int(v: float, what: str) -> int:
    """A value the scaling relies on being integral (windows, services, demands)."""
    if not float(v).is_integer():
        raise ValueError(f"{what} {v} is not an integer; the scaling would not be exact")
    return int(v)


def build(inst: I.Instance) -> tuple[pyvrp.Model, list[int], list[tuple[int, int]]]:
    """PyVRP model of one instance.

    Returns the model, the node id of each client (Solomon) and the
    (pickup, delivery) node ids of each shipment (Li & Lim), in PyVRP's order.
    """
    scale = SCALE[inst.kind]
    nodes, n = inst.nodes, len(inst.nodes)
    m = pyvrp.Model()
    locs = [m.add_location(v.x, v.y, name=str(v.id)) for v in nodes]
    dep = nodes[inst.start_depot]
    depot = m.add_depot(locs[dep.id], tw_early=scaled(dep.early, scale), tw_late=scaled(dep.late, scale))

    exact = inst.kind == "solomon"  # truncated distances are multiples of 0.1
    longest = 0
    for i in range(n):
        for j in range(n):
            d = inst.dist(i, j)
            cost = scaled(d, scale)
            longest = max(longest, cost)
            m.add_edge(locs[i], locs[j], distance=cost, duration=cost if exact else scaled_up(d, scale))

    fixed_cost = 0
    if inst.kind == "lilim":  # hierarchical: one vehicle less beats any distance
        fixed_cost = (len(inst.customers) + inst.vehicles) * longest + 1
    m.add_vehicle_type(
        num_available=inst.vehicles, capacity=exact_int(inst.capacity, "capacity"),
        start_depot=depot, end_depot=depot, fixed_cost=fixed_cost,
        tw_early=scaled(dep.early, scale), tw_late=scaled(dep.late, scale),
    )

    def window(v: I.Node) -> dict:
        return {"tw_early": scale * exact_int(v.early, "window"), "tw_late": scale * exact_int(v.late, "window")}

    def service(v: I.Node) -> int:
        return scale * exact_int(v.service, "service time")

    clients, shipments = [], []
    if inst.kind == "solomon":
        for c in inst.customers:
            v = nodes[c]
            m.add_client(locs[c], delivery=exact_int(v.demand, "demand"), service_duration=service(v),
                         name=str(c), **window(v))
            clients.append(c)
    else:
        for p, d in sorted(inst.pairs.items()):
            vp, vd = nodes[p], nodes[d]
            if vd.demand != -vp.demand:
                raise ValueError(f"{inst.name}: pair {p}->{d} loads {vp.demand} but unloads {-vd.demand}")
            m.add_shipment(
                locs[p], locs[d],
                pickup_tw_early=window(vp)["tw_early"], pickup_tw_late=window(vp)["tw_late"],
                pickup_service_duration=service(vp),
                delivery_tw_early=window(vd)["tw_early"], delivery_tw_late=window(vd)["tw_late"],
                delivery_service_duration=service(vd),
                amount=exact_int(vp.demand, "demand"), name=f"{p}-{d}",
            )
            shipments.append((p, d))
        if len(shipments) * 2 != len(inst.customers):
            raise ValueError(f"{inst.name}: some tasks are not in a pickup-delivery pair")
    return m, clients, shipments


def solve(inst: I.Instance, time_limit: float, seed: int) -> list[list[int]] | None:
    """Routes (node ids, depots excluded) of PyVRP's best solution, or None."""
    model, clients, shipments = build(inst)
    res = model.solve(MaxRuntime(time_limit), seed=seed, collect_stats=False, display=False)
    best = res.best
    if not best.is_feasible() or not best.is_complete():
        return None
    kind = pyvrp.ActivityType
    routes = []
    for route in best.routes():
        ids = []
        for act in route:
            if act.type == kind.CLIENT:
                ids.append(clients[act.idx])
            elif act.type == kind.PICKUP:
                ids.append(shipments[act.idx][0])
            elif act.type == kind.DELIVERY:
                ids.append(shipments[act.idx][1])
        if ids:
            routes.append(ids)
    return routes


def markdown_summary(set_name: str, rows: list[dict], bks: dict, time_limit: float, seed: int) -> str:
    scale = SCALE[set_name]
    out = [
        f"### PyVRP {PYVRP_VERSION} on {set_name}, {time_limit:g} s per instance, 1 thread, seed {seed}",
        "",
        f"Distances and times x{scale}"
        + (" (exact)." if set_name == "solomon" else ", travel times rounded up; fixed cost per vehicle."),
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


def peak_mib() -> float:
    """The process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", required=True, choices=SETS)
    ap.add_argument("--time-limit", required=True, type=float, help="seconds per instance")
    ap.add_argument("--out-dir", required=True, type=Path)
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run only these instances")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--benchmarks", type=Path, default=I.DEFAULT_BENCHMARKS)
    args = ap.parse_args()
    if args.set == "lilim" and not hasattr(pyvrp.Model, "add_shipment"):
        raise SystemExit(f"PyVRP {PYVRP_VERSION} has no pickup-delivery shipments; "
                         "install the version in benches/requirements.txt")

    bks = I.read_bks(args.set, args.benchmarks)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    fields = ["instance", "cost", "vehicles", "feasible", "gap_pct", "seconds", "peak_mib"]
    rows = []
    with open(args.out_dir / "pyvrp.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for path in I.select(args.set, args.benchmarks, args.only):
            inst = I.load_instance(args.set, path)
            t0 = time.perf_counter()
            routes = solve(inst, args.time_limit, args.seed)
            seconds = time.perf_counter() - t0
            row = {"instance": inst.name, "cost": "", "vehicles": "", "feasible": "no",
                   "gap_pct": "", "seconds": f"{seconds:.2f}", "peak_mib": f"{peak_mib():.1f}"}
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
    print(markdown_summary(args.set, rows, bks, args.time_limit, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
