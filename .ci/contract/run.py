#!/usr/bin/env python3
"""giro's contract run: schemathesis against the served OpenAPI document.

For each backend (SQLite, PostgreSQL) and each role (admin, dispatcher,
member — the association's booker —, driver, and anonymous), a fresh
database gets the demo day (`giro demo`: loaded, solved, published) and
its own server, so no run sees what another one changed or deleted. The
run signs in as a user of the role (hooks.py) and uses every check with a
fixed seed. Exits non-zero on any failure; each run's log, HAR request log
and JUnit report stay in target/contract/.
"""

import argparse
import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = ROOT / "target" / "contract"
ROLES = ["admin", "dispatcher", "member", "driver", "anonymous"]
DEMO_PASSWORD = "sestri-levante-demo"
PG = "postgres://giro_test:giro_test@127.0.0.1:5432"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None, cookie=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if cookie:
        headers["Cookie"] = cookie
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.headers, json.loads(r.read() or b"null")


def fresh_database(backend, role):
    if backend == "sqlite":
        path = OUT / "db" / f"{role}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite://{path}"
    name = f"giro_contract_{role}"
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True)
    return f"{PG}/{name}"


def serve(giro, url, log):
    port = free_port()
    proc = subprocess.Popen(
        [giro, "demo", "--database-url", url, "--bind", f"127.0.0.1:{port}", "--time-limit", "1"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"giro demo ended with {proc.returncode}; see {log.name}")
        try:
            call(base, "GET", "/api/v1/openapi.json")
            return proc, base
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"giro demo did not answer in time; see {log.name}")


def user_of(base, role):
    """A demo user of the role, found by the demo's administrator."""
    headers, _ = call(base, "POST", "/api/v1/login", {"email": "admin@giro.demo", "password": DEMO_PASSWORD})
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    _, users = call(base, "GET", "/api/v1/users", cookie=cookie)
    user = next(u for u in users if u["role"] == role and u["active"])
    return user


def run(args, giro, backend, role):
    name = f"{backend}-{role}"
    url = fresh_database(backend, role)
    with open(OUT / f"{name}.server.log", "w") as log:
        proc, base = serve(giro, url, log)
        try:
            env = dict(os.environ, GIRO_BASE=base, PYTHONPATH=str(HERE), SCHEMATHESIS_HOOKS="hooks")
            if role != "anonymous":
                user = user_of(base, role)
                env.update(GIRO_EMAIL=user["email"], GIRO_PASSWORD=DEMO_PASSWORD, GIRO_USER_ID=str(user["id"]))
            cmd = [
                args.schemathesis, "--config-file", str(HERE / "schemathesis.toml"), "run",
                f"{base}/api/v1/openapi.json",
                "--checks", "all", "--seed", str(args.seed), "--max-examples", str(args.max_examples),
                # No stateful phase: the links it infers from responses put
                # null ids (`plan_id`, `volunteer_id`…) into paths, and the
                # budget (about 4 minutes for all runs on 2 cores) goes to
                # the coverage and fuzzing phases instead.
                "--phases", "examples,coverage,fuzzing",
                "--workers", "1", "--no-color",
                "--report", "har,junit",
                "--report-har-path", str(OUT / f"{name}.har"),
                "--report-junit-path", str(OUT / f"{name}.junit.xml"),
            ]
            started = time.time()
            with open(OUT / f"{name}.txt", "w") as out:
                code = subprocess.run(cmd, env=env, cwd=OUT, stdout=out, stderr=subprocess.STDOUT).returncode
            took = time.time() - started
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    if backend == "postgres":
        subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS giro_contract_{role}"], check=False)
    return code, took, summary(OUT / f"{name}.txt")


def summary(path):
    """The run's failure lines and its last line."""
    lines = path.read_text(errors="replace").splitlines()
    keep = [l.strip() for l in lines if l.strip().startswith(("❌", "⚠️"))]
    tail = next((l.strip(" =") for l in reversed(lines) if l.strip()), "")
    return keep + [tail]


def failures(path, most=120):
    """The run's FAILURES section, cut to `most` lines."""
    lines = path.read_text(errors="replace").splitlines()
    start = next((i for i, l in enumerate(lines) if "FAILURES" in l), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(lines)) if "WARNINGS" in lines[i] or "SUMMARY" in lines[i]), len(lines))
    return lines[start:end][:most]


def server_tail(path, most=30):
    """The server's errors (a 500 is logged with its cause) and last lines."""
    if not path.exists():
        return []
    lines = path.read_text(errors="replace").splitlines()
    errors = [l for l in lines if "ERROR" in l or "panicked" in l][:most]
    return ["server log, its errors:"] + errors + ["server log, its end:"] + lines[-10:]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--giro", default=str(ROOT / "target" / "debug" / "giro"))
    p.add_argument("--schemathesis", default="schemathesis")
    p.add_argument("--backends", default="sqlite,postgres")
    p.add_argument("--roles", default=",".join(ROLES))
    p.add_argument("--seed", type=int, default=8)
    p.add_argument("--max-examples", type=int, default=5)
    p.add_argument("--parallel", type=int, default=2)
    args = p.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    failed, total = [], time.time()
    runs = [(b, r) for b in args.backends.split(",") for r in args.roles.split(",")]
    # Two runs at a time: each is mostly one Python process waiting on its
    # own server, so two share the two cores well; every run has its own
    # database and server, so they cannot see each other.
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.parallel) as pool:
        futures = {pool.submit(run, args, args.giro, b, r): (b, r) for b, r in runs}
        for future in concurrent.futures.as_completed(futures):
            backend, role = futures[future]
            code, took, lines = future.result()
            status = "ok" if code == 0 else f"FAILED (exit {code})"
            print(f"contract {backend:8} {role:10} {status:18} {took:6.1f} s", flush=True)
            for line in lines:
                print(f"    {line}", flush=True)
            if code != 0:
                failed.append(f"{backend}-{role}")
                # CI keeps only what is printed: the failing cases themselves
                # (operation, response, the curl to replay) and the server's
                # last log lines.
                for line in failures(OUT / f"{backend}-{role}.txt") + server_tail(OUT / f"{backend}-{role}.server.log"):
                    print(f"    | {line}", flush=True)
    print(f"contract: {time.time() - total:.1f} s in all; logs, HAR and JUnit in {OUT}")
    if failed:
        print("contract failures: " + ", ".join(failed) + f" (see {OUT}/<backend>-<role>.txt)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
