"""Streaming a delimited text file into an all-VARCHAR staging table, catching structural
errors.

The file is read as lines (crossline.ingest.text_lines: any compression, BOM-told encoding
and line ends), its delimiter told by its header, and parsed by the `csv` module, in batches
of `BATCH_ROWS` records appended to the engine: nothing proportional to the file is held in
Python. Each staged record carries the physical line where it starts (header = line 1), its
raw text (the line or lines, without the final line break) and a structural error, if any.

A record that spans lines and is then malformed (an unclosed quote swallows the lines after
it, up to the next quote) costs only its first line: that line is quarantined and the lines
after it are read again as records of their own.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pyarrow as pa

from crossline.engine.base import Engine
from crossline.ingest.columns import header_mapping
from crossline.ingest.mapping import FileMapping
from crossline.ingest.progress import ProgressCallback
from crossline.ingest.sql import ident
from crossline.ingest.text_lines import joined, open_lines
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
REASON_UNCLOSED = "unclosed quote"
DELIMITERS = (",", ";", "\t", "|")


def _reason_field_count(expected: int, found: int) -> str:
    return f"wrong field count: expected {expected}, found {found}"


def reason_too_long(column: str) -> str:
    return f"field over 64 KiB in {column}"


def create_stage(engine: Engine, table: str, spec: FileSpec) -> None:
    cols = ["_path VARCHAR", "_line BIGINT", "_raw VARCHAR", "_err VARCHAR"]
    cols += [f"{ident(n)} VARCHAR" for n in spec.names]
    engine.execute(f"CREATE OR REPLACE TEMP TABLE {ident(table)} ({', '.join(cols)})")


def _printable(text: str) -> str:
    """Valid UTF-8 text for a raw row that held invalid bytes (they become \\xNN)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def header_fields(line: str, delimiter: str) -> list[str]:
    try:
        for row in csv.reader([line], delimiter=delimiter):
            return row
    except csv.Error:
        return [line]  # not a header: no contract column will match, the file is refused
    return []


def sniff_delimiter(header: str, spec: FileSpec, mapping: FileMapping | None) -> str:
    """The delimiter that splits the header into the most contract columns (then the most
    fields); a comma when none splits it. Told by the header, not guessed from the data,
    so that a semicolon file whose values hold commas is still read as semicolons."""
    wanted = set(spec.names) | set(mapping.columns if mapping else ())
    best, score = ",", (-1, -1)
    for d in DELIMITERS:
        names = [f.strip().lower() for f in header_fields(header, d)]
        known = sum(1 for n in names if n in wanted)
        if (known, len(names)) > score:
            best, score = d, (known, len(names))
    return best


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


def stage_csv(
    engine: Engine,
    table: str,
    spec: FileSpec,
    path: Path,
    source: str,
    progress: ProgressCallback,
    mapping: FileMapping | None = None,
) -> int:
    """Append one delimited file's records to the staging table; returns records staged.
    Raises MissingColumnError (before staging anything) for absent required columns."""
    csv.field_size_limit(min(_CSV_FIELD_LIMIT, sys.maxsize))
    staged = 0
    lines, fh = open_lines(path)
    with fh:
        encoding = lines.encoding_name
        it = iter(lines)
        header_line = next(it, None)
        if header_line is None:
            return 0  # an empty file: nothing to load
        lines.take()
        lines.bad = False
        delimiter = sniff_delimiter(header_line, spec, mapping)
        header = header_fields(header_line, delimiter)
        positions = header_mapping(spec, header, source, mapping)
        ncols = len(header)
        names = list(positions)
        batch = _Batch(str(path), names, [positions[n] for n in names])
        colnames = header
        reported = 0
        # The reader keeps no state between records, so lines pushed back are simply read
        # again by it.
        reader = csv.reader(it, delimiter=delimiter, strict=False)
        while True:
            err: str | None = None
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                row = []
                err = f"malformed CSV: {exc}"
            end_line = lines.number
            got = lines.take()
            start = end_line - len(got) + 1
            if err is None and not row:
                continue  # a blank line
            ran_out = lines.exhausted and got[-1].endswith(("\n", "\r"))
            if len(got) > 1 and (err is not None or len(row) != ncols or ran_out):
                # An unclosed quote took the lines after it (the record is malformed, or a
                # quoted field was still open at the end of the file): only the first line
                # is lost.
                lines.exhausted = False
                lines.push_back(got[1:])
                lines.bad = False
                first = joined(got[:1])
                if lines.bad_line(first):
                    first = _printable(first)
                batch.bad.append((start, first, REASON_UNCLOSED))
                continue
            raw = joined(got)
            if lines.bad:
                lines.bad = False
                if lines.bad_line(raw):
                    err = REASON_UTF8 if encoding == "UTF-8" else f"invalid {encoding}"
                    raw = _printable(raw)
            if err is None and len(row) != ncols:
                err = _reason_field_count(ncols, len(row))
            if err is None and len(raw) > _QUICK_CHARS:
                for i, f in enumerate(row):
                    if len(f) > _QUICK_CHARS and len(f.encode("utf-8")) > MAX_FIELD_BYTES:
                        err = reason_too_long(colnames[i].strip())
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
                progress.advance(lines.position - reported)
                reported = lines.position
        staged += len(batch)
        batch.flush(engine, table)
        progress.advance(lines.position - reported)
    return staged
