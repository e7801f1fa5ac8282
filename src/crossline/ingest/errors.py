"""Errors that stop one file from loading (bad rows never do: they are quarantined)."""

from __future__ import annotations


class IngestError(Exception):
    """A whole input file was refused."""


class MissingColumnError(IngestError):
    """A required column is absent from a file's header (or Parquet schema)."""

    def __init__(self, file: str, column: str, source: str | None = None) -> None:
        self.file = file
        self.column = column
        self.source = source or file
        super().__init__(
            f"{self.source}: required column {column!r} is missing; the {file} file was not loaded"
        )
