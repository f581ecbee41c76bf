#!/usr/bin/env python3
"""Two promises of the solver, measured from outside the process.

Determinism: for a seed and an iteration budget (and a time limit that does
not bind), two runs give byte-identical solution files.

    python3 benches/determinism.py same --set SET --iterations N [--seed S]

The time limit: each instance solved by `giro solve` in its own process,
timed by this script's clock from start to exit (reading the file and the
distance matrix included), against the limit.

    python3 benches/determinism.py limit --set SET --time-limit T

Both take --giro BIN (default: a release build), --benchmarks ROOT (default:
the shared set), --only NAME... and print a Markdown summary; `same` exits 1
if any file differs, `limit` if any run exceeds the limit by more than 10%
or fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benches"))
import instances  # noqa: E402

FORMATS = {"darp": "cordeau", "solomon": "solomon", "lilim": "lilim"}
# A run may overshoot its limit by this fraction (the promise).
SLACK = 0.10


def giro_binary(given: Path | None) -> Path:
    if given is not None:
        return given
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    return ROOT / "target/release/giro"


def same(args, giro: Path, env: dict) -> int:
    only = [x for name in args.only for x in ("--only", name)]
    with tempfile.TemporaryDirectory() as tmp:
        outs = [Path(tmp) / "first", Path(tmp) / "second"]
        for out in outs:
            subprocess.run(
                [str(giro), "bench", args.set, "--iterations", str(args.iterations),
                 "--time-limit", "100000", "--seed", str(args.seed), "--out", str(out), *only],
                stdout=subprocess.DEVNULL, env=env, check=True,
            )
        names = sorted(p.name for p in outs[0].glob("*.json"))
        differ = [n for n in names if (outs[0] / n).read_bytes() != (outs[1] / n).read_bytes()]
    print(f"## {args.set}: two runs, seed {args.seed}, {args.iterations} iterations each\n")
    print(f"- {len(names) - len(differ)}/{len(names)} solution files byte-identical")
    if differ:
        print(f"- differ: {', '.join(differ)}")
    return 1 if differ or not names else 0


def limit(args, giro: Path) -> int:
    kind = instances.set_kind(args.set)
    paths = instances.select(args.set, args.benchmarks, args.only or None)
    print(f"## {args.set}: `giro solve` per instance, {args.time_limit:g} s limit, wall clock from outside\n")
    print("| instance | seconds | over the limit |")
    print("|---|---|---|")
    worst, failed, ratios = 0.0, [], []
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            began = time.monotonic()
            run = subprocess.run(
                [str(giro), "solve", "--format", FORMATS[kind], str(path),
                 "--time-limit", str(args.time_limit), "--seed", str(args.seed),
                 "--out", str(Path(tmp) / f"{path.stem}.json")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            took = time.monotonic() - began
            if run.returncode != 0:
                failed.append(path.stem)
            ratio = took / args.time_limit
            ratios.append(ratio)
            worst = max(worst, ratio)
            print(f"| {path.stem} | {took:.2f} | {100 * (ratio - 1):+.1f}% |")
    print()
    print(f"- {len(paths)} runs, mean {100 * (sum(ratios) / len(ratios) - 1):+.1f}%, "
          f"worst {100 * (worst - 1):+.1f}% against the limit (allowed +{100 * SLACK:.0f}%)")
    if failed:
        print(f"- failed: {', '.join(failed)}")
    return 1 if failed or worst > 1 + SLACK else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    for name in ("same", "limit"):
        p = sub.add_parser(name)
        p.add_argument("--set", required=True, choices=sorted(instances.SETS))
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--only", nargs="+", default=[])
        p.add_argument("--giro", type=Path)
        p.add_argument("--benchmarks", type=Path, default=instances.DEFAULT_BENCHMARKS)
        if name == "same":
            p.add_argument("--iterations", type=int, required=True)
        else:
            p.add_argument("--time-limit", type=float, required=True)
    args = ap.parse_args()
    giro = giro_binary(args.giro)
    if args.what == "same":
        env = dict(os.environ, GIRO_BENCHMARKS=str(args.benchmarks))
        return same(args, giro, env)
    return limit(args, giro)


if __name__ == "__main__":
    sys.exit(main())
