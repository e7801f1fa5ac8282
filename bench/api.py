"""API latency: p50 and p99 of /lines, /lines/{id} and /phones/{n} at a fixed request
rate on a store holding a simulated world, on SQLite and on PostgreSQL, with locust.

    .venv/bin/python bench/api.py --world bench/out/medium-world --out bench/out/api \\
        --database sqlite --database postgresql://postgres@127.0.0.1:5432/postgres \\
        --rate 200 --duration 60

For each database the world is ingested into a fresh workspace and analysed (which
publishes it to the store; a PostgreSQL store gets its own new database, dropped after),
a bench user is added, `crossline serve` starts on 127.0.0.1 and a free port, and locust
sends the load there only, for `--duration` seconds. Traffic never leaves 127.0.0.1.
Results: stdout and <out>/api.json; see docs/performance.md. Run by hand, not by make test.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
ENDPOINTS = ("/lines", "/lines/{id}", "/phones/{n}")


def crossline(ws: Path, env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [str(BIN / "crossline"), "--workspace", str(ws), *args],
        env=env, input=stdin, text=True, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def postgres_database(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"crossline_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}", name


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


WARMUP_S = 10


def token(url: str, password: str) -> str:
    """A bearer token for the bench user (valid for the service's token minutes)."""
    import urllib.request
    from urllib.parse import urlencode

    form = urlencode({"username": "bench", "password": password}).encode()
    with urllib.request.urlopen(f"{url}/api/v1/token", data=form, timeout=30) as r:
        return str(json.loads(r.read())["access_token"])


def bench_one(
    database: str, world: Path, out: Path, rate: int, duration: int, workers: int
) -> dict[str, Any]:
    from crossline.cli.serve import free_port, healthy

    label = "sqlite" if database == "sqlite" else "postgresql"
    ws = out / f"ws-{label}"
    shutil.rmtree(ws, ignore_errors=True)
    env = {**os.environ, "CROSSLINE_SECRET_KEY": secrets.token_urlsafe(48)}
    dropped = None
    if database != "sqlite":
        env["CROSSLINE_DATABASE_URL"], dropped = postgres_database(database)
    try:
        t0 = time.monotonic()
        crossline(ws, env, "ingest", str(world))
        crossline(ws, env, "analyse")
        prepared = time.monotonic() - t0
        password = secrets.token_urlsafe(18)
        crossline(ws, env, "users", "add", "bench", "--force", "national", "--role",
                  "tasking_coordinator", "--password-stdin", stdin=password + "\n")  # fmt: skip
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = (out / f"serve-{label}.log").open("w")
        server = subprocess.Popen(
            [str(BIN / "crossline"), "--workspace", str(ws), "serve", "--port", str(port),
             "--workers", str(workers)],
            env=env, stdout=log, stderr=log,
        )  # fmt: skip
        try:
            if not healthy(url, 60):
                raise SystemExit(f"the service did not start; see {log.name}")
            users = max(1, rate // 10)
            lenv = {**env, "BENCH_USER": "bench", "BENCH_PASSWORD": password,
                    "BENCH_TOKEN": token(url, password),
                    "BENCH_RATE_PER_USER": str(rate / users)}  # fmt: skip
            # a steady-state figure: the users share one login (twenty Argon2 hashes at
            # once would stall the first second's requests), and WARMUP_S of the same load,
            # not measured, first fills each worker's pool and statement caches
            for prefix, seconds in ((out / f"warmup-{label}", WARMUP_S),
                                    (out / f"locust-{label}", duration)):  # fmt: skip
                subprocess.run(
                    [str(BIN / "locust"), "-f", str(HERE / "api_locust.py"), "--headless",
                     "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", url,
                     "--csv", str(prefix), "--only-summary", "--stop-timeout", "5"],
                    env=lenv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
        finally:
            server.terminate()
            server.wait(30)
            log.close()
        rows = {r["Name"]: r for r in csv.DictReader((out / f"locust-{label}_stats.csv").open())}
        result: dict[str, Any] = {"database": label, "prepare_s": round(prepared, 1)}
        for name in (*ENDPOINTS, "Aggregated"):
            r = rows[name]
            result[name] = {
                "requests": int(r["Request Count"]),
                "failures": int(r["Failure Count"]),
                "rps": round(float(r["Requests/s"]), 1),
                "p50_ms": float(r["50%"]),
                "p99_ms": float(r["99%"]),
            }
        return result
    finally:
        if dropped is not None:
            drop_database(database, dropped)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--world", type=Path, required=True, help="a simulated dataset folder")
    ap.add_argument("--out", type=Path, default=HERE / "out" / "api")
    ap.add_argument("--database", action="append", help="sqlite, or a PostgreSQL admin URL")
    ap.add_argument("--rate", type=int, default=200, help="requests per second, in total")
    ap.add_argument("--duration", type=int, default=60, help="seconds of load (at most 600)")
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    a = ap.parse_args()
    if not 1 <= a.duration <= 600 or not 1 <= a.rate <= 2000:
        raise SystemExit("keep the load bounded: --duration 1..600, --rate 1..2000")
    a.out.mkdir(parents=True, exist_ok=True)
    results = [
        bench_one(db, a.world, a.out, a.rate, a.duration, a.workers)
        for db in (a.database or ["sqlite"])
    ]
    (a.out / "api.json").write_text(json.dumps(results, indent=2))
    print("| database | endpoint | requests | failures | req/s | p50 ms | p99 ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in results:
        for name in (*ENDPOINTS, "Aggregated"):
            x = r[name]
            print(f"| {r['database']} | {name} | {x['requests']:,} | {x['failures']} | "
                  f"{x['rps']} | {x['p50_ms']:.0f} | {x['p99_ms']:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
