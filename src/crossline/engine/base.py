"""The engine interface every analytical backend implements.

Analyses and ingest talk only to this interface: they hand it SQL written once in the house
dialect (DuckDB's) and get Arrow tables back. Every statement passes through `translate`:
an engine whose dialect differs gets it transpiled by sqlglot, as Splink does, so no layer
above keeps two SQL dialects; the expressions that sqlglot cannot carry across are written
through the engine's `dialect` (engine.dialect).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Any

import pyarrow as pa
import sqlglot

from crossline.engine.dialect import DUCKDB, Dialect

SQL_DIALECT = DUCKDB.name  # the one dialect SQL is written in


@lru_cache(maxsize=4096)
def transpile(sql: str, write: str) -> str:
    """One house-dialect statement in dialect `write`. Cached: an analysis issues the same
    few statement texts over and over (one per registered set, per rule). Raises where
    sqlglot cannot express a construct in `write`, rather than running something else."""
    out = sqlglot.transpile(
        sql, read=SQL_DIALECT, write=write, unsupported_level=sqlglot.ErrorLevel.RAISE
    )
    if len(out) != 1:
        raise ValueError(f"expected one SQL statement, got {len(out)}")
    return str(out[0])


class SplinkBackend(ABC):
    """A Splink database API on a connection the engine opened for person linkage, so that
    analyses neither import an engine library nor reach into Splink's private state."""

    @property
    @abstractmethod
    def api(self) -> Any:
        """The Splink database API (splink.DuckDBAPI, splink.SparkAPI) to build a Linker on."""

    @abstractmethod
    def free_row_order(self) -> None:
        """Results need not keep insertion order from now on, so the engine may write them
        in parallel (scoring, once training's seeded samples are drawn)."""


class Engine(ABC):
    dialect: Dialect = DUCKDB

    def translate(self, sql: str) -> str:
        """The statement as this engine runs it: unchanged in the house dialect (no parse,
        so DuckDB pays nothing), else transpiled."""
        if self.dialect.name == SQL_DIALECT:
            return sql
        return transpile(sql, self.dialect.name)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """Run a query and return its result as an Arrow table."""
        return self._query(self.translate(sql), params)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Run a statement for its effect."""
        self._execute(self.translate(sql), params)

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """Run a query returning one value."""
        return self._scalar(self.translate(sql), params)

    def copy_to_csv(self, sql: str, path: str) -> None:
        """Write a query result to a CSV file with a header row."""
        self._copy_to_csv(self.translate(sql), path)

    @abstractmethod
    def _query(self, sql: str, params: Sequence[Any] | None) -> pa.Table: ...

    @abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] | None) -> None: ...

    @abstractmethod
    def _scalar(self, sql: str, params: Sequence[Any] | None) -> Any: ...

    @abstractmethod
    def _copy_to_csv(self, sql: str, path: str) -> None: ...

    @abstractmethod
    def append(self, table: str, data: pa.Table | pa.RecordBatch) -> None:
        """Append Arrow data to an existing table (columns matched by name)."""

    @abstractmethod
    def replace_table(self, name: str, data: pa.Table) -> None:
        """Store an analysis result as table `name`, replacing any earlier one."""

    @abstractmethod
    def register(self, name: str, data: pa.Table) -> None:
        """Expose an Arrow table as a temporary relation called `name`."""

    @abstractmethod
    def unregister(self, name: str) -> None: ...

    @abstractmethod
    def has_table(self, name: str) -> bool: ...

    @abstractmethod
    def columns(self, table: str) -> list[str]: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """All-or-nothing: commit on success, roll back on any exception."""

    @abstractmethod
    def parquet_source(self, paths: Sequence[str]) -> str:
        """A relation expression (usable after FROM) reading these Parquet files."""

    def csv_source(self, path: str, delimiter: str, columns: int) -> str | None:
        """A relation expression reading a delimited file strictly, or None when the engine
        has no such reader. The file has a header line (skipped) and `columns` fields per
        record, read as VARCHAR columns c0, c1, ... in the file's order; quotes are `"`,
        doubled inside a quoted field. Reading it raises an engine error (see
        `is_engine_error`) at a wrong field count, an unclosed or stray quote or bytes that
        are not UTF-8."""
        return None

    def is_engine_error(self, exc: BaseException) -> bool:
        """Whether `exc` is the engine's own error about its input or a statement (a corrupt
        file, a cast it refuses), as opposed to a bug or a system error."""
        return False

    @abstractmethod
    def splink_backend(self, *, threads: int, memory_limit: str) -> SplinkBackend:
        """A fresh Splink database API for person linkage, using `threads` threads and at
        most `memory_limit` of memory, apart from the store (Splink's working tables never
        land in it)."""

    def splink_training_backend(self, *, threads: int, memory_limit: str) -> SplinkBackend | None:
        """The Splink backend person resolution trains its model on (u by sampling, m by
        EM). Training reads bounded samples of the prepared records, which are already on
        the driver; an engine whose own samples differ from DuckDB's (Spark's rand() is
        per partition) trains in-process on DuckDB instead, so that both engines train
        the same model and resolve the same persons. None (the default): train on the
        scoring backend."""
        return None

    @abstractmethod
    def close(self) -> None: ...
