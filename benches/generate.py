#!/usr/bin/env python3
"""Large generated instances in the public formats, for scale runs.

Writes a benchmarks root that giro (GIRO_BENCHMARKS=ROOT) and the peer scripts
(--benchmarks ROOT) read exactly like the shared one:

    ROOT/vrptw/solomon/<name>.txt   Solomon format (Gehring & Homberger style)
    ROOT/pdptw/lilim/<name>.txt     Li & Lim format (pickup-delivery pairs)
    ROOT/*/bks.csv                  header only: no best-known values

    python3 benches/generate.py --out /tmp/big [--customers 1000] [--seed 1]

The instances follow the families' recipes: customers random (r), clustered
(c) or half and half (rc); type 1 has a short day and narrow windows, type 2 a
long day and wide ones. Every customer can be served alone by a vehicle
leaving the depot at time 0 and back before the depot closes (a Li & Lim
pair too long for the day gets another delivery point), so every instance is
feasible with enough vehicles; the fleet is capped at 250 (type 1,
as Gehring & Homberger's 1000-customer sets) or 50 (type 2).
"""

from __future__ import annotations

import argparse
import math
import random
from pathlib import Path

BKS_HEADER = "instance,bks_cost,bks_vehicles,objective_note,source,status\n"
SIDE = 200.0
SERVICE = 10
FAMILIES = ["r1", "c1", "rc1", "r2", "c2", "rc2"]


