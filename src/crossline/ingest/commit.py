"""Committing one validated file: all of it or none of it.

Inside one transaction, under a new load id: the file's good rows whose key is new (not in
the store, first occurrence by line within the file) are inserted straight from the
validation view, with an anti-join only when the store already holds rows; a good row whose
key is already held (in the store or earlier in the file) is a `duplicate` when its
contents are the same and a `conflict` when they differ, kept in the quarantine with the
differing columns, never dropped in silence; bad rows and the notes of loaded rows are
appended to the quarantine (never replacing an earlier load's); the load is recorded. The
quarantine CSV is written after the commit, from the store, so a load killed at any point
leaves the store as it was before the file and the next export catches up.

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

from crossline.engine.base import Engine
from crossline.ingest.report import FileCounts
from crossline.ingest.sql import ident, lit
from crossline.ingest.store import (
    KIND_CONFLICT,
    KIND_NOTE,
    KIND_ROW,
    LINE_NUMBER,
    LOADS_TABLE,
    LOADS_TYPES,
    Q_COLUMN,
    Q_FILE,
    Q_KIND,
    Q_LOAD_ID,
    Q_SOURCE_PATH,
    Q_VALUE,
    QUARANTINE_TABLE,
    RAW_ROW,
    REASON,
    SOURCE_FILE,
    table_name,
)
from crossline.ingest.validate import LINE, NOTES, PATH, RAW, RAW_ANY, VALID_VIEW, VIA_MAP
from crossline.ingest.validate import REASON as V_REASON
from crossline.model.schema import QUARANTINE_COLUMNS, FileSpec

PATHS_TABLE = "_ingest_paths"

# Test hook: CROSSLINE_INGEST_FAULT="<file>:<point>" kills the process (SIGKILL) at that
# point of that file's load, so tests can prove a killed load leaves nothing behind.
FAULT_ENV = "CROSSLINE_INGEST_FAULT"


def fault_point(file: str, point: str) -> None:
    if os.environ.get(FAULT_ENV) == f"{file}:{point}":
        os.kill(os.getpid(), signal.SIGKILL)


_Q_COLS = ", ".join(
    ident(c) for c in (Q_FILE, SOURCE_FILE, LINE_NUMBER, Q_KIND, Q_COLUMN, Q_VALUE, REASON, RAW_ROW)
)
_Q_COLS += f", {ident(Q_SOURCE_PATH)}, {ident(Q_LOAD_ID)}"


def _differs(spec: FileSpec, a: str, b: str) -> tuple[str, str]:
    """(any non-key column differs, the differing columns' names joined by ', ')."""
    cols = [c for c in spec.names if c not in spec.key]
    any_diff = " OR ".join(f"{a}.{ident(c)} IS DISTINCT FROM {b}.{ident(c)}" for c in cols)
    names = ", ".join(
        f"CASE WHEN {a}.{ident(c)} IS DISTINCT FROM {b}.{ident(c)} THEN {lit(c)} END" for c in cols
    )
    return (
        any_diff or "false",
        f"array_to_string(list_filter([{names}], lambda n: n IS NOT NULL), ', ')",
    )


def commit_file(
    engine: Engine,
    spec: FileSpec,
    paths: dict[str, str],
    total: int,
    repeated: bool,
    with_map: Callable[[], None] | None = None,
    fill_raw: Callable[[int], None] | None = None,
    notes: bool | None = None,
) -> FileCounts:
    """Commit VALID_VIEW into the store. `paths` maps each source path (as staged in
    `_path`) to its display name for the quarantine's source_file column; `total` is the
    number of staged records; `repeated` says whether the file may hold a key more than
    once (see `may_repeat_keys`), so that only its first occurrence is loaded.

    `with_map` is for a view validated without the phone map (numbers in the common forms
    only) and a file without repeated keys: when not every row went in, it fills the map
    and rebuilds the view, and the rows that needed the map (`_via_map`) go in too, in the
    same transaction. A file of common forms is so read once instead of twice.

    `fill_raw(load_id)` is for a staging without raw text (the CSV fast path): it fills in
    the raw rows of this load's quarantined rows and conflicts, in the same transaction.
    `notes=False` says no row has a note (a pass that looked already), so none is looked
    for; None, that a pass over the notes says whether any has."""
    assert with_map is None or not repeated, "the map-less pass needs distinct keys"
    table = ident(table_name(spec))
    cols = ", ".join(ident(n) for n in spec.names)
    key = [ident(k) for k in spec.key]
    good = f"{V_REASON} IS NULL"
    ranked = (
        f"SELECT *, row_number() OVER (PARTITION BY {', '.join(key)} ORDER BY {PATH}, {LINE}) "
        f"AS __rn FROM {VALID_VIEW} WHERE {good}"
    )
    if repeated:
        firsts = f"SELECT * FROM {VALID_VIEW} WHERE {good} QUALIFY row_number() OVER "
        firsts += f"(PARTITION BY {', '.join(key)} ORDER BY {PATH}, {LINE}) = 1"
    else:
        firsts = f"SELECT * FROM {VALID_VIEW} WHERE {good}"
    match = " AND ".join(f"t.{k} = v.{k}" for k in key)
    source_paths = list(paths)
    # A table built in SQL, not an Arrow one: building Arrow arrays from Python lists has
    # pyarrow import pandas, a second of start-up that a load of a small file would feel.
    pairs = ", ".join(f"({lit(p)}, {lit(paths[p])})" for p in source_paths)
    engine.execute(
        f"CREATE OR REPLACE TEMP TABLE {PATHS_TABLE} AS SELECT * FROM (VALUES {pairs}) "
        "AS t(path, display)"
    )

    def quarantine(kind: str, column: str, value: str, reason: str, raw: str, rel: str) -> str:
        return (
            f"INSERT INTO {QUARANTINE_TABLE} ({_Q_COLS}) SELECT {lit(spec.name)}, p.display, "
            f"v.{LINE}, {lit(kind)}, {column}, {value}, {reason}, {raw}, v.{PATH}, {{load_id}} "
            f"FROM {rel} JOIN {PATHS_TABLE} AS p ON p.path = v.{PATH}"
        )

    try:
        with engine.transaction():
            load_id = int(engine.scalar(f"SELECT COALESCE(max(load_id), 0) + 1 FROM {LOADS_TABLE}"))
            before = int(engine.scalar(f"SELECT count(*) FROM {table}"))

            def run(sql: str) -> None:
                engine.execute(sql.replace("{load_id}", str(load_id)))

            def count(kind: str) -> int:
                return int(
                    engine.scalar(
                        f"SELECT count(*) FROM {QUARANTINE_TABLE} WHERE {ident(Q_LOAD_ID)} = "
                        f"{load_id} AND {ident(Q_KIND)} = {lit(kind)}"
                    )
                )

            def any_notes() -> bool:
                if notes is False:
                    return False
                sql = f"SELECT count(*) FROM (SELECT 1 FROM {VALID_VIEW} WHERE len({NOTES}) > 0 "
                sql += "LIMIT 1)"
                return bool(engine.scalar(sql))

            def insert(*where: str) -> int:
                # Keys already in the store are left out by an anti-join (no index needed).
                anti = [f"NOT EXISTS (SELECT 1 FROM {table} AS t WHERE {match})"] if before else []
                conds = [*where, *anti]
                cond = f"WHERE {' AND '.join(conds)}" if conds else ""
                # The notes of the rows about to go in, first (after, the anti-join hides them).
                # Most files have none: a pass over the note checks alone (not the row's
                # other checks) says so, and the full pass is skipped.
                noted = " AND ".join([*conds, f"len(v.{NOTES}) > 0"])
                if any_notes():
                    run(
                        quarantine(
                            KIND_NOTE,
                            "v.__n.column",
                            "v.__n.value",
                            "v.__n.reason",
                            "NULL",
                            f"(SELECT v.*, unnest(v.{NOTES}) AS __n FROM ({firsts}) AS v "
                            f"WHERE {noted}) AS v",
                        )
                    )
                engine.execute(
                    f"INSERT INTO {table} ({cols}) SELECT {cols} FROM ({firsts}) AS v {cond}"
                )
                return int(engine.scalar(f"SELECT count(*) FROM {table}")) - before

            differs, which = _differs(spec, "t", "v")
            if before:
                # A first occurrence whose key the store holds with other contents.
                run(
                    quarantine(
                        KIND_CONFLICT,
                        "NULL",
                        "NULL",
                        "v.__why",
                        f"v.{RAW_ANY}",
                        f"(SELECT v.*, 'conflict: key already loaded with other ' || {which} "
                        f"AS __why FROM ({firsts}) AS v JOIN {table} AS t ON {match} "
                        f"WHERE {differs}) AS v",
                    )
                )
            if repeated:
                # A later occurrence in the file that differs from the first.
                first_match = " AND ".join(f"t.{k} = v.{k}" for k in key)
                run(
                    quarantine(
                        KIND_CONFLICT,
                        "NULL",
                        "NULL",
                        "v.__why",
                        f"v.{RAW_ANY}",
                        f"(SELECT v.*, 'conflict: key repeated in the file with other ' || "
                        f"{which} || ' (first at ' || f.display || ' line ' || t.{LINE} || ')' "
                        f"AS __why FROM ({ranked}) AS v JOIN "
                        f"({ranked}) AS t ON {first_match} AND t.__rn = 1 "
                        f"JOIN {PATHS_TABLE} AS f ON f.path = t.{PATH} "
                        f"WHERE v.__rn > 1 AND ({differs})) AS v",
                    )
                )
            loaded = insert()
            if with_map is not None and loaded < total:
                with_map()
                loaded = insert(f"v.{VIA_MAP}")
            fault_point(spec.name, "commit")
            if before == 0 and not repeated and loaded == total:
                bad = 0  # every row went in: nothing to quarantine, no second pass
            else:
                run(
                    quarantine(
                        KIND_ROW,
                        "NULL",
                        "NULL",
                        f"v.{V_REASON}",
                        f"v.{RAW}",
                        f"(SELECT * FROM {VALID_VIEW} WHERE {V_REASON} IS NOT NULL) AS v",
                    )
                )
                bad = count(KIND_ROW)
            if fill_raw is not None:
                fill_raw(load_id)
            conflict = count(KIND_CONFLICT)
            with_notes = int(
                engine.scalar(
                    f"SELECT count(DISTINCT ({ident(Q_SOURCE_PATH)}, {ident(LINE_NUMBER)})) "
                    f"FROM {QUARANTINE_TABLE} WHERE {ident(Q_LOAD_ID)} = {load_id} "
                    f"AND {ident(Q_KIND)} = {lit(KIND_NOTE)}"
                )
            )
            valid = total - bad
            counts = FileCounts(
                loaded=loaded,
                quarantined=bad,
                duplicate=valid - loaded - conflict,
                conflict=conflict,
                with_notes=with_notes,
            )
            names = ", ".join(ident(n) for n in LOADS_TYPES)
            engine.execute(
                f"INSERT INTO {LOADS_TABLE} ({names}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    load_id,
                    spec.name,
                    source_paths,
                    datetime.now(UTC).replace(tzinfo=None),
                    counts.loaded,
                    counts.quarantined,
                    counts.duplicate,
                    counts.conflict,
                    counts.with_notes,
                ],
            )
    finally:
        engine.execute(f"DROP TABLE IF EXISTS {PATHS_TABLE}")
    return counts


def export_quarantine(engine: Engine, spec: FileSpec, quarantine_dir: Path) -> Path:
    """Write quarantine/<file>.csv (QUARANTINE_COLUMNS): every load's entries for this
    contract file, oldest load first. The store keeps every entry, so the file only ever
    grows; it is rewritten whole (to a temporary file, then renamed) so it is never torn."""
    quarantine_dir.mkdir(parents=True, exist_ok=True)
    out = quarantine_dir / f"{spec.name}.csv"
    tmp = quarantine_dir / f".{spec.name}.csv.tmp"
    cols = ", ".join(ident(c) for c in QUARANTINE_COLUMNS)
    engine.copy_to_csv(
        f"SELECT {cols} FROM {QUARANTINE_TABLE} WHERE {ident(Q_FILE)} = {lit(spec.name)} "
        f"ORDER BY {ident(Q_LOAD_ID)}, {ident(SOURCE_FILE)}, {ident(LINE_NUMBER)}, "
        f"{ident(Q_KIND)} DESC, {ident(Q_COLUMN)}",
        str(tmp),
    )
    os.replace(tmp, out)
    return out
