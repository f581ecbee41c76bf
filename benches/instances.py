"""Shared parsing of the public benchmark sets (see shared/benchmarks/README.md).

Three formats are read into one plain `Instance` structure:

* Cordeau DARP (a-set and pr-set): kind "darp"
* Solomon VRPTW:                   kind "solomon"
* Li & Lim PDPTW:                  kind "lilim"

Node ids are the ids of the instance file. Distance conventions:

* DARP and Li & Lim: Euclidean, double precision, not rounded.
* Solomon: each arc truncated to one decimal, floor(10*d)/10 (DIMACS/Kohl),
  used as both distance and travel time.

Travel time always equals distance.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

# Default benchmarks folder: <repo>/../shared/benchmarks.
DEFAULT_BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"

# Set name -> (kind, folder relative to the benchmarks root, file-name pattern).
SETS = {
    "darp-a": ("darp", "darp", re.compile(r"^a\d+-\d+\.txt$")),
    "darp-pr": ("darp", "darp", re.compile(r"^pr\d+\.txt$")),
    # `_<stops>` names the large generated instances (benches/generate.py).
    "solomon": ("solomon", "vrptw/solomon", re.compile(r"^(c|r|rc)\d+(_\d+)?\.txt$")),
    "lilim": ("lilim", "pdptw/lilim", re.compile(r"^(lc|lr|lrc)\d+(_\d+)?\.txt$")),
}

# Expected number of files per set (a sanity check against a wrong folder).
SET_SIZES = {"darp-a": 21, "darp-pr": 20, "solomon": 56, "lilim": 56}


@dataclass
class Node:
    id: int
    x: float
    y: float
    service: float
    demand: float  # load change (DARP, Li & Lim) or customer demand (Solomon)
    early: float  # window for the start of service
    late: float


@dataclass
class Instance:
    name: str
    kind: str  # "darp" | "solomon" | "lilim"
    nodes: list[Node]  # nodes[i].id == i
    start_depot: int
    end_depot: int  # == start_depot for Solomon and Li & Lim
    vehicles: int  # K: at most K routes
    capacity: float  # Q
    max_duration: float | None = None  # T (DARP only)
    max_ride: float | None = None  # L (DARP only)
    pairs: dict[int, int] = field(default_factory=dict)  # pickup -> delivery
    _dist: list[list[float]] | None = field(default=None, repr=False)

    @property
    def customers(self) -> list[int]:
        """All node ids that must be visited (everything but the depots)."""
        depots = {self.start_depot, self.end_depot}
        return [n.id for n in self.nodes if n.id not in depots]

    def dist(self, i: int, j: int) -> float:
        """Distance (= travel time) from node i to node j under the set's convention."""
        if self._dist is None:
            f = truncated_distance if self.kind == "solomon" else euclidean
            self._dist = [[f(a, b) for b in self.nodes] for a in self.nodes]
        return self._dist[i][j]

    def route_cost(self, route: list[int]) -> float:
        """Length of one route (depots excluded from `route`), depot legs included."""
        if not route:
            return 0.0
        path = [self.start_depot, *route, self.end_depot]
        return sum(self.dist(a, b) for a, b in zip(path, path[1:]))

    def solution_cost(self, routes: list[list[int]]) -> float:
        return sum(self.route_cost(r) for r in routes)


# ---------------------------------------------------------------- distances


def euclidean(a: Node, b: Node) -> float:
    return math.hypot(a.x - b.x, a.y - b.y)


def truncated_distance(a: Node, b: Node) -> float:
    """floor(10*d)/10; exact via integer sqrt when coordinates are integers."""
    dx, dy = a.x - b.x, a.y - b.y
    if float(dx).is_integer() and float(dy).is_integer():
        return math.isqrt(100 * int(dx * dx + dy * dy)) / 10.0
    return math.floor(10.0 * math.hypot(dx, dy)) / 10.0


# ---------------------------------------------------------------- parsers


def _rows(path: Path) -> list[list[str]]:
    """Whitespace-split non-empty lines (handles CRLF and tabs)."""
    return [line.split() for line in path.read_text().splitlines() if line.strip()]


def parse_darp(path: Path) -> Instance:
    """Cordeau format: header `K N T Q L`, then `id x y d q e l` per node.

    a-files: N = n requests, 2n+2 node lines (0..2n+1).
    pr-files: N = 2n nodes, 2n+1 node lines; the end depot 2n+1 is a copy of 0.
    """
    rows = _rows(path)
    k, big_n, t, q, l = rows[0][:5]
    big_n = int(big_n)
    body = rows[1:]
    nodes = [
        Node(int(r[0]), float(r[1]), float(r[2]), float(r[3]), float(r[4]), float(r[5]), float(r[6]))
        for r in body
    ]
    if len(body) == 2 * big_n + 2:  # a-file
        n = big_n
    elif len(body) == big_n + 1:  # pr-file: append the end depot
        n = big_n // 2
        d0 = nodes[0]
        nodes.append(Node(2 * n + 1, d0.x, d0.y, d0.service, d0.demand, d0.early, d0.late))
    else:
        raise ValueError(f"{path}: unexpected node count {len(body)} for N={big_n}")
    _check_ids(path, nodes)
    return Instance(
        name=path.stem,
        kind="darp",
        nodes=nodes,
        start_depot=0,
        end_depot=2 * n + 1,
        vehicles=int(k),
        capacity=float(q),
        max_duration=float(t),
        max_ride=float(l),
        pairs={i: n + i for i in range(1, n + 1)},
    )


