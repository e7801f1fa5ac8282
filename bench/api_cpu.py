"""The service's own CPU a request, per benchmarked endpoint: `crossline serve --workers 1`
on a store holding a simulated world, a steady modest load of each endpoint in turn, and
the worker's utime+stime from /proc/PID/stat before and after.

    .venv/bin/python bench/api_cpu.py --world bench/out/medium-world --out bench/out/api-cpu \\
        --database sqlite --database postgresql://postgres@127.0.0.1:5432/postgres

CPU a request, unlike latency, hardly moves with other load on the machine (a busy machine
delays the work, it does not add to it), so this is the figure to compare changes by on a
shared machine; bench/api.py's latency run is for an idle one. On PostgreSQL the database
server's own CPU is given beside it (`db_cpu_ms`: every `postgres` process on the machine,
so run it with no other PostgreSQL work); on SQLite it is in the worker's.

The workspace is prepared as bench/api.py prepares it (ingest, analyse, a bench user);
`--keep` leaves it (and its PostgreSQL database) for the next run with the same --out and
--database, which then starts at once. Traffic never leaves 127.0.0.1. Run by hand.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from api import BIN, crossline, drop_database, postgres_database  # bench/api.py

WHY = "BENCH/1: CPU a request of the service on a simulated world"
TICK = os.sysconf("SC_CLK_TCK")
STATE = "bench-api-cpu.json"


def cpu_s(pid: int) -> float:
    """utime + stime of the whole process (every thread), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def db_cpu_s() -> float:
    """utime + stime of every PostgreSQL server process (backends, WAL writer, ...)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        name, rest = text.split("(", 1)[1].rsplit(")", 1)
        if name == "postgres":
            fields = rest.split()
            total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def prepare(database: str, world: Path, out: Path) -> tuple[Path, dict[str, str]]:
    """A workspace with the world published and a national coordinator, reused when a
    kept one is there; its state (password, store URL) in the workspace."""
    label = "sqlite" if database == "sqlite" else "postgresql"
    ws = out / f"ws-{label}"
    if (ws / STATE).is_file():
        return ws, json.loads((ws / STATE).read_text())
    shutil.rmtree(ws, ignore_errors=True)
    state = {"secret": secrets.token_urlsafe(48), "password": secrets.token_urlsafe(18)}
    env = {**os.environ, "CROSSLINE_SECRET_KEY": state["secret"]}
    if database != "sqlite":
        state["url"], state["dbname"] = postgres_database(database)
        env["CROSSLINE_DATABASE_URL"] = state["url"]
    crossline(ws, env, "ingest", str(world))
    crossline(ws, env, "analyse")
    add = ["users", "add", "bench", "--force", "national", "--role", "tasking_coordinator"]
    crossline(ws, env, *add, "--password-stdin", stdin=state["password"] + "\n")
    (ws / STATE).write_text(json.dumps(state))
    return ws, state


class Client:
    """One keep-alive connection: the cheapest client, so the load tool steals little."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers: dict[str, str] = {}

    def get(self, path: str) -> tuple[int, bytes]:
        self.conn.request("GET", path, headers=self.headers)
        r = self.conn.getresponse()
        return r.status, r.read()

    def login(self, password: str) -> None:
        form = urlencode({"username": "bench", "password": password})
        kind = {"Content-Type": "application/x-www-form-urlencoded"}
        self.conn.request("POST", "/api/v1/token", body=form, headers=kind)
        token = json.loads(self.conn.getresponse().read())["access_token"]
        self.headers = {"Authorization": f"Bearer {token}", "X-Justification": WHY}


def run(client: Client, pid: int, paths: list[str], rate: float) -> dict[str, float]:
    """Send `paths` at `rate` a second; the worker's CPU and the latencies meanwhile."""
    gap = 1.0 / rate
    times = []
    start_cpu, start_db, start = cpu_s(pid), db_cpu_s(), time.monotonic()
    for i, path in enumerate(paths):
        wait = start + i * gap - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        t0 = time.perf_counter()
        status, _ = client.get(path)
        times.append(time.perf_counter() - t0)
        if status != 200:
            raise SystemExit(f"{path}: {status}")
    cpu, db = cpu_s(pid) - start_cpu, db_cpu_s() - start_db
    times.sort()
    return {
        "requests": len(paths),
        "cpu_ms": round(1000 * cpu / len(paths), 2),
        "db_cpu_ms": round(1000 * db / len(paths), 2),
        "p50_ms": round(1000 * statistics.median(times), 2),
        "p99_ms": round(1000 * times[int(0.99 * (len(times) - 1))], 2),
    }


