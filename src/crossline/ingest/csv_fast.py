"""The fast path for well-formed delimited files: the engine's own CSV reader, no Python
row loop and no staging copy.

A file takes this path when it is UTF-8 (BOM or not), not gzipped, with LF or CRLF line
ends throughout, the engine's reader (strict: a wrong field count, an unclosed or stray
quote, bytes that are not UTF-8 or a line over its limit stop it) reads it through without
an error and finds as many records as the file has lines after its header; every other
file takes the exact path (crossline.ingest.csv_stage), which finds and quarantines its
structural defects row by row. On this path the outputs are those of the exact path:

- a record's line is its row number plus one (the reader keeps the file's order, and the
  file has as many lines as records plus the header: no record spans lines, no blank line
  is skipped);
- a field over 64 KiB costs its row with the exact path's reason (`field over 64 KiB in
  <column>`, the first such column);
- a quarantined row's or conflict's raw text (its line, without the line break) is read
  back from the file by line number, inside the load's transaction, only when the load
  has such rows.

Files are read as all-VARCHAR text, a missing value and an empty one alike NULL (the
cleaning makes both NULL in the exact path too).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa

from crossline.engine.base import Engine
from crossline.ingest.columns import header_mapping
from crossline.ingest.csv_stage import (
    MAX_FIELD_BYTES,
    header_fields,
    reason_too_long,
    sniff_delimiter,
)
from crossline.ingest.mapping import FileMapping
from crossline.ingest.phones import empty_phone_map
from crossline.ingest.sql import ident, lit
from crossline.ingest.store import (
    KIND_CONFLICT,
    KIND_ROW,
    LINE_NUMBER,
    Q_KIND,
    Q_LOAD_ID,
    Q_SOURCE_PATH,
    QUARANTINE_TABLE,
    RAW_ROW,
)
from crossline.ingest.text_lines import open_lines, sniff_form
from crossline.ingest.validate import (
    LINE,
    NOTES,
    PATH,
    VALID_VIEW,
    Staged,
    build_validated,
    key_hash_sql,
)
from crossline.model.schema import FileSpec

_CHUNK = 1 << 20
RAW_FILL_TABLE = "_ingest_raw_fill"


def _line_ends(path: Path) -> int | None:
    """The number of physical lines of a file with LF or CRLF line ends throughout (a last
    line without a line end counted too); None when any CR is not part of a CRLF, which
    the engine's reader could take for a line end where the exact path does not."""
    lf = cr = crlf = 0
    last = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            lf += chunk.count(b"\n")
            n_cr = chunk.count(b"\r")
            if n_cr or cr:
                cr += n_cr
                crlf += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
            last = chunk[-1:]
    if cr and not (cr == crlf == lf):
        return None
    return lf + (last not in (b"", b"\n"))


def _header(path: Path) -> str | None:
    lines, fh = open_lines(path)
    with fh:
        return next(iter(lines), None)


def fast_csv(
    engine: Engine,
    spec: FileSpec,
    paths: list[Path],
    source: str,
    mapping: FileMapping | None = None,
) -> tuple[Staged, int] | None:
    """The files as a Staged relation read by the engine's reader, and the number of
    records they hold if each is one line; None when a file's bytes already say it needs
    the exact path. Nothing is read past the headers here: `scan_fast` reads the files
    through. Raises MissingColumnError as the exact path does."""
    parts: list[str] = []
    present: set[str] = set()
    records = 0
    for path in paths:
        form = sniff_form(path)
        if form.gzipped or form.encoding != "utf-8" or form.cr_only:
            return None
        header_line = _header(path)
        if header_line is None:
            return None  # an empty file: the exact path says so
        delimiter = sniff_delimiter(header_line, spec, mapping)
        header = header_fields(header_line, delimiter)
        positions = header_mapping(spec, header, source, mapping)
        lines = _line_ends(path)
        reader = engine.csv_source(str(path), delimiter, len(header))
        if lines is None or reader is None:
            return None
        records += lines - 1
        # Every column of the file is named here, so that the reader checks every field
        # (it checks only the columns a query reads), and a field over 64 KiB costs its
        # row with the exact path's reason.
        too_long = " ".join(
            f"WHEN strlen(c{i}) > {MAX_FIELD_BYTES} THEN {lit(reason_too_long(h.strip()))}"
            for i, h in enumerate(header)
        )
        present.update(positions)
        named = ", ".join(f"c{pos} AS {ident(name)}" for name, pos in positions.items())
        parts.append(
            f"SELECT {lit(str(path))} AS {PATH}, row_number() OVER () + 1 AS {LINE}, "
            f"CAST(CASE {too_long} END AS VARCHAR) AS _err, {named} FROM {reader}"
        )
    # Parts that lack a column (a part's header may differ) read it as NULL.
    relation = "(" + " UNION ALL BY NAME ".join(f"({p})" for p in parts) + ")"
    values = {n: f"r.{ident(n)}" for n in spec.names if n in present}
    staged = Staged(relation=relation, values=values, raw="CAST(NULL AS VARCHAR)", err="r._err")
    return staged, records