def parse_solomon(path: Path) -> Instance:
    """Standard Solomon text: name, VEHICLE block (K Q), CUSTOMER table."""
    rows = _rows(path)
    i = next(idx for idx, r in enumerate(rows) if r[0].upper() == "VEHICLE")
    k, q = rows[i + 2][:2]
    j = next(idx for idx, r in enumerate(rows) if r[0].upper() == "CUSTOMER")
    # Data rows: all-numeric rows after the CUSTOMER header line(s).
    nodes = []
    for r in rows[j + 1 :]:
        if not _is_number(r[0]):
            continue
        cid, x, y, dem, e, l, s = r[:7]
        nodes.append(Node(int(cid), float(x), float(y), float(s), float(dem), float(e), float(l)))
    _check_ids(path, nodes)
    return Instance(
        name=path.stem, kind="solomon", nodes=nodes, start_depot=0, end_depot=0,
        vehicles=int(k), capacity=float(q),
    )


def parse_lilim(path: Path) -> Instance:
    """Li & Lim: header `K Q speed`, then `id x y demand e l service p d` per task."""
    rows = _rows(path)
    k, q = rows[0][:2]
    nodes, pairs = [], {}
    for r in rows[1:]:
        tid, x, y, dem, e, l, s, p, d = r[:9]
        nodes.append(Node(int(tid), float(x), float(y), float(s), float(dem), float(e), float(l)))
        if int(tid) != 0 and int(d) != 0:  # a pickup names its delivery
            pairs[int(tid)] = int(d)
    _check_ids(path, nodes)
    # Each delivery must name its pickup back.
    rev = {int(r[0]): int(r[7]) for r in rows[1:] if int(r[0]) != 0 and int(r[7]) != 0}
    if rev != {d: p for p, d in pairs.items()}:
        raise ValueError(f"{path}: pickup/delivery pairs are not symmetric")
    return Instance(
        name=path.stem, kind="lilim", nodes=nodes, start_depot=0, end_depot=0,
        vehicles=int(k), capacity=float(q), pairs=pairs,
    )


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _check_ids(path: Path, nodes: list[Node]) -> None:
    if [n.id for n in nodes] != list(range(len(nodes))):
        raise ValueError(f"{path}: node ids are not 0..{len(nodes) - 1} in order")


PARSERS = {"darp": parse_darp, "solomon": parse_solomon, "lilim": parse_lilim}


# ---------------------------------------------------------------- sets and BKS


def set_kind(set_name: str) -> str:
    return SETS[set_name][0]


def list_set(set_name: str, benchmarks: Path = DEFAULT_BENCHMARKS) -> list[Path]:
    """Instance files of a set, sorted by name."""
    _, folder, pattern = SETS[set_name]
    files = sorted(p for p in (Path(benchmarks) / folder).iterdir() if pattern.match(p.name))
    # A generated root (benches/generate.py) has its own number of files.
    expected = SET_SIZES[set_name] if Path(benchmarks) == DEFAULT_BENCHMARKS else None
    if not files or (expected and len(files) != expected):
        raise ValueError(f"{set_name}: expected {expected or 'some'} files, found {len(files)}")
    return files


def load_instance(set_name: str, path: Path) -> Instance:
    return PARSERS[set_kind(set_name)](Path(path))


def select(set_name: str, benchmarks: Path, only: list[str] | None) -> list[Path]:
    """Instance files of a set, restricted to the names in `only` if given."""
    files = list_set(set_name, benchmarks)
    if not only:
        return files
    by_name = {p.stem: p for p in files}
    unknown = [n for n in only if n not in by_name]
    if unknown:
        raise SystemExit(f"not in set {set_name}: {', '.join(unknown)}")
    return [by_name[n] for n in only]


@dataclass
class Bks:
    cost: float
    vehicles: int | None
    status: str


def read_bks(set_name: str, benchmarks: Path = DEFAULT_BENCHMARKS) -> dict[str, Bks]:
    """The set's bks.csv (Solomon: the distance-only file, truncated convention)."""
    _, folder, _ = SETS[set_name]
    out = {}
    with open(Path(benchmarks) / folder / "bks.csv", newline="") as f:
        for row in csv.DictReader(f):
            veh = row["bks_vehicles"].strip()
            out[row["instance"]] = Bks(float(row["bks_cost"]), int(veh) if veh else None, row["status"])
    return out
