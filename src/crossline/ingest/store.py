"""The store's tables, derived from the contract in `crossline.model.schema`.

One table per contract file, named as the file (`comms`, `cells`, ...), with the contract's
columns typed by kind (see `SQL_TYPES`), plus `quarantine` (bad rows whole, conflicts and
notes; appended to, never overwritten) and `ingest_loads` (one row per committed file
load). There is deliberately no primary-key
index: keys are enforced by the loader's anti-join, which stays cheap at 100M rows.
"""

from __future__ import annotations

from crossline.engine.base import Engine
from crossline.ingest.sql import ident
from crossline.model.schema import INPUT_FILES, QUARANTINE_COLUMNS, FileSpec, Kind

SQL_TYPES: dict[Kind, str] = {
    Kind.TEXT: "VARCHAR",
    Kind.NAME: "VARCHAR",
    Kind.PHONE: "VARCHAR",  # E.164
    Kind.PHONE_DIGITS: "BIGINT",  # E.164 without its '+'
    Kind.PHONES: "VARCHAR[]",  # list of E.164
    Kind.TIME: "TIMESTAMP",  # UTC, without a zone
    Kind.DATE: "DATE",
    Kind.PARTIAL_DATE: "VARCHAR",  # 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'
    Kind.INT: "BIGINT",
    Kind.DURATION: "BIGINT",  # whole seconds
    Kind.FLOAT: "DOUBLE",
    Kind.LAT: "DOUBLE",
    Kind.LON: "DOUBLE",
    Kind.ENUM: "VARCHAR",
    Kind.FLAGS: "VARCHAR[]",
    Kind.FORCE: "VARCHAR",
}

QUARANTINE_TABLE = "quarantine"
LOADS_TABLE = "ingest_loads"

SOURCE_FILE, LINE_NUMBER, REASON, RAW_ROW, Q_KIND, Q_COLUMN, Q_VALUE, Q_SOURCE_PATH, Q_LOAD_ID = (
    QUARANTINE_COLUMNS
)
# Store-only quarantine column: which contract file.
Q_FILE = "file"
KIND_ROW, KIND_CONFLICT, KIND_NOTE = "row", "conflict", "note"

QUARANTINE_TYPES: dict[str, str] = {
    Q_FILE: "VARCHAR",
    SOURCE_FILE: "VARCHAR",
    LINE_NUMBER: "BIGINT",
    REASON: "VARCHAR",
    RAW_ROW: "VARCHAR",
    Q_SOURCE_PATH: "VARCHAR",
    Q_LOAD_ID: "BIGINT",
    Q_KIND: "VARCHAR",
    Q_COLUMN: "VARCHAR",
    Q_VALUE: "VARCHAR",
}

LOADS_TYPES: dict[str, str] = {
    "load_id": "BIGINT",
    "file": "VARCHAR",
    "source_paths": "VARCHAR[]",
    "loaded_at": "TIMESTAMP",
    "loaded": "BIGINT",
    "quarantined": "BIGINT",
    "duplicate": "BIGINT",
    "conflict": "BIGINT",
    "with_notes": "BIGINT",
}


def table_name(spec: FileSpec) -> str:
    return spec.name


def _create(engine: Engine, table: str, columns: dict[str, str]) -> None:
    cols = ", ".join(f"{ident(n)} {t}" for n, t in columns.items())
    engine.execute(f"CREATE TABLE IF NOT EXISTS {ident(table)} ({cols})")
    # A workspace from before a column was added gains it (empty for the earlier loads).
    for n, t in columns.items():
        engine.execute(f"ALTER TABLE {ident(table)} ADD COLUMN IF NOT EXISTS {ident(n)} {t}")


def table_columns(spec: FileSpec) -> dict[str, str]:
    return {c.name: SQL_TYPES[c.kind] for c in spec.columns}


def ensure_tables(engine: Engine) -> None:
    """Create every store table that does not exist yet (idempotent)."""
    for spec in INPUT_FILES:
        _create(engine, table_name(spec), table_columns(spec))
    _create(engine, QUARANTINE_TABLE, QUARANTINE_TYPES)
    _create(engine, LOADS_TABLE, LOADS_TYPES)
