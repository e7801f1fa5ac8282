"""The engine interface every analytical backend implements.

Analyses and ingest talk only to this interface: they hand it SQL written once in DuckDB's
dialect and get Arrow tables back. A backend whose dialect differs transpiles with sqlglot,
as Splink does, so no layer above keeps two SQL dialects.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

import pyarrow as pa

SQL_DIALECT = "duckdb"  # the one dialect SQL is written in


class Engine(ABC):
    dialect: str = SQL_DIALECT

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """Run a query and return its result as an Arrow table."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Run a statement for its effect."""

    @abstractmethod
    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """Run a query returning one value."""

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

    @abstractmethod
    def copy_to_csv(self, sql: str, path: str) -> None:
        """Write a query result to a CSV file with a header row."""

    @abstractmethod
    def close(self) -> None: ...
