"""How ingest reports progress without depending on any UI library."""

from __future__ import annotations

from typing import Literal, Protocol

Unit = Literal["bytes", "rows"]


class ProgressCallback(Protocol):
    """Driven once per input file: start, any number of advances, done.

    CSV files are measured in bytes read; Parquet files in rows.
    """

    def start(self, file: str, total: int, unit: Unit) -> None: ...

    def advance(self, n: int) -> None: ...

    def done(self) -> None: ...


class NoProgress:
    """The silent default."""

    def start(self, file: str, total: int, unit: Unit) -> None:
        return None

    def advance(self, n: int) -> None:
        return None

    def done(self) -> None:
        return None
