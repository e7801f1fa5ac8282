"""Line-register benchmark: ingest and analyse at 1M, 10M and 100M comms rows, against a
DuckDB-only floor and a pandas + networkx peer.

    .venv/bin/python bench/lines.py --sizes 1M,10M,100M --out bench/out

Each stage runs in a fresh subprocess so that its peak RSS (os.wait4's ru_maxrss) is its
own: generate (cached), ingest into a fresh workspace, analyse (build_lines +
register_table + store), floor (one DuckDB SQL over the Parquet doing only the core
aggregations), peer (bench/pandas_lines.py, 1M and 10M only). Seconds are measured inside
the stage around the work (interpreter start and imports excluded); wall includes them.
Results go to stdout and <out>/results.json; see docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from data import SIZES, comms_parts, ensure_world  # noqa: E402

PEER_SIZES = {"1M", "10M"}
STAGE_TIMEOUT_S = 20 * 60
STAGE_MAX_RSS_KB = 20 * 1024 * 1024


# --- stages (run in the child) -----------------------------------------------------------


_SKIP = {"_with_set", "transaction", "__enter__", "__exit__"}


class TimedEngine:
    """Engine proxy that times every SQL call and books it to the crossline function that
    issued it, so a stage's time splits into its SQL statements and the Python around them."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self.sql_s: dict[str, float] = defaultdict(float)

    def _caller(self) -> str:
        f = sys._getframe(1)
        while f is not None and (f.f_code.co_name in _SKIP or f.f_code.co_filename == __file__):
            f = f.f_back  # type: ignore[assignment]
        return f.f_code.co_name if f is not None else "?"

    def _timed(self, name: str, *args: Any, **kw: Any) -> Any:
        label = self._caller()
        t0 = time.perf_counter()
        try:
            return getattr(self._engine, name)(*args, **kw)
        finally:
            self.sql_s[label] += time.perf_counter() - t0

    def query(self, *a: Any, **k: Any) -> Any:
        return self._timed("query", *a, **k)

    def execute(self, *a: Any, **k: Any) -> Any:
        return self._timed("execute", *a, **k)

    def scalar(self, *a: Any, **k: Any) -> Any:
        return self._timed("scalar", *a, **k)

    def copy_to_csv(self, *a: Any, **k: Any) -> Any:
        return self._timed("copy_to_csv", *a, **k)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


def _open(ws: Path) -> Any:
    from crossline.engine.factory import open_engine
    from crossline.settings import Settings

    return open_engine(Settings(workspace=ws))


def stage_ingest(size_dir: Path) -> dict[str, Any]:
    from crossline.ingest import ingest_dataset

    ws = size_dir / "ws"
    shutil.rmtree(ws, ignore_errors=True)
    engine = TimedEngine(_open(ws))
    t0 = time.perf_counter()
    report = ingest_dataset(engine, size_dir / "data", ws / "quarantine")
    seconds = time.perf_counter() - t0
    rows = engine.scalar("SELECT count(*) FROM comms")
    engine.close()
    return {
        "seconds": seconds,
        "rows_loaded": int(rows),
        "quarantined": sum(c.quarantined for c in report.files.values()),
        "store_mb": round((ws / "crossline.duckdb").stat().st_size / 2**20),
        "breakdown": dict(engine.sql_s),
    }


def stage_analyse(size_dir: Path) -> dict[str, Any]:
    import pandas  # noqa: F401  (duckdb imports it on the first register(); keep it out)

    from crossline.analyse.lines.build import build_lines, register_table

    engine = TimedEngine(_open(size_dir / "ws"))
    t0 = time.perf_counter()
    lines = build_lines(engine)  # type: ignore[arg-type]
    table = register_table(lines)
    engine.replace_table("line_register", table)
    seconds = time.perf_counter() - t0
    engine.close()
    sql = sum(engine.sql_s.values())
    return {
        "seconds": seconds,
        "lines": table.num_rows,
        "deal_numbers": sorted(d.number for ln in lines for d in ln.deals),
        "controllers": sorted(ln.controller for ln in lines if ln.controller),
        "breakdown": {**engine.sql_s, "python (outside SQL)": seconds - sql},
    }


