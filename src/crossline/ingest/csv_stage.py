"""Streaming a CSV file into an all-VARCHAR staging table, catching structural errors.

The file is read as binary lines, decoded with surrogateescape (so invalid UTF-8 is caught
per record rather than failing the file) and parsed by the `csv` module, in batches of
`BATCH_ROWS` records appended to the engine: nothing proportional to the file is held in
Python. Each staged record carries the physical line where it starts (header = line 1), its
raw text (the line or lines, without the final line break) and a structural error, if any.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa

from crossline.engine.base import Engine
from crossline.ingest.errors import MissingColumnError
from crossline.ingest.progress import ProgressCallback
from crossline.ingest.sql import ident
from crossline.model.schema import FileSpec

BATCH_ROWS = 50_000
MAX_FIELD_BYTES = 64 * 1024
# A record's fields cannot exceed MAX_FIELD_BYTES when the whole record has at most this
# many characters (a character is at most 4 bytes in UTF-8), so most rows skip the check.
_QUICK_CHARS = MAX_FIELD_BYTES // 4
# The csv module's own cap: a runaway quoted field stops here instead of eating memory.
_CSV_FIELD_LIMIT = 4 * 1024 * 1024

STAGE_META = ("_path", "_line", "_raw", "_err")

REASON_UTF8 = "invalid UTF-8"


def _reason_field_count(expected: int, found: int) -> str:
    return f"wrong field count: expected {expected}, found {found}"


def _reason_too_long(column: str) -> str:
    return f"field over 64 KiB in {column}"


def create_stage(engine: Engine, table: str, spec: FileSpec) -> None:
    cols = ["_path VARCHAR", "_line BIGINT", "_raw VARCHAR", "_err VARCHAR"]
    cols += [f"{ident(n)} VARCHAR" for n in spec.names]
    engine.execute(f"CREATE OR REPLACE TEMP TABLE {ident(table)} ({', '.join(cols)})")


def header_mapping(spec: FileSpec, header: list[str], source: str) -> dict[str, int]:
    """Contract column -> field position. Names are matched trimmed and case-insensitively;
    the first of repeated names wins; unknown columns are ignored (kept in raw rows only).
    Raises MissingColumnError for an absent required column."""
    wanted = set(spec.names)
    mapping: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.strip().lower()
        if key in wanted and key not in mapping:
            mapping[key] = i
    for col in spec.required:
        if col not in mapping:
            raise MissingColumnError(spec.name, col, source)
    return mapping


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _printable(text: str) -> str:
    """Valid UTF-8 text for a raw row that held invalid bytes (they become \\xNN)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class _Lines:
    """Binary lines decoded to str, remembering the lines of the current record."""

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self.pending: list[str] = []
        self.bad_utf8 = False
        self.nbytes = 0

    def __iter__(self) -> Iterator[str]:
        pending = self.pending
        for b in self._fh:
            self.nbytes += len(b)
            try:
                s = b.decode("utf-8")
            except UnicodeDecodeError:
                s = b.decode("utf-8", "surrogateescape")
                self.bad_utf8 = True
            pending.append(s)
            yield s

    def take(self) -> str:
        """The raw text of the record just parsed, without its final line break."""
        p = self.pending
        raw = p[0] if len(p) == 1 else "".join(p)
        p.clear()
        if raw.endswith("\n"):
            raw = raw[:-2] if raw.endswith("\r\n") else raw[:-1]
        elif raw.endswith("\r"):
            raw = raw[:-1]
        return raw


class _Batch:
    def __init__(self, path: str, names: list[str], positions: list[int]) -> None:
        self.path = path
        self.names = names
        self.positions = positions
        self.lines: list[int] = []
        self.raws: list[str] = []
        self.rows: list[list[str]] = []
        self.bad: list[tuple[int, str, str]] = []  # (line, raw, reason)

    def __len__(self) -> int:
        return len(self.rows) + len(self.bad)

    def flush(self, engine: Engine, table: str) -> None:
        if self.rows:
            cols = list(zip(*self.rows, strict=True))
            data: dict[str, pa.Array] = {
                "_path": pa.array([self.path] * len(self.rows), pa.string()),
                "_line": pa.array(self.lines, pa.int64()),
                "_raw": pa.array(self.raws, pa.string()),
            }
            for name, pos in zip(self.names, self.positions, strict=True):
                data[name] = pa.array(cols[pos], pa.string())
            engine.append(table, pa.table(data))
        if self.bad:
            lines, raws, errs = zip(*self.bad, strict=True)
            engine.append(
                table,
                pa.table(
                    {
                        "_path": pa.array([self.path] * len(self.bad), pa.string()),
                        "_line": pa.array(lines, pa.int64()),
                        "_raw": pa.array(raws, pa.string()),
                        "_err": pa.array(errs, pa.string()),
                    }
                ),
            )
        self.lines.clear()
        self.raws.clear()
        self.rows.clear()
        self.bad.clear()


def read_header(path: Path) -> list[str]:
    with path.open("rb") as fh:
        first = fh.readline()
    text = first.decode("utf-8", "replace").lstrip("\ufeff")
    for row in csv.reader([text]):
        return row
    return []


def stage_csv(
    engine: Engine,
    table: str,
    spec: FileSpec,
    path: Path,
    source: str,
    progress: ProgressCallback,
) -> int:
    """Append one CSV file's records to the staging table; returns records staged."""
    csv.field_size_limit(min(_CSV_FIELD_LIMIT, sys.maxsize))
    staged = 0
    with path.open("rb") as fh:
        lines = _Lines(fh)
        it = iter(lines)
        reader = csv.reader(it, strict=False)
        try:
            header = next(reader)
        except StopIteration:
            return 0  # an empty file: nothing to load
        if header:
            header[0] = header[0].lstrip("\ufeff")
        lines.take()
        lines.bad_utf8 = False
        mapping = header_mapping(spec, header, source)
        ncols = len(header)
        names = list(mapping)
        batch = _Batch(str(path), names, [mapping[n] for n in names])
        colnames = header
        last_line = reader.line_num
        reported = 0
        while True:
            err: str | None = None
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                row = []
                err = f"malformed CSV: {exc}"
            start = last_line + 1
            last_line = reader.line_num
            raw = lines.take()
            if err is None and not row:
                continue  # a blank line
            if lines.bad_utf8:
                lines.bad_utf8 = False
                if _has_surrogates(raw):
                    err = REASON_UTF8
                    raw = _printable(raw)
            if err is None and len(row) != ncols:
                err = _reason_field_count(ncols, len(row))
            if err is None and len(raw) > _QUICK_CHARS:
                for i, f in enumerate(row):
                    if len(f) > _QUICK_CHARS and len(f.encode("utf-8")) > MAX_FIELD_BYTES:
                        err = _reason_too_long(colnames[i].strip())
                        break
            if err is None:
                batch.lines.append(start)
                batch.raws.append(raw)
                batch.rows.append(row)
            else:
                batch.bad.append((start, raw, err))
            if len(batch) >= BATCH_ROWS:
                staged += len(batch)
                batch.flush(engine, table)
                progress.advance(lines.nbytes - reported)
                reported = lines.nbytes
        staged += len(batch)
        batch.flush(engine, table)
        progress.advance(lines.nbytes - reported)
    return staged
