"""The Parquet step between ingest and Spark: the DuckDB store's tables, written as
Parquet into the Spark engine's warehouse.

Ingest stays where its validation and quarantine are (DuckDB, engine/duckdb); what it
committed is then mirrored here, one Parquet file per table, which Spark (on this machine
or a cluster with the workspace on shared storage) reads in place. DuckDB writes the
files itself (COPY ... TO, streaming, in row groups Spark splits across tasks), so the
export never holds a table in memory. The mirror is redone whenever the store changed
since the last one (its size and modification time), and only then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from crossline.engine.dialect import literal, quote
from crossline.engine.spark.warehouse import Warehouse

ROW_GROUP_ROWS = 1_000_000  # Spark's unit of parallel reading within one file


def store_identity(store: Path) -> dict[str, Any]:
    st = store.stat()
    return {"store": str(store.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def is_current(store: Path, warehouse: Path) -> bool:
    """Whether the warehouse mirrors the store as it is now."""
    return store.is_file() and Warehouse.open(warehouse).source == store_identity(store)


def export_store(store: Path, warehouse: Path, *, threads: int = 2) -> list[str]:
    """Mirror every table of the DuckDB store at `store` into `warehouse` (tables the
    warehouse holds that the store lacks, such as results of analyses run on Spark, are
    kept). All tables are swapped in at once. Returns the tables written."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        con.execute(f"SET threads = {int(threads)}")
        names = export_tables(con, warehouse)
    finally:
        con.close()
    Warehouse.open(warehouse).record_source(store_identity(store))
    return names


def export_tables(con: duckdb.DuckDBPyConnection, warehouse: Path) -> list[str]:
    """Every base table of the store open on `con`, as Parquet in `warehouse`."""
    wh = Warehouse.open(warehouse)
    con.execute("SET TimeZone = 'UTC'")
    names = [
        str(r[0])
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
    ]
    with wh.transaction():
        for name in names:
            rel = wh.new_path(name)
            con.execute(
                f"COPY (SELECT * FROM {quote(name)}) TO {literal(str(warehouse / rel))} "
                f"(FORMAT parquet, ROW_GROUP_SIZE {ROW_GROUP_ROWS})"
            )
            wh.set(name, [rel])
    return names