FLOOR_SQL = """
WITH c AS (
    SELECT '+44' || right(source, 10) AS src, '+44' || right(target, 10) AS tgt,
           start_time AS t, kind, duration_s
    FROM read_parquet({parts})
),
out_sms AS (
    SELECT src, tgt, t,
           CASE WHEN date_diff('second', lag(t) OVER (PARTITION BY src ORDER BY t), t) <= {gap}
                THEN 0 ELSE 1 END AS new_burst
    FROM c WHERE kind = 'sms'
),
sessions AS (
    SELECT src, tgt, sum(new_burst) OVER (PARTITION BY src ORDER BY t
                                          ROWS UNBOUNDED PRECEDING) AS sid
    FROM out_sms
),
bursts AS (
    SELECT src, count(*) AS bursts FROM (
        SELECT src, sid FROM sessions GROUP BY src, sid HAVING count(DISTINCT tgt) >= {rcpt}
    ) GROUP BY src
),
reach AS (SELECT src, count(DISTINCT tgt) AS recipients FROM out_sms GROUP BY src),
inbound AS (
    SELECT tgt, count(*) AS n_in, count(DISTINCT src) AS callers,
           sum(CASE WHEN kind = 'sms' OR duration_s <= {order_s} THEN 1 ELSE 0 END) AS n_short
    FROM c GROUP BY tgt
)
SELECT count(*) AS senders, sum(b.bursts) AS bursts, sum(i.n_in) AS inbound
FROM bursts b JOIN reach r USING (src) LEFT JOIN inbound i ON i.tgt = b.src
"""


def stage_floor(size_dir: Path) -> dict[str, Any]:
    import duckdb

    from crossline.analyse.lines.config import LinesConfig

    cfg = LinesConfig()
    con = duckdb.connect()
    con.execute("SET memory_limit = '4GB'")
    con.execute("SET threads = 2")
    con.execute(f"SET temp_directory = '{size_dir / 'floor-tmp'}'")
    con.execute("SET TimeZone = 'UTC'")
    parts = "[" + ", ".join(f"'{p}'" for p in comms_parts(size_dir / "data")) + "]"
    sql = FLOOR_SQL.format(
        parts=parts,
        gap=cfg.burst_gap_s,
        rcpt=cfg.burst_min_recipients,
        order_s=cfg.order_max_call_s,
    )
    t0 = time.perf_counter()
    senders, bursts, _inbound = con.execute(sql).fetchall()[0]
    seconds = time.perf_counter() - t0
    con.close()
    return {"seconds": seconds, "burst_senders": senders, "bursts": int(bursts or 0)}


def stage_peer(size_dir: Path) -> dict[str, Any]:
    import pandas_lines

    t0 = time.perf_counter()
    out = pandas_lines.build_register(size_dir / "data")
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "lines": len(out["lines"]),
        "deal_numbers": out["deal_numbers"],
        "controllers": sorted(ln["controller"] for ln in out["lines"] if ln["controller"]),
    }


def stage_generate(size_dir: Path) -> dict[str, Any]:
    info = ensure_world(size_dir.name, size_dir.parent)
    return {"seconds": info["generate_s"], **info}


STAGES = {
    "generate": stage_generate,
    "ingest": stage_ingest,
    "analyse": stage_analyse,
    "floor": stage_floor,
    "peer": stage_peer,
}


# --- orchestration (the parent) ----------------------------------------------------------


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_stage(stage: str, size_dir: Path) -> dict[str, Any]:
    """Run one stage in a fresh interpreter; add wall time and the child's peak RSS."""
    result_file = size_dir / f"{stage}.result.json"
    result_file.unlink(missing_ok=True)
    cmd = [sys.executable, __file__, "--stage", stage, "--dir", str(size_dir)]
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=sys.stderr)
    killed = ""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - t0 > STAGE_TIMEOUT_S:
            killed = f"stopped after {STAGE_TIMEOUT_S} s"
        elif _rss_kb(proc.pid) > STAGE_MAX_RSS_KB:
            killed = "stopped above 20 GB RSS"
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.5)
    wall = time.perf_counter() - t0
    out: dict[str, Any] = {
        "wall_s": round(wall, 1),
        "peak_rss_mb": usage.ru_maxrss // 1024,
        # CPU seconds of the stage process: less sensitive than wall time to other load
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        # 1-minute load average before and after: above ~2 the 2 cores were shared
        "load": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }
    if killed or status != 0 or not result_file.exists():
        out["error"] = killed or f"exit status {status}"
        out["seconds"] = wall
        return out
    out.update(json.loads(result_file.read_text()))
    return out