def points(kind: str, n: int, rng: random.Random) -> list[tuple[float, float]]:
    """Customer coordinates: uniform, around cluster centres, or both."""
    centres = [(rng.uniform(20, SIDE - 20), rng.uniform(20, SIDE - 20)) for _ in range(max(1, n // 40))]

    def clustered() -> tuple[float, float]:
        cx, cy = rng.choice(centres)
        return (min(SIDE, max(0.0, rng.gauss(cx, 6))), min(SIDE, max(0.0, rng.gauss(cy, 6))))

    def uniform() -> tuple[float, float]:
        return (rng.uniform(0, SIDE), rng.uniform(0, SIDE))

    if kind == "r":
        return [uniform() for _ in range(n)]
    if kind == "c":
        return [clustered() for _ in range(n)]
    return [clustered() if i % 2 else uniform() for i in range(n)]


def day(family: str) -> tuple[int, tuple[int, int], int]:
    """Horizon, window half-width range and vehicle capacity of a family."""
    if family.endswith("1"):
        return 480, (10, 40), 200
    return 2000, (60, 240), 1000


def window(d0: float, horizon: int, half: tuple[int, int], rng: random.Random) -> tuple[int, int]:
    """A window reachable from the depot whose service ends in time to go back."""
    latest = int(horizon - d0 - SERVICE)
    earliest = math.ceil(d0)
    centre = rng.randint(earliest, max(earliest, latest))
    h = rng.randint(*half)
    return max(0, centre - h), max(earliest, min(latest, centre + h))


def solomon(name: str, family: str, n: int, rng: random.Random) -> str:
    horizon, half, capacity = day(family)
    depot = (SIDE / 2, SIDE / 2)
    vehicles = 250 if family.endswith("1") else 50
    lines = [name, "", "VEHICLE", "NUMBER     CAPACITY", f"  {vehicles}         {capacity}", "",
             "CUSTOMER", "CUST NO.   XCOORD.    YCOORD.    DEMAND  READY TIME   DUE DATE   SERVICE TIME", ""]
    lines.append(f"    0   {depot[0]:.0f}   {depot[1]:.0f}   0   0   {horizon}   0")
    for i, (x, y) in enumerate(points(family.rstrip("12"), n, rng), start=1):
        x, y = round(x), round(y)
        d0 = math.hypot(x - depot[0], y - depot[1])
        ready, due = window(d0, horizon, half, rng)
        lines.append(f"    {i}   {x}   {y}   {rng.randint(1, 30)}   {ready}   {due}   {SERVICE}")
    return "\r\n".join(lines) + "\r\n"


def lilim(name: str, family: str, n: int, rng: random.Random) -> str:
    """n stops: n/2 pairs; the delivery's window opens after the pickup's can be served."""
    horizon, half, capacity = day(family)
    depot = (SIDE / 2, SIDE / 2)
    vehicles = 250 if family.endswith("1") else 50
    pts = [(round(x), round(y)) for x, y in points(family.rstrip("12"), n, rng)]

    def latest_pickup(a: tuple[int, int], b: tuple[int, int]) -> int:
        """The pickup at `a` must leave room for the trip to `b` and home."""
        to_a, home = math.hypot(a[0] - depot[0], a[1] - depot[1]), math.hypot(b[0] - depot[0], b[1] - depot[1])
        return int(horizon - to_a - SERVICE - math.hypot(a[0] - b[0], a[1] - b[1]) - SERVICE - home) - 1

    def fits(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return latest_pickup(a, b) >= math.ceil(math.hypot(a[0] - depot[0], a[1] - depot[1]))

    # A pair too long for the day is no pair: its delivery changes places
    # with a later point that makes both ends fit (the points stay the same).
    for k in range(n // 2):
        a = 2 * k
        if not fits(pts[a], pts[a + 1]):
            later = [j for j in range(a + 2, n) if fits(pts[a], pts[j]) and
                     (j % 2 == 1 or fits(pts[a + 1], pts[j + 1]))]
            j = rng.choice(later)
            pts[a + 1], pts[j] = pts[j], pts[a + 1]
    rows = [f"0\t{depot[0]:.0f}\t{depot[1]:.0f}\t0\t0\t{horizon}\t0\t0\t0"]
    for k in range(n // 2):
        p, d = 2 * k + 1, 2 * k + 2
        (px, py), (dx, dy) = pts[2 * k], pts[2 * k + 1]
        dp = math.hypot(px - depot[0], py - depot[1])
        dd = math.hypot(dx - depot[0], dy - depot[1])
        direct = math.hypot(px - dx, py - dy)
        p_latest = latest_pickup(pts[2 * k], pts[2 * k + 1])
        assert p_latest >= math.ceil(dp), "every pair can be served alone"
        h = rng.randint(*half)
        pc = rng.randint(math.ceil(dp), p_latest)
        p_ready, p_due = max(0, pc - h), max(math.ceil(dp), min(p_latest, pc + h))
        d_earliest = math.ceil(p_ready + SERVICE + direct)
        d_latest = int(horizon - dd - SERVICE)
        dc = rng.randint(d_earliest, max(d_earliest, d_latest))
        d_ready, d_due = max(d_earliest, dc - h), max(math.ceil(p_due + SERVICE + direct), min(d_latest, dc + h))
        q = rng.randint(1, 30)
        rows.append(f"{p}\t{px}\t{py}\t{q}\t{p_ready}\t{p_due}\t{SERVICE}\t0\t{d}")
        rows.append(f"{d}\t{dx}\t{dy}\t{-q}\t{d_ready}\t{d_due}\t{SERVICE}\t{p}\t0")
    return "\r\n".join([f"{vehicles}\t{capacity}\t1"] + rows) + "\r\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path, help="benchmarks root to write")
    ap.add_argument("--customers", type=int, default=1000, help="stops per instance (even)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--families", nargs="+", default=FAMILIES, choices=FAMILIES)
    args = ap.parse_args()
    n = args.customers - args.customers % 2
    for folder, prefix, write in (("vrptw/solomon", "", solomon), ("pdptw/lilim", "l", lilim)):
        d = args.out / folder
        d.mkdir(parents=True, exist_ok=True)
        (d / "bks.csv").write_text(BKS_HEADER)
        for family in args.families:
            name = f"{prefix}{family}_{n}"
            rng = random.Random(f"{args.seed}:{name}")
            (d / f"{name}.txt").write_text(write(name, family, n, rng), newline="")
    print(f"wrote {len(args.families)} Solomon-format and {len(args.families)} Li & Lim-format "
          f"instances of {n} stops under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
