"""What the store holds, for `crossline status`."""

from __future__ import annotations

from typing import Any

from crossline.engine.base import Engine
from crossline.ingest.sql import ident
from crossline.ingest.store import LOADS_TABLE, Q_FILE, QUARANTINE_TABLE, table_name
from crossline.model.schema import INPUT_FILES, PROVIDER, Kind


def _grouped(engine: Engine, table: str, column: str) -> dict[str, int]:
    t = engine.query(
        f"SELECT {ident(column)} AS k, count(*) AS n FROM {ident(table)} GROUP BY 1 ORDER BY 1"
    )
    return {
        ("" if k is None else str(k)): int(n)
        for k, n in zip(t.column("k").to_pylist(), t.column("n").to_pylist(), strict=True)
    }


def status(engine: Engine) -> dict[str, Any]:
    """Row counts per table, per force (files with a force column), per provider (comms),
    quarantined rows per file and the number of committed file loads. Tables not created
    yet count as empty."""
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
    quarantine = (
        _grouped(engine, QUARANTINE_TABLE, Q_FILE) if engine.has_table(QUARANTINE_TABLE) else {}
    )
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
        "loads": loads,
    }
