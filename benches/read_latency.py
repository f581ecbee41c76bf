#!/usr/bin/env python3
"""Read latency of the API while a long solve runs in the background.

Why: `POST /api/v1/plans/{date}/solve` answers 202 and searches for tens of
seconds; dispatchers keep reading people, requests and the plan meanwhile. This
script shows, with figures, that those reads are not blocked by the solve. It
starts `giro demo` on a free port with a fresh SQLite file, times N sequential
reads while idle, the same N reads during a 30 s solve, then N reads from 4
concurrent clients, cancels the solve and prints a Markdown table. It asserts
correctness (every read 200, the solve still running after the reads), never
timings. Python standard library only.
"""
import argparse, datetime, json, math, os, shlex, shutil, signal, socket
import subprocess, sys, tempfile, threading, time, urllib.error, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGIN = {"email": "dispatcher@giro.demo", "password": "sestri-levante-demo"}


class Failure(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, path, cookie=None, body=None):
    """One request; returns (status, parsed JSON or None, headers)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method="GET" if body is None else "POST")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if cookie:
        req.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None), r.headers
    except urllib.error.HTTPError as e:
        return e.code, None, e.headers


def nearest_rank(sorted_ms, p):
    return sorted_ms[max(1, math.ceil(p / 100 * len(sorted_ms))) - 1]


def reads(label, base, cookie, paths, n, clients):
    """n GETs cycling over paths, split over `clients` threads that each read
    sequentially; returns [(ms, status)]. Any status but 200 is a Failure."""
    per_client = [[] for _ in range(clients)]

    def client(out):
        for i in range(n // clients):
            t0 = time.perf_counter()
            try:
                status = call(base, paths[i % len(paths)], cookie)[0]
            except OSError as e:
                status = f"error: {e}"
            out.append(((time.perf_counter() - t0) * 1000, status))

    threads = [threading.Thread(target=client, args=(out,)) for out in per_client]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    samples = [s for out in per_client for s in out]
    bad = [st for _, st in samples if st != 200]
    if bad:
        raise Failure(f"{label}: {len(bad)} of {len(samples)} reads were not 200 (e.g. {bad[0]})")
    return samples


def solve_status(base, cookie, date):
    status, body, _ = call(base, f"/api/v1/plans/{date}/solve", cookie)
    if status != 200:
        raise Failure(f"GET solve status answered {status}")
    return body["status"]


def run(args, tmp, rows, notes):
    port, date = free_port(), datetime.date.today().isoformat()
    base = f"http://127.0.0.1:{port}"
    cmd = [args.binary, "demo", "--database-url", f"sqlite://{tmp}/demo.db",
           "--bind", f"127.0.0.1:{port}", "--time-limit", str(args.demo_seconds)]
    notes.append(("server command", shlex.join(cmd)))
    with open(os.path.join(tmp, "server.log"), "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + args.demo_seconds + 120
        while True:
            if proc.poll() is not None:
                raise Failure(f"server exited with code {proc.returncode} before it was ready")
            try:
                if call(base, "/api/v1/openapi.json")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise Failure("server not ready in time")
            time.sleep(0.1)
        status, _, headers = call(base, "/api/v1/login", body=LOGIN)
        cookie = next((c.split(";")[0] for c in headers.get_all("Set-Cookie") or []
                       if c.startswith("giro_session=")), None)
        if status != 200 or not cookie:
            raise Failure(f"login answered {status} without a giro_session cookie")
        paths = ["/api/v1/people", f"/api/v1/requests?date={date}", f"/api/v1/plans/{date}"]

        rows.append(("idle, sequential", reads("idle", base, cookie, paths, args.reads, 1)))

        status, _, _ = call(base, f"/api/v1/plans/{date}/solve", cookie, {"time_limit_s": args.solve_seconds})
        if status != 202:
            raise Failure(f"POST solve answered {status}, expected 202")
        t_solve = time.perf_counter()
        for label, clients, short in (("during solve, sequential", 1, "sequential"),
                                      ("during solve, 4 concurrent clients", 4, "concurrent")):
            rows.append((label, reads(label, base, cookie, paths, args.reads, clients)))
            state = solve_status(base, cookie, date)
            notes.append((f"solve status after the {short} reads",
                          f"{state} ({time.perf_counter() - t_solve:.1f} s after the POST)"))
            if state != "running":
                raise Failure(f"WARNING: the solve was {state} after the {short} reads: they did not "
                              "overlap the solve; raise --solve-seconds or lower --reads")

        t0 = time.perf_counter()
        status, _, _ = call(base, f"/api/v1/plans/{date}/solve/cancel", cookie, {})
        if status != 202:
            raise Failure(f"POST cancel answered {status}, expected 202")
        while (final := solve_status(base, cookie, date)) == "running":
            if time.perf_counter() - t0 > 60:
                raise Failure("solve still running 60 s after cancel")
            time.sleep(0.01)
        notes.append(("cancel-to-stop", f"{time.perf_counter() - t0:.3f} s (final status {final})"))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/giro"),
                    help="giro binary (default: target/release/giro in the repository)")
    ap.add_argument("--reads", type=int, default=300, help="reads per phase (default 300)")
    ap.add_argument("--solve-seconds", type=float, default=30, help="time limit of the background solve")
    ap.add_argument("--demo-seconds", type=float, default=2, help="time limit of the demo's startup solve")
    args = ap.parse_args()
    if args.reads < 4:
        ap.error("--reads must be at least 4")
    tmp = tempfile.mkdtemp(prefix="giro-read-latency-")
    rows, notes = [], []
    try:
        run(args, tmp, rows, notes)
    except Exception as e:  # noqa: BLE001 -- any failure: say why and keep the log
        msg = str(e) if isinstance(e, Failure) else f"{type(e).__name__}: {e}"
        print(f"read_latency: {msg}\nserver log: {os.path.join(tmp, 'server.log')}", file=sys.stderr)
        sys.exit(1)
    shutil.rmtree(tmp, ignore_errors=True)

    print("| phase | reads | median ms | p95 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|")
    for label, samples in rows:
        ms = sorted(m for m, _ in samples)
        p = [nearest_rank(ms, q) for q in (50, 95, 99)]
        print(f"| {label} | {len(ms)} | {p[0]:.2f} | {p[1]:.2f} | {p[2]:.2f} | {ms[-1]:.2f} |")
    print()
    print(f"- machine cores (os.cpu_count()): {os.cpu_count()}")
    for key, value in notes:
        print(f"- {key}: {value}")
    print(f"- command: {shlex.join([os.path.basename(sys.executable)] + sys.argv)}")


if __name__ == "__main__":
    main()
