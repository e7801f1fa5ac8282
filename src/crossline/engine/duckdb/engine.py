"""DuckDB backend: the default engine, an embedded file that spills to disk so memory stays
bounded whatever the size of the comms table."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from crossline.engine.base import Engine, SplinkBackend
from crossline.engine.dialect import DUCKDB, literal, quote
from crossline.engine.duckdb.linkage import DuckDBSplinkBackend


class DuckDBEngine(Engine):
    dialect = DUCKDB

    def __init__(
        self,
        path: Path | str = ":memory:",
        *,
        memory_limit: str = "4GB",
        threads: int = 2,
        temp_dir: Path | str | None = None,
    ) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._con = duckdb.connect(str(path))
        self._con.execute(f"SET memory_limit = {literal(memory_limit)}")
        self._con.execute(f"SET threads = {int(threads)}")
        self._con.execute("SET TimeZone = 'UTC'")
        # The engine's own progress bar writes to the process's stdout (even a pipe), where
        # it would corrupt `--json` output; the CLI draws its own bars on stderr.
        self._con.execute("SET enable_progress_bar = false")
        # Offline by design: never reach for an extension repository at run time.
        self._con.execute("SET autoinstall_known_extensions = false")
        if temp_dir is not None:
            Path(temp_dir).mkdir(parents=True, exist_ok=True)
            self._con.execute(f"SET temp_directory = {literal(str(temp_dir))}")
        self._n = 0

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The store's connection, for the adapter's own neighbours (the Parquet export for
        Spark reads the store through it while this engine holds the file)."""
        return self._con

    def _query(self, sql: str, params: Sequence[Any] | None) -> pa.Table:
        # duckdb 2: a relation's Arrow output avoids the extra copy of a DB-API result.
        return self._con.sql(sql, params=list(params) if params else None).to_arrow_table()

    def _execute(self, sql: str, params: Sequence[Any] | None) -> None:
        self._con.execute(sql, params or [])

    def _scalar(self, sql: str, params: Sequence[Any] | None) -> Any:
        # fetchall, not fetchone: duckdb 2 refuses other work while a result is unfinished.
        rows = self._con.execute(sql, params or []).fetchall()
        return rows[0][0] if rows else None

    def append(self, table: str, data: pa.Table | pa.RecordBatch) -> None:
        self._n += 1
        name = f"__append_{self._n}"
        self._con.register(name, data)
        try:
            cols = ", ".join(quote(c) for c in data.schema.names)
            self._con.execute(
                f"INSERT INTO {quote(table)} ({cols}) SELECT {cols} FROM {quote(name)}"
            )
        finally:
            self._con.unregister(name)

    def replace_table(self, name: str, data: pa.Table) -> None:
        self._n += 1
        tmp = f"__replace_{self._n}"
        self._con.register(tmp, data)
        try:
            self._con.execute(
                f"CREATE OR REPLACE TABLE {quote(name)} AS SELECT * FROM {quote(tmp)}"
            )
        finally:
            self._con.unregister(tmp)

    def register(self, name: str, data: pa.Table) -> None:
        self._con.register(name, data)

    def unregister(self, name: str) -> None:
        self._con.unregister(name)

    def has_table(self, name: str) -> bool:
        n = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchall()
        return bool(n and n[0][0])

    def columns(self, table: str) -> list[str]:
        rows = self._con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position",
            [table],
        ).fetchall()
        return [r[0] for r in rows]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    def parquet_source(self, paths: Sequence[str]) -> str:
        return "read_parquet([" + ", ".join(literal(p) for p in paths) + "], union_by_name=true)"

    def csv_source(self, path: str, delimiter: str, columns: int) -> str | None:
        cols = ", ".join(f"{literal(f'c{i}')}: 'VARCHAR'" for i in range(columns))
        return (
            f"read_csv({literal(path)}, header = true, auto_detect = false, "
            f"delim = {literal(delimiter)}, quote = '\"', escape = '\"', strict_mode = true, "
            f"null_padding = false, columns = {{{cols}}})"
        )

    def is_engine_error(self, exc: BaseException) -> bool:
        return isinstance(exc, duckdb.Error)

    def _copy_to_csv(self, sql: str, path: str) -> None:
        self._con.execute(f"COPY ({sql}) TO {literal(path)} (HEADER, DELIMITER ',')")

    def splink_backend(self, *, threads: int, memory_limit: str) -> SplinkBackend:
        return DuckDBSplinkBackend(threads=threads, memory_limit=memory_limit)

    def close(self) -> None:
        self._con.close()
