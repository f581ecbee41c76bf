#!/usr/bin/env python3
"""giro and a peer solver side by side on one benchmark set, in one run.

The peer is OR-Tools (ortools_bench.py, every set) or PyVRP (pyvrp_bench.py,
Solomon and Li & Lim). Both solvers get the same time limit per instance and one
thread each; they run at the same time, one per core. Every solution file of
both is then verified by the outside checker, and a table compares the two.

    python3 benches/compare.py --set darp-a --time-limit 10 [--peer ortools|pyvrp]
        [--only a2-16 ...] [--out DIR] [--giro PATH] [--benchmarks ROOT]

--benchmarks reads another root laid out like the shared one, e.g. the large
instances of benches/generate.py; with no best-known values there, the table
compares the two costs directly. Peak memory is each process's over its run.

Without --giro it builds target/release/giro with cargo first.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def read_csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="") as f:
        return {row["instance"]: row for row in csv.DictReader(f)}


def check(set_name: str, folder: Path, names: list[str], benchmarks: list[str]) -> dict[str, bool]:
    """Runs the outside checker; returns instance -> passed."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "benches/check_solutions.py"), "--set", set_name,
         "--dir", str(folder), *benchmarks, "--only", *names],
        capture_output=True, text=True,
    )
    passed = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] in names and len(parts) > 1:
            passed[parts[0]] = parts[1] == "yes"
    return passed


# Peer name -> (label, script, CSV file name, sets it solves, takes --seed).
PEERS = {
    "ortools": ("OR-Tools", "ortools_bench.py", "ortools.csv", {"darp-a", "darp-pr", "solomon", "lilim"}, False),
    "pyvrp": ("PyVRP", "pyvrp_bench.py", "pyvrp.csv", {"solomon", "lilim"}, True),
}


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", required=True, choices=["darp-a", "darp-pr", "solomon", "lilim"])
    ap.add_argument("--time-limit", required=True, type=float)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", nargs="+", default=[])
    ap.add_argument("--out", type=Path, default=ROOT / "bench-out")
    ap.add_argument("--peer", choices=sorted(PEERS), default="ortools", help="peer solver (default ortools)")
    ap.add_argument("--giro", type=Path, help="giro binary to run (default: cargo build --release)")
    ap.add_argument("--benchmarks", type=Path, help="benchmarks root (default: the shared one)")
    args = ap.parse_args()
    root = ["--benchmarks", str(args.benchmarks)] if args.benchmarks else []
    giro_env = dict(os.environ, **({"GIRO_BENCHMARKS": str(args.benchmarks)} if args.benchmarks else {}))
    label, script, csv_name, peer_sets, peer_seed = PEERS[args.peer]
    if args.set not in peer_sets:
        ap.error(f"--peer {args.peer} solves only {', '.join(sorted(peer_sets))}")

    giro_dir = args.out / f"giro-{args.set}"
    peer_dir = args.out / f"{args.peer}-{args.set}"
    giro_bin = args.giro
    if giro_bin is None:
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
        giro_bin = ROOT / "target/release/giro"
    only_giro = [x for name in args.only for x in ("--only", name)]
    giro = subprocess.Popen(
        [str(giro_bin), "bench", args.set, "--time-limit", str(args.time_limit),
         "--seed", str(args.seed), "--out", str(giro_dir), *only_giro],
        stdout=subprocess.DEVNULL, env=giro_env,
    )
    peer = subprocess.Popen(
        [sys.executable, str(ROOT / "benches" / script), "--set", args.set,
         "--time-limit", str(args.time_limit), "--out-dir", str(peer_dir),
         *(["--seed", str(args.seed)] if peer_seed else []), *root,
         *(["--only", *args.only] if args.only else [])],
        stdout=subprocess.DEVNULL,
    )
    if giro.wait() != 0 or peer.wait() != 0:
        print("a solver run failed", file=sys.stderr)
        return 1

    g = read_csv(giro_dir / f"{args.set}.csv")
    o = read_csv(peer_dir / csv_name)
    names = list(g)
    g_ok = check(args.set, giro_dir, names, root)
    o_solved = [n for n in names if o.get(n, {}).get("cost")]
    o_ok = check(args.set, peer_dir, o_solved, root) if o_solved else {}
    if not any(g[n]["gap_pct"] for n in names):
        return cost_table(args, label, names, g, o, g_ok, o_ok)

    print(f"## {args.set}: giro vs {label}, {args.time_limit:g} s per instance, 1 thread each\n")
    print(f"| instance | giro cost | giro veh | giro gap % | checked | {label} cost | {label} veh "
          f"| {label} gap % | checked |")
    print("|---|---|---|---|---|---|---|---|---|")
    g_gaps, o_gaps = [], []
    for n in names:
        gr, orow = g[n], o.get(n, {})
        g_gaps.append(float(gr["gap_pct"]))
        og = orow.get("gap_pct") or ""
        if og:
            o_gaps.append(float(og))
        o_cost = f"{float(orow['cost']):.2f}" if orow.get("cost") else "unsolved"
        o_veh = orow.get("vehicles", "") if og else ""
        o_gap = f"{float(og):.2f}" if og else ""
        o_chk = ("yes" if o_ok.get(n) else "NO") if og else "-"
        g_chk = "yes" if g_ok.get(n) else "NO"
        print(f"| {n} | {float(gr['cost']):.2f} | {gr['vehicles']} | {float(gr['gap_pct']):.2f} | {g_chk} "
              f"| {o_cost} | {o_veh} | {o_gap} | {o_chk} |")
    print()
    print(f"- giro: mean gap {mean(g_gaps):.2f}% over {len(g_gaps)} instances, "
          f"{sum(g_ok.values())}/{len(names)} pass the outside checker")
    print(f"- {label}: mean gap {mean(o_gaps):.2f}% over {len(o_gaps)} solved, "
          f"{len(names) - len(o_gaps)} unsolved, {sum(o_ok.values())}/{len(o_solved)} solved pass the outside checker")
    if args.set == "lilim":
        for who, rows in (("giro", g), (label, o)):
            hit = [n for n in names if rows.get(n, {}).get("gap_pct") and
                   int(rows[n]["vehicles"]) <= (bks_vehicles(n) or 10**9)]
            print(f"- {who}: BKS vehicle count on {len(hit)}/{len(names)}, mean gap on those "
                  f"{mean([float(rows[n]['gap_pct']) for n in hit]):.2f}%")
    return 0 if all(g_ok.get(n) for n in names) else 1


