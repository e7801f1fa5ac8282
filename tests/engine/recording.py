"""An engine that records every statement handed to it, for checks over all the SQL an
analysis issues (which no reading of the source can list: statements are assembled at run
time from the registered sets, the tables present and the configuration)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

import pyarrow as pa

from crossline.engine.base import Engine, SplinkBackend


class RecordingEngine(Engine):
    """Runs everything on `inner`, noting each statement (in the house dialect, before any
    transpiling) in `statements`. Tables in `hide` look absent, so that the branches an
    analysis takes for a store without them issue their statements too."""

    def __init__(self, inner: Engine, hide: frozenset[str] = frozenset()) -> None:
        self.inner = inner
        self.dialect = inner.dialect
        self.hide = hide
        self.statements: list[str] = []

    def translate(self, sql: str) -> str:
        self.statements.append(sql)
        return super().translate(sql)

    def _query(self, sql: str, params: Sequence[Any] | None) -> pa.Table:
        return self.inner.query(sql, params)

    def _execute(self, sql: str, params: Sequence[Any] | None) -> None:
        self.inner.execute(sql, params)

    def _scalar(self, sql: str, params: Sequence[Any] | None) -> Any:
        return self.inner.scalar(sql, params)

    def _copy_to_csv(self, sql: str, path: str) -> None:
        self.inner.copy_to_csv(sql, path)

    def append(self, table: str, data: pa.Table | pa.RecordBatch) -> None:
        self.inner.append(table, data)

    def replace_table(self, name: str, data: pa.Table) -> None:
        self.inner.replace_table(name, data)

    def register(self, name: str, data: pa.Table) -> None:
        self.inner.register(name, data)

    def unregister(self, name: str) -> None:
        self.inner.unregister(name)

    def has_table(self, name: str) -> bool:
        return name not in self.hide and self.inner.has_table(name)

    def columns(self, table: str) -> list[str]:
        return self.inner.columns(table)

    def transaction(self) -> AbstractContextManager[None]:
        return self.inner.transaction()

    def parquet_source(self, paths: Sequence[str]) -> str:
        return self.inner.parquet_source(paths)

    def splink_backend(self, *, threads: int, memory_limit: str) -> SplinkBackend:
        # Splink's own statements are its business (it has its own Spark backend)
        return self.inner.splink_backend(threads=threads, memory_limit=memory_limit)

    def close(self) -> None:
        self.inner.close()

    def distinct(self) -> Iterator[str]:
        """The statements, each once, in the order first issued."""
        yield from dict.fromkeys(self.statements)