@dataclass(frozen=True)
class Scan:
    """What one pass over a fast_csv staging found."""

    records: int
    repeated: bool  # a key may repeat (as may_repeat_keys)
    notes: bool  # a loaded row may have a note (False is exact: none has)


def scan_fast(
    engine: Engine, spec: FileSpec, staged: Staged, records: int, today: date
) -> Scan | None:
    """One pass over a fast_csv staging (after build_clean_view), or None when the files
    need the exact path after all: the reader stopped at an error, or found fewer records
    than the files have lines. The pass validates without the phone map, so its notes are
    a superset of the final ones (the map only ever reads more numbers)."""
    empty_phone_map(engine)
    build_validated(engine, spec, staged, today, scan=True)
    # __err is counted so that it is read: it names every column of the files.
    try:
        found = engine.query(
            f"SELECT COALESCE(sum(n), 0) AS n, count(*) FILTER (WHERE h IS NOT NULL AND n > 1) "
            f"AS r, sum(e) AS e, COALESCE(bool_or(w), false) AS w FROM (SELECT __h AS h, "
            f"count(*) AS n, count(__err) AS e, bool_or(len({NOTES}) > 0) AS w "
            f"FROM {VALID_VIEW} GROUP BY __h)"
        )
    except Exception as exc:
        # The reader's own errors (a wrong field count, a quote, bytes that are not
        # UTF-8, a line over its limit): the exact path quarantines them one by one.
        if not engine.is_engine_error(exc):
            raise
        return None
    n = int(found.column("n")[0].as_py())
    if n != records:
        return None  # a record spans lines, or a blank line was skipped
    repeats = int(found.column("r")[0].as_py()) > 0 or key_hash_sql(spec, staged) is None
    return Scan(records=n, repeated=repeats, notes=bool(found.column("w")[0].as_py()))


def _lines(path: Path, wanted: set[int]) -> Iterator[tuple[int, str]]:
    """(line, text without its line break) for the wanted physical lines of a file."""
    last = max(wanted)
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            if number in wanted:  # never the header, line 1
                yield number, line.decode("utf-8").removesuffix("\n").removesuffix("\r")
            if number >= last:
                return


def fill_raw(engine: Engine, load_id: int) -> None:
    """Give this load's quarantined rows and conflicts their raw text, read back from
    their files by line number (the fast path stages no raw text)."""
    kinds = f"({lit(KIND_ROW)}, {lit(KIND_CONFLICT)})"

    def where(q: str) -> str:
        return (
            f"{q}{ident(Q_LOAD_ID)} = {int(load_id)} AND {q}{ident(Q_KIND)} IN {kinds} "
            f"AND {q}{ident(RAW_ROW)} IS NULL"
        )

    found = engine.query(
        f"SELECT DISTINCT {ident(Q_SOURCE_PATH)} AS p, {ident(LINE_NUMBER)} AS n "
        f"FROM {QUARANTINE_TABLE} WHERE {where('')}"
    )
    if not found.num_rows:
        return
    wanted: dict[str, set[int]] = defaultdict(set)
    for p, n in zip(found.column("p").to_pylist(), found.column("n").to_pylist(), strict=True):
        wanted[p].add(int(n))
    out_p: list[str] = []
    out_n: list[int] = []
    out_raw: list[str] = []
    for p, numbers in wanted.items():
        for number, text in _lines(Path(p), numbers):
            out_p.append(p)
            out_n.append(number)
            out_raw.append(text)
    engine.register(
        RAW_FILL_TABLE,
        pa.table(
            {
                "p": pa.array(out_p, pa.string()),
                "n": pa.array(out_n, pa.int64()),
                "raw": pa.array(out_raw, pa.string()),
            }
        ),
    )
    try:
        engine.execute(
            f"UPDATE {QUARANTINE_TABLE} AS q SET {ident(RAW_ROW)} = f.raw "
            f"FROM {RAW_FILL_TABLE} AS f WHERE q.{ident(Q_SOURCE_PATH)} = f.p "
            f"AND q.{ident(LINE_NUMBER)} = f.n AND {where('q.')}"
        )
    finally:
        engine.unregister(RAW_FILL_TABLE)