def cost_table(args, label: str, names: list[str], g: dict, o: dict, g_ok: dict, o_ok: dict) -> int:
    """Instances without best-known values: the two costs side by side."""
    print(f"## {args.set} ({args.benchmarks}): giro vs {label}, {args.time_limit:g} s per instance, "
          "1 thread each\n")
    print(f"| instance | giro cost | giro veh | checked | {label} cost | {label} veh | checked | giro / {label} |")
    print("|---|---|---|---|---|---|---|---|")
    ratios = []
    for n in names:
        gr, orow = g[n], o.get(n, {})
        g_chk = "yes" if g_ok.get(n) else "NO"
        if orow.get("cost"):
            ratio = float(gr["cost"]) / float(orow["cost"])
            ratios.append(ratio)
            peer = f"{float(orow['cost']):.2f} | {orow['vehicles']} | {'yes' if o_ok.get(n) else 'NO'} | {ratio:.4f}"
        else:
            peer = "unsolved | | - |"
        print(f"| {n} | {float(gr['cost']):.2f} | {gr['vehicles']} | {g_chk} | {peer} |")
    print()
    g_peak = max((float(r["peak_mib"]) for r in g.values() if r.get("peak_mib")), default=float("nan"))
    o_peak = max((float(r["peak_mib"]) for r in o.values() if r.get("peak_mib")), default=float("nan"))
    print(f"- giro: {sum(g_ok.values())}/{len(names)} pass the outside checker; peak memory {g_peak:.0f} MiB")
    print(f"- {label}: {len(ratios)}/{len(names)} solved, {sum(o_ok.values())} pass the outside checker; "
          f"peak memory {o_peak:.0f} MiB")
    print(f"- mean cost ratio giro / {label} on instances both solved: {mean(ratios):.4f}")
    return 0 if all(g_ok.get(n) for n in names) else 1


def bks_vehicles(name: str) -> int | None:
    sys.path.insert(0, str(ROOT / "benches"))
    import instances  # noqa: E402

    row = instances.read_bks("lilim").get(name)
    return None if row is None else row.vehicles


if __name__ == "__main__":
    sys.exit(main())
