"""Errors that stop one file from loading (bad rows never do: they are quarantined)."""

from __future__ import annotations


class IngestError(Exception):
    """A whole input file was refused, or the load could not start; the message is one
    line a user can act on."""


class MissingColumnError(IngestError):
    """Required columns are absent from a file's header (or Parquet schema)."""

    def __init__(
        self,
        file: str,
        columns: str | list[str],
        source: str | None = None,
        closest: dict[str, str | None] | None = None,
    ) -> None:
        self.file = file
        self.columns = [columns] if isinstance(columns, str) else list(columns)
        self.column = self.columns[0]
        self.source = source or file
        closest = closest or {}
        parts = []
        for c in self.columns:
            near = closest.get(c)
            parts.append(f"{c!r}" + (f" (closest header: {near!r})" if near else ""))
        what = "column" if len(parts) == 1 else "columns"
        verb = "is" if len(parts) == 1 else "are"
        super().__init__(
            f"{self.source}: required {what} {', '.join(parts)} {verb} missing; "
            f"the {file} file was not loaded"
        )


class UnreadableFileError(IngestError):
    """A file that is not what its name says (a broken gzip, a corrupt Parquet or
    workbook): refused whole, the other files still load."""

    def __init__(self, file: str, source: str, detail: str) -> None:
        self.file = file
        self.source = source
        detail = " ".join(str(detail).split())[:200]
        super().__init__(f"{source}: could not be read ({detail}); the {file} file was not loaded")


class MappingError(IngestError):
    """A mapping file that cannot be used; nothing is loaded with a wrong mapping."""