def agreement(a: list[str], b: list[str]) -> dict[str, Any]:
    sa, sb = set(a), set(b)
    return {
        "crossline": len(sa),
        "peer": len(sb),
        "both": len(sa & sb),
        "jaccard": round(len(sa & sb) / len(sa | sb), 3) if sa | sb else 1.0,
    }


def _fmt_row(size: str, stage: str, r: dict[str, Any], rows: int) -> str:
    s = r["seconds"]
    rate = f"{rows / s / 1e6:8.2f}M" if s and "error" not in r else "        -"
    note = r.get("error", "")
    return (
        f"{size:>5} {stage:<9} {s:9.1f} {rate:>10} {r['peak_rss_mb'] / 1024:9.2f} "
        f"{r['wall_s']:8.1f} {r.get('cpu_s', 0):8.1f} {'/'.join(map(str, r.get('load', []))):>9}"
        f"  {note}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1M,10M")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--stages", default="generate,ingest,analyse,floor,peer")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    ap.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.stage:  # child
        res = STAGES[args.stage](args.dir)
        (args.dir / f"{args.stage}.result.json").write_text(json.dumps(res, default=str))
        return

    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    results_path = out / "results.json"
    results: dict[str, Any] = (
        json.loads(results_path.read_text()) if results_path.exists() else {"sizes": {}}
    )
    results["machine"] = {
        "nproc": os.cpu_count(),
        "mem_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }
    wanted = args.stages.split(",")
    for size in args.sizes.split(","):
        if size not in SIZES:
            raise SystemExit(f"unknown size {size}: choose from {', '.join(SIZES)}")
        size_dir = out / size
        size_dir.mkdir(parents=True, exist_ok=True)
        res: dict[str, Any] = results["sizes"].get(size, {})
        for stage in wanted:
            if stage == "peer" and size not in PEER_SIZES:
                continue
            print(f"[{datetime.now(UTC):%H:%M:%S}] {size} {stage} ...", file=sys.stderr)
            res[stage] = run_stage(stage, size_dir)
            if stage == "generate":
                res["rows"] = res[stage].get("rows")
            res["date"] = datetime.now(UTC).strftime("%Y-%m-%d")
            results["sizes"][size] = res
            results_path.write_text(json.dumps(results, indent=1, default=str))
        if "analyse" in res and "peer" in res and "error" not in res["peer"]:
            res["agreement"] = {
                k: agreement(res["analyse"].get(k, []), res["peer"].get(k, []))
                for k in ("deal_numbers", "controllers")
            }
        results_path.write_text(json.dumps(results, indent=1, default=str))
    print_table(results)


def print_table(results: dict[str, Any]) -> None:
    print(
        f"{'size':>5} {'stage':<9} {'seconds':>9} {'rows/s':>10} {'peak GB':>9} {'wall s':>8}"
        f" {'cpu s':>8} {'load':>9}"
    )
    for size, res in results["sizes"].items():
        rows = int(res.get("rows") or 0)
        for stage in STAGES:
            if stage in res:
                print(_fmt_row(size, stage, res[stage], rows))
    print()
    for size, res in results["sizes"].items():
        a, fl, pe = res.get("analyse"), res.get("floor"), res.get("peer")
        if a and pe and "error" not in pe:
            print(
                f"{size}: pandas+networkx / crossline analyse = {pe['seconds'] / a['seconds']:.2f}"
            )
        if a and fl:
            print(
                f"{size}: crossline analyse / DuckDB floor   = {a['seconds'] / fl['seconds']:.2f}"
            )
        if res.get("ingest") and a and fl:
            both = res["ingest"]["seconds"] + a["seconds"]
            print(f"{size}: (ingest + analyse) / floor       = {both / fl['seconds']:.2f}")
        if "agreement" in res:
            print(f"{size}: agreement with peer {json.dumps(res['agreement'])}")
        for stage in ("ingest", "analyse"):
            bd = (res.get(stage) or {}).get("breakdown")
            if bd:
                top = sorted(bd.items(), key=lambda kv: -kv[1])[:6]
                print(
                    f"{size}: {stage} time by step: " + ", ".join(f"{k} {v:.1f}s" for k, v in top)
                )


if __name__ == "__main__":
    main()
