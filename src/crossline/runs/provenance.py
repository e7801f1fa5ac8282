"""Where each stored result came from: which run made it, when, with which Crossline and
which configuration, from which loads of data.

`analysis_runs` holds one row per finished run (a failed run leaves none: its row is
written in the same transaction as its results). `analysis_results` says which tables a
run wrote and how many rows each held. The result tables themselves hold the latest run's
output whole, as the analyses returned it (whatever columns they gain later).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from crossline.engine.base import Engine
from crossline.ingest.store import LOADS_TABLE

RUNS_TABLE = "analysis_runs"
RESULTS_TABLE = "analysis_results"

RUNS_TYPES = {
    "run_id": "BIGINT",
    "started_at": "TIMESTAMP",
    "finished_at": "TIMESTAMP",
    "version": "VARCHAR",
    "config_hash": "VARCHAR",
    "config": "VARCHAR",  # the analyses' parameters as JSON
    "loads": "BIGINT[]",  # every load the run read
}
RESULTS_TYPES = {"run_id": "BIGINT", "result": "VARCHAR", "table_name": "VARCHAR", "rows": "BIGINT"}


@dataclass(frozen=True)
class Run:
    run_id: int
    started_at: datetime
    finished_at: datetime
    version: str
    config_hash: str
    config: str
    loads: tuple[int, ...]

    def to_json(self, stale: bool) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "version": self.version,
            "config_hash": self.config_hash,
            "loads": list(self.loads),
            "stale": stale,
        }


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _create(engine: Engine, table: str, types: dict[str, str]) -> None:
    cols = ", ".join(f'"{n}" {t}' for n, t in types.items())
    engine.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols})")


def next_run_id(engine: Engine) -> int:
    if not engine.has_table(RUNS_TABLE):
        return 1
    return int(engine.scalar(f"SELECT COALESCE(max(run_id), 0) + 1 FROM {RUNS_TABLE}"))


def loads_now(engine: Engine) -> tuple[int, ...]:
    """The loads committed so far: what a run starting now reads."""
    if not engine.has_table(LOADS_TABLE):
        return ()
    t = engine.query(f"SELECT load_id FROM {LOADS_TABLE} ORDER BY load_id")
    return tuple(int(x) for x in t.column("load_id").to_pylist())


def record(engine: Engine, run: Run, results: dict[str, tuple[str, int]]) -> None:
    """Write the run's row and its results' rows (call inside the run's transaction)."""
    _create(engine, RUNS_TABLE, RUNS_TYPES)
    _create(engine, RESULTS_TABLE, RESULTS_TYPES)
    engine.execute(
        f"INSERT INTO {RUNS_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            run.run_id,
            run.started_at,
            run.finished_at,
            run.version,
            run.config_hash,
            run.config,
            list(run.loads),
        ],
    )
    rows = pa.table(
        {
            "run_id": pa.array([run.run_id] * len(results), pa.int64()),
            "result": pa.array(list(results), pa.string()),
            "table_name": pa.array([t for t, _ in results.values()], pa.string()),
            "rows": pa.array([n for _, n in results.values()], pa.int64()),
        }
    )
    engine.append(RESULTS_TABLE, rows)


def latest(engine: Engine) -> Run | None:
    """The last finished run, or None when nothing was analysed yet."""
    if not engine.has_table(RUNS_TABLE):
        return None
    t = engine.query(f"SELECT * FROM {RUNS_TABLE} ORDER BY run_id DESC LIMIT 1").to_pylist()
    if not t:
        return None
    r = t[0]
    return Run(
        run_id=int(r["run_id"]),
        started_at=r["started_at"],
        finished_at=r["finished_at"],
        version=str(r["version"]),
        config_hash=str(r["config_hash"]),
        config=str(r["config"]),
        loads=tuple(int(x) for x in r["loads"] or []),
    )


def is_stale(engine: Engine, run: Run) -> bool:
    """Data was loaded after the run read the store: a load it did not read added rows.
    (A re-delivery that added nothing, all duplicates, changes no result.)"""
    if not engine.has_table(LOADS_TABLE):
        return False
    last = max(run.loads, default=0)
    n = engine.scalar(
        f"SELECT count(*) FROM {LOADS_TABLE} WHERE load_id > ? AND loaded > 0", [last]
    )
    return bool(n)
