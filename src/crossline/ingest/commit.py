"""Committing one validated file: all of it or none of it.

Inside one transaction: the file's good rows whose key is new (not in the store, first
occurrence by line within the file) are inserted straight from the validation view, with an
anti-join only when the store already holds rows; the quarantine rows of these exact source
files are replaced; the load is recorded. The quarantine CSV is exported after the commit,
so a load killed at any point leaves the store as it was before the file.

The view is not materialised: the insert is one pass over the input, and the bad rows are
found by a second pass only when there can be any (on a first load without repeated keys,
every row not inserted is bad, so a file that inserts all its rows needs no second pass).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from crossline.engine.base import Engine
from crossline.ingest.report import FileCounts
from crossline.ingest.sql import ident, in_list, lit
from crossline.ingest.store import (
    LINE_NUMBER,
    LOADS_TABLE,
    Q_FILE,
    Q_LOAD_ID,
    Q_SOURCE_PATH,
    QUARANTINE_TABLE,
    RAW_ROW,
    REASON,
    SOURCE_FILE,
    table_name,
)
from crossline.ingest.validate import LINE, PATH, RAW, VALID_VIEW, VIA_MAP
from crossline.ingest.validate import REASON as V_REASON
from crossline.model.schema import QUARANTINE_COLUMNS, FileSpec

PATHS_TABLE = "_ingest_paths"

# Test hook: CROSSLINE_INGEST_FAULT="<file>:<point>" kills the process (SIGKILL) at that
# point of that file's load, so tests can prove a killed load leaves nothing behind.
FAULT_ENV = "CROSSLINE_INGEST_FAULT"


def fault_point(file: str, point: str) -> None:
    if os.environ.get(FAULT_ENV) == f"{file}:{point}":
        os.kill(os.getpid(), signal.SIGKILL)


def commit_file(
    engine: Engine,
    spec: FileSpec,
    paths: dict[str, str],
    total: int,
    repeated: bool,
    with_map: Callable[[], None] | None = None,
) -> FileCounts:
    """Commit VALID_VIEW into the store. `paths` maps each source path (as staged in
    `_path`) to its display name for the quarantine's source_file column; `total` is the
    number of staged records; `repeated` says whether the file may hold a key more than
    once (see `may_repeat_keys`), so that only its first occurrence is loaded.

    `with_map` is for a view validated without the phone map (numbers in the common forms
    only) and a file without repeated keys: when not every row went in, it fills the map
    and rebuilds the view, and the rows that needed the map (`_via_map`) go in too, in the
    same transaction. A file of common forms is so read once instead of twice."""
    assert with_map is None or not repeated, "the map-less pass needs distinct keys"
    table = ident(table_name(spec))
    cols = ", ".join(ident(n) for n in spec.names)
    key = [ident(k) for k in spec.key]
    good = f"{V_REASON} IS NULL"
    if repeated:
        firsts = (
            f"SELECT * FROM {VALID_VIEW} WHERE {good} QUALIFY row_number() OVER "
            f"(PARTITION BY {', '.join(key)} ORDER BY {PATH}, {LINE}) = 1"
        )
    else:
        firsts = f"SELECT * FROM {VALID_VIEW} WHERE {good}"
    match = " AND ".join(f"t.{k} = v.{k}" for k in key)
    source_paths = list(paths)
    engine.register(
        PATHS_TABLE,
        pa.table(
            {
                "path": pa.array(source_paths, pa.string()),
                "display": pa.array([paths[p] for p in source_paths], pa.string()),
            }
        ),
    )
    try:
        with engine.transaction():
            load_id = int(engine.scalar(f"SELECT COALESCE(max(load_id), 0) + 1 FROM {LOADS_TABLE}"))
            before = int(engine.scalar(f"SELECT count(*) FROM {table}"))

            def insert(*where: str) -> int:
                # Keys already in the store are left out by an anti-join (no index needed).
                anti = [f"NOT EXISTS (SELECT 1 FROM {table} AS t WHERE {match})"] if before else []
                conds = [*where, *anti]
                engine.execute(
                    f"INSERT INTO {table} ({cols}) SELECT {cols} FROM ({firsts}) AS v "
                    + (f"WHERE {' AND '.join(conds)}" if conds else "")
                )
                return int(engine.scalar(f"SELECT count(*) FROM {table}")) - before

            loaded = insert()
            if with_map is not None and loaded < total:
                with_map()
                loaded = insert(f"v.{VIA_MAP}")
            fault_point(spec.name, "commit")
            engine.execute(
                f"DELETE FROM {QUARANTINE_TABLE} WHERE {ident(Q_SOURCE_PATH)} "
                f"IN {in_list(source_paths)}"
            )
            if before == 0 and not repeated and loaded == total:
                bad = 0  # every row went in: nothing to quarantine, no second pass
            else:
                engine.execute(
                    f"INSERT INTO {QUARANTINE_TABLE} ({ident(Q_FILE)}, {ident(SOURCE_FILE)}, "
                    f"{ident(LINE_NUMBER)}, {ident(REASON)}, {ident(RAW_ROW)}, "
                    f"{ident(Q_SOURCE_PATH)}, {ident(Q_LOAD_ID)}) "
                    f"SELECT {lit(spec.name)}, p.display, v.{LINE}, v.{V_REASON}, v.{RAW}, "
                    f"v.{PATH}, {load_id} FROM {VALID_VIEW} AS v "
                    f"JOIN {PATHS_TABLE} AS p ON p.path = v.{PATH} WHERE v.{V_REASON} IS NOT NULL"
                )
                bad = int(
                    engine.scalar(
                        f"SELECT count(*) FROM {QUARANTINE_TABLE} "
                        f"WHERE {ident(Q_LOAD_ID)} = {load_id}"
                    )
                )
            valid = total - bad
            counts = FileCounts(loaded=loaded, quarantined=bad, duplicate=valid - loaded)
            engine.execute(
                f"INSERT INTO {LOADS_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    load_id,
                    spec.name,
                    source_paths,
                    datetime.now(UTC).replace(tzinfo=None),
                    counts.loaded,
                    counts.quarantined,
                    counts.duplicate,
                ],
            )
    finally:
        engine.unregister(PATHS_TABLE)
    return counts


def export_quarantine(
    engine: Engine, spec: FileSpec, source_paths: list[str], quarantine_dir: Path
) -> Path:
    """Write quarantine/<file>.csv (QUARANTINE_COLUMNS) for these source files."""
    quarantine_dir.mkdir(parents=True, exist_ok=True)
    out = quarantine_dir / f"{spec.name}.csv"
    tmp = quarantine_dir / f".{spec.name}.csv.tmp"
    cols = ", ".join(ident(c) for c in QUARANTINE_COLUMNS)
    engine.copy_to_csv(
        f"SELECT {cols} FROM {QUARANTINE_TABLE} WHERE {ident(Q_SOURCE_PATH)} "
        f"IN {in_list(source_paths)} ORDER BY {ident(SOURCE_FILE)}, {ident(LINE_NUMBER)}",
        str(tmp),
    )
    os.replace(tmp, out)
    return out
