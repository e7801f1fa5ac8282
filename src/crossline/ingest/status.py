"""What the store holds, for `crossline status`."""

from __future__ import annotations

from typing import Any

from crossline.engine.base import Engine
from crossline.ingest.sql import ident
from crossline.ingest.store import (
    KIND_NOTE,
    LOADS_TABLE,
    Q_FILE,
    Q_KIND,
    Q_LOAD_ID,
    Q_SOURCE_PATH,
    QUARANTINE_TABLE,
    table_name,
)
from crossline.model.schema import INPUT_FILES, PROVIDER, Kind

# The quarantine as it stands: each source file's entries from its latest load only (an
# earlier load's stay in the table and the CSV as history; a file delivered again, fixed,
# no longer counts its old bad rows).
_CURRENT = (
    f"SELECT q.* FROM {QUARANTINE_TABLE} AS q JOIN (SELECT p, max(load_id) AS l FROM "
    f"(SELECT unnest(source_paths) AS p, load_id FROM {LOADS_TABLE}) GROUP BY p) AS latest "
    f"ON latest.p = q.{ident(Q_SOURCE_PATH)} AND latest.l = q.{ident(Q_LOAD_ID)}"
)


def _grouped(
    engine: Engine, table: str, column: str, where: str = "true", relation: str | None = None
) -> dict[str, int]:
    """Counts of `table` by `column`; `relation` (a subquery) read instead when given."""
    source = f"({relation}) q" if relation else ident(table)
    t = engine.query(
        f"SELECT {ident(column)} AS k, count(*) AS n FROM {source} WHERE {where} "
        "GROUP BY 1 ORDER BY 1"
    )
    return {
        ("" if k is None else str(k)): int(n)
        for k, n in zip(t.column("k").to_pylist(), t.column("n").to_pylist(), strict=True)
    }


def status(engine: Engine) -> dict[str, Any]:
    """Row counts per table, per force (files with a force column), per provider (comms),
    quarantined rows (and conflicts) and notes per file as they stand, and the number of
    committed file loads. Tables not created yet count as empty."""
    tables: dict[str, int] = {}
    by_force: dict[str, dict[str, int]] = {}
    by_provider: dict[str, dict[str, int]] = {}
    for spec in INPUT_FILES:
        name = table_name(spec)
        if not engine.has_table(name):
            tables[name] = 0
            continue
        tables[name] = int(engine.scalar(f"SELECT count(*) FROM {ident(name)}"))
        for c in spec.columns:
            if c.kind is Kind.FORCE:
                by_force[name] = _grouped(engine, name, c.name)
        if PROVIDER in spec.names:
            by_provider[name] = _grouped(engine, name, PROVIDER)
    quarantine: dict[str, int] = {}
    notes: dict[str, int] = {}
    if engine.has_table(QUARANTINE_TABLE):
        # a subquery, not a view: every engine reads it the same way
        where = (f"{Q_KIND} <> 'note'", f"{Q_KIND} = '{KIND_NOTE}'")
        quarantine = _grouped(engine, QUARANTINE_TABLE, Q_FILE, where[0], _CURRENT)
        notes = _grouped(engine, QUARANTINE_TABLE, Q_FILE, where[1], _CURRENT)
    loads = (
        int(engine.scalar(f"SELECT count(*) FROM {LOADS_TABLE}"))
        if engine.has_table(LOADS_TABLE)
        else 0
    )
    return {
        "tables": tables,
        "by_force": by_force,
        "by_provider": by_provider,
        "quarantine": quarantine,
        "notes": notes,
        "loads": loads,
    }
