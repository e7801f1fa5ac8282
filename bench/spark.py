"""Spark beside DuckDB: the line register on the benchmark worlds, on each engine, in the
same run, with time, peak memory and Spark's stage-by-stage plan.

    .venv/bin/python bench/spark.py --sizes 1M,10M --out bench/out --master 'local[2]'

Each size's world (bench/data.py, cached) is ingested into DuckDB once (<out>/<size>/ws-
spark), mirrored to Parquet for Spark (engine/spark/export.py, timed), then the line
register is built on DuckDB and on Spark, each in a fresh process so that peak memory is
its own: DuckDB's is the process's VmHWM; Spark's is the Python driver's plus the
JVM's (VmHWM of the java child; in local mode the JVM is driver and executors at once).
The stage plan is every Spark stage the register ran: its tasks (the work's split) and
its shuffle read and write (bytes that cross between tasks, on a cluster between
machines). Results go to stdout and <out>/spark.json; see docs/performance.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from data import ensure_world  # noqa: E402


def _hwm_kb(pid: str) -> int:
    """Peak resident memory of a process, in kB: VmHWM, not ru_maxrss, which a child
    inherits from its parent across fork and exec (the parent ran the export)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _java_hwm_kb() -> int:
    """Peak resident memory of this process's java children (the Spark JVM), in kB."""
    peak = 0
    me = os.getpid()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip() or 0) == me and "java" in fields["Name"]:
            peak = max(peak, int(fields.get("VmHWM", "0 kB").split()[0]))
    return peak


def _stages(session: Any) -> list[dict[str, Any]]:
    """Every completed stage: id, tasks, input and shuffle bytes (Spark's status store)."""
    store = session.sparkContext._jsc.sc().statusStore()
    out = []
    sc = session.sparkContext
    no_quantiles = sc._gateway.new_array(sc._jvm.double, 0)
    # stageList(statuses, details, withSummaries, quantiles, taskStatuses): every stage
    stages = store.stageList(None, False, False, no_quantiles, None)
    for i in range(stages.size()):
        st = stages.apply(i)
        out.append(
            {
                "stage": st.stageId(),
                "tasks": st.numTasks(),
                "input_mb": round(st.inputBytes() / 2**20, 1),
                "shuffle_read_mb": round(st.shuffleReadBytes() / 2**20, 1),
                "shuffle_write_mb": round(st.shuffleWriteBytes() / 2**20, 1),
                "seconds": round(st.executorRunTime() / 1000, 1),
                "name": str(st.name())[:60],
            }
        )
    return sorted(out, key=lambda s: s["stage"])


def stage(kind: str, ws: Path, master: str) -> dict[str, Any]:
    """One engine's register, in this (fresh) process."""
    from crossline.analyse.lines.build import build_lines, register_table

    t0 = time.perf_counter()
    if kind == "duckdb":
        from crossline.engine.duckdb import DuckDBEngine

        engine: Any = DuckDBEngine(ws / "crossline.duckdb", memory_limit="4GB", threads=2)
    else:
        from crossline.engine.spark import SparkEngine, SparkOptions, spark_session

        options = SparkOptions(master=master, driver_memory="2g", shuffle_partitions=8)
        spark_session(options)
        engine = SparkEngine(ws / "spark", options=options)
    opened = time.perf_counter() - t0
    t0 = time.perf_counter()
    register = register_table(build_lines(engine))
    seconds = time.perf_counter() - t0
    result: dict[str, Any] = {
        "engine": kind,
        "open_s": round(opened, 1),
        "register_s": round(seconds, 1),
        "lines": register.num_rows,
        # the whole register, every column, as one digest: equal digests, identical registers
        "register": hashlib.sha256(
            json.dumps(register.to_pylist(), default=str).encode()
        ).hexdigest(),
        "python_peak_gb": round(_hwm_kb("self") / 2**20, 2),
    }
    if kind == "spark":
        result["jvm_peak_gb"] = round(_java_hwm_kb() / 2**20, 2)
        result["driver_rows_total"] = engine.driver_rows.total
        result["driver_rows_largest"] = engine.driver_rows.largest
        result["stages"] = _stages(engine.session)
    engine.close()
    return result


def prepare(size: str, out: Path) -> dict[str, Any]:
    from crossline.engine.duckdb import DuckDBEngine
    from crossline.engine.spark.export import export_store
    from crossline.ingest import ingest_dataset

    info = ensure_world(size, out)
    ws = out / size / "ws-spark"
    if not (ws / "crossline.duckdb").is_file():
        shutil.rmtree(ws, ignore_errors=True)
        engine = DuckDBEngine(ws / "crossline.duckdb", memory_limit="4GB", threads=2)
        t0 = time.perf_counter()
        ingest_dataset(engine, out / size / "data", ws / "quarantine")
        info["ingest_s"] = round(time.perf_counter() - t0, 1)
        engine.close()
    shutil.rmtree(ws / "spark", ignore_errors=True)
    t0 = time.perf_counter()
    export_store(ws / "crossline.duckdb", ws / "spark")
    info["export_s"] = round(time.perf_counter() - t0, 1)
    info["parquet_mb"] = round(
        sum(p.stat().st_size for p in (ws / "spark").rglob("*.parquet")) / 2**20, 1
    )
    return info


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1M,10M")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--stage", nargs=2, metavar=("ENGINE", "WS"))
    args = ap.parse_args()
    if args.stage:  # a child: one engine, one workspace
        print(json.dumps(stage(args.stage[0], Path(args.stage[1]), args.master)))
        return
    report: dict[str, Any] = {}
    for size in args.sizes.split(","):
        info = prepare(size, args.out)
        ws = args.out / size / "ws-spark"
        runs = {}
        for kind in ("duckdb", "spark"):
            t0 = time.perf_counter()
            child = subprocess.run(
                [sys.executable, __file__, "--master", args.master, "--stage", kind, str(ws)],
                check=True,
                capture_output=True,
                text=True,
            )
            runs[kind] = json.loads(child.stdout.strip().splitlines()[-1])
            runs[kind]["wall_s"] = round(time.perf_counter() - t0, 1)
        same = runs["duckdb"].pop("register") == runs["spark"].pop("register")
        report[size] = {**info, "identical_register": same, **runs}
        print(size, json.dumps(report[size], indent=1), flush=True)
    (args.out / "spark.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
