"""CSV against Parquet ingest on the same comms rows: rows per second and peak memory.

    .venv/bin/python bench/ingest_formats.py --rows 1000000,10000000 --repeat 2
    .venv/bin/python bench/ingest_formats.py --rows 10000000 --only csv
    CROSSLINE_INGEST_EXACT_CSV=1 .venv/bin/python bench/ingest_formats.py --only csv  # exact path

Writes synthetic comms rows (made-up numbers in Ofcom's drama range, no real data) once as
comms.csv and once as comms.parquet, then loads each into a fresh store in its own process
(so peak memory is that load's alone: the process's peak resident set, VmHWM), CSV and
Parquet alternating when repeated, and prints rows/s, seconds (inside the process, around
`ingest_dataset`) and peak RSS, with the 1-minute load average before each load. The
machine's cores and memory are printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

LOAD = """
import sys, time
from pathlib import Path
from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import ingest_dataset
ds, store = Path(sys.argv[1]), Path(sys.argv[2])
engine = DuckDBEngine(store, temp_dir=store.parent / "tmp")
t = time.perf_counter()
report = ingest_dataset(engine, ds, store.parent / "quarantine")
secs = time.perf_counter() - t
# VmHWM, the peak resident set of this process image: ru_maxrss would also count the
# pages of the benchmark process this one was forked from (it holds the rows it wrote).
status = Path("/proc/self/status").read_text()
peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
print(secs, report.files["comms"].loaded, peak)
engine.close()
"""


def comms(n: int, seed: int = 1) -> pa.Table:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-06-01T00:00:00") + rng.integers(0, 90 * 86400, n).astype(
        "timedelta64[s]"
    )
    src = rng.integers(0, 1000, n)
    dst = rng.integers(0, 1000, n)
    kind = np.where(rng.random(n) < 0.6, "call", "sms")
    dur = np.where(kind == "call", rng.integers(1, 600, n), -1)
    return pa.table(
        {
            "record_id": pa.array(np.char.add("r", np.arange(n).astype(str))),
            "start_time": pa.array(np.datetime_as_string(start, unit="s")),
            "source": pa.array(np.char.add("+447700900", np.char.zfill(src.astype(str), 3))),
            "target": pa.array(np.char.add("07700900", np.char.zfill(dst.astype(str), 3))),
            "kind": pa.array(kind),
            "duration_s": pa.array(np.where(dur < 0, None, dur).tolist(), pa.int64()),
            "source_cell": pa.array(np.char.add("C", rng.integers(0, 500, n).astype(str))),
            "target_cell": pa.array(np.char.add("C", rng.integers(0, 500, n).astype(str))),
            "provider": pa.array(np.full(n, "ee")),
        }
    )


def load(ds: Path, work: Path) -> tuple[float, int, float]:
    """(seconds, rows loaded, peak RSS in MiB) of one ingest in a fresh process."""
    work.mkdir()
    store = work / f"{ds.name}.duckdb"
    out = subprocess.run(
        [sys.executable, "-c", LOAD, str(ds), str(store)], capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    secs, rows, peak = out.stdout.strip().splitlines()[-1].split()  # after any progress bar
    return float(secs), int(rows), int(peak) / 1024


def _write(table: pa.Table, fmt: str, ds: Path) -> None:
    ds.mkdir()
    if fmt == "csv":
        pacsv.write_csv(table, ds / "comms.csv", pacsv.WriteOptions(quoting_style="needed"))
    else:
        pq.write_table(table, ds / "comms.parquet")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", default="2000000", help="comma-separated sizes")
    ap.add_argument("--only", choices=["csv", "parquet"], default=None)
    ap.add_argument("--repeat", type=int, default=1, help="loads of each format per size")
    args = ap.parse_args()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    fmts = [f for f in ("csv", "parquet") if not args.only or f == args.only]
    print(f"{os.cpu_count()} cores, {mem:.0f} GiB; load average before each load")
    for n in (int(x) for x in args.rows.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            table = comms(n)
            for fmt in fmts:
                _write(table, fmt, work / fmt)
            del table
            rates: dict[str, list[float]] = {f: [] for f in fmts}
            for run in range(args.repeat):
                for fmt in fmts:
                    load_avg = os.getloadavg()[0]
                    secs, rows, peak = load(work / fmt, work / f"{fmt}{run}")
                    assert rows == n, rows
                    rates[fmt].append(rows / secs)
                    print(
                        f"{n:>11,} {fmt:8s} {rows / secs:>10,.0f} rows/s  {secs:6.1f} s  "
                        f"peak RSS {peak:,.0f} MiB  load {load_avg:.2f}",
                        flush=True,
                    )
                    time.sleep(0.1)
            if len(fmts) == 2:
                best = {f: max(r) for f, r in rates.items()}
                print(f"{n:>11,} parquet / csv (best of each) {best['parquet'] / best['csv']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