def bench_one(database: str, world: Path, out: Path, n: int, rate: float) -> dict[str, Any]:
    from crossline.cli.serve import free_port, healthy

    ws, state = prepare(database, world, out)
    env = {**os.environ, "CROSSLINE_SECRET_KEY": state["secret"]}
    if "url" in state:
        env["CROSSLINE_DATABASE_URL"] = state["url"]
    port = free_port()
    log = (ws / "serve.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "crossline"), "--workspace", str(ws), "serve", "--port", str(port),
         "--workers", "1"],
        env=env, stdout=log, stderr=log,
    )  # fmt: skip
    try:
        if not healthy(f"http://127.0.0.1:{port}", 60):
            raise SystemExit(f"the service did not start; see {log.name}")
        client = Client(port)
        client.login(state["password"])
        _, body = client.get("/api/v1/lines?limit=500")
        lines = json.loads(body)["items"]
        ids = [ln["line_id"] for ln in lines]
        phones = ["0" + x[3:7] + " " + x[7:] for ln in lines for x in ln["deal_numbers"]]
        rnd = random.Random(48)
        endpoints = {
            "/lines": lambda: "/api/v1/lines?limit=50",
            "/lines/{id}": lambda: f"/api/v1/lines/{rnd.choice(ids)}",
            "/phones/{n}": lambda: "/api/v1/phones/" + rnd.choice(phones).replace(" ", "%20"),
        }
        result: dict[str, Any] = {"database": "sqlite" if database == "sqlite" else "postgresql"}
        for name, path in endpoints.items():
            run(client, server.pid, [path() for _ in range(max(20, n // 10))], rate)  # warm
            result[name] = run(client, server.pid, [path() for _ in range(n)], rate)
        return result
    finally:
        server.terminate()
        server.wait(30)
        log.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--world", type=Path, required=True, help="a simulated dataset folder")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "api-cpu")
    ap.add_argument("--database", action="append", help="sqlite, or a PostgreSQL admin URL")
    ap.add_argument("--requests", type=int, default=600, help="measured requests an endpoint")
    ap.add_argument("--rate", type=float, default=50, help="requests per second")
    ap.add_argument("--keep", action="store_true", help="keep the workspaces for a rerun")
    a = ap.parse_args()
    if not 1 <= a.rate <= 200 or not 10 <= a.requests <= 20_000:
        raise SystemExit("keep the load modest: --rate 1..200, --requests 10..20000")
    a.out.mkdir(parents=True, exist_ok=True)
    results = []
    for db in a.database or ["sqlite"]:
        try:
            results.append(bench_one(db, a.world, a.out, a.requests, a.rate))
        finally:
            if not a.keep:
                ws = a.out / ("ws-sqlite" if db == "sqlite" else "ws-postgresql")
                if db != "sqlite" and (ws / STATE).is_file():
                    drop_database(db, json.loads((ws / STATE).read_text())["dbname"])
                shutil.rmtree(ws, ignore_errors=True)
    (a.out / "api_cpu.json").write_text(json.dumps(results, indent=2))
    load = os.getloadavg()[0]
    print(f"load average (1 min) at the end: {load:.2f}; {os.cpu_count()} cores")
    print("| database | endpoint | requests | CPU ms/request | database CPU ms | p50 ms | p99 ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in results:
        for name in ("/lines", "/lines/{id}", "/phones/{n}"):
            x = r[name]
            print(f"| {r['database']} | {name} | {x['requests']} | {x['cpu_ms']:.2f} | "
                f"{x['db_cpu_ms'] if r['database'] != 'sqlite' else '-'} | "
                  f"{x['p50_ms']:.1f} | {x['p99_ms']:.1f} |")  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()
