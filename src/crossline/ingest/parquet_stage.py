"""Parquet files are validated straight from the engine's Parquet reader: no Python row
loop and no staging copy. Line numbers are the row index within each file plus one.

Columns are read as their text form, except where the Parquet type already is the stored
type: a timestamp column of a time (a TIMESTAMP WITH TIME ZONE is that instant; a naive
TIMESTAMP is Europe/London local, as naive text is), an integer column of an integer and a
double or integer column of a number. Those skip printing and re-parsing their text; the
values are the ones the text path gives, and the text is still what a reason shows.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from crossline.engine.base import Engine
from crossline.ingest.columns import header_mapping
from crossline.ingest.mapping import FileMapping
from crossline.ingest.sql import ident
from crossline.ingest.validate import LINE, PATH, Staged, Typed, time_sql
from crossline.ingest.value_sql import london_utc_sql
from crossline.model.schema import FileSpec, Kind

# Timestamps in this range print as 'YYYY-MM-DD hh:mm:ss[.ffffff][+00]', which the text
# path reads back to the same instant; anything outside takes the text path itself.
_TS_LO = "0001-01-02 00:00:00"
_TS_HI = "9999-12-30 00:00:00"


def _typed(kind: Kind, col: str, dtype: pa.DataType) -> Typed | None:
    """The typed reading of Parquet column `col` for a contract column of `kind`, if any."""
    text = f"CAST({col} AS VARCHAR)"
    present = f"{col} IS NOT NULL"
    if kind is Kind.TIME and pa.types.is_timestamp(dtype):
        if dtype.tz is not None:
            lo, hi = f"TIMESTAMPTZ '{_TS_LO}+00'", f"TIMESTAMPTZ '{_TS_HI}+00'"
            # The engine keeps an instant as microseconds since the epoch: no zone lookup.
            fast = f"make_timestamp(epoch_us({col}))"
        elif dtype.unit in ("s", "ms", "us"):  # nanoseconds would round, not truncate
            lo, hi = f"TIMESTAMP '{_TS_LO}'", f"TIMESTAMP '{_TS_HI}'"
            fast = london_utc_sql(f"CAST({col} AS TIMESTAMP)")
        else:
            return None
        value = f"CASE WHEN {col} BETWEEN {lo} AND {hi} THEN {fast} ELSE {time_sql(text)} END"
        return Typed(value=value, text=text, present=present)
    if kind is Kind.INT and pa.types.is_integer(dtype):
        return Typed(value=f"TRY_CAST({col} AS BIGINT)", text=text, present=present)
    if kind in (Kind.FLOAT, Kind.LAT, Kind.LON) and (
        pa.types.is_float64(dtype) or pa.types.is_integer(dtype)
    ):
        return Typed(value=f"CAST({col} AS DOUBLE)", text=text, present=present)
    return None


def stage_parquet(
    engine: Engine,
    spec: FileSpec,
    paths: list[Path],
    source: str,
    mapping: FileMapping | None = None,
) -> Staged:
    """Describe the Parquet files as a Staged relation (raises MissingColumnError)."""
    src = engine.parquet_source([str(p) for p in paths])
    schema = engine.query(f"SELECT * FROM {src} LIMIT 0").schema
    names: list[str] = schema.names
    # the same column matching as CSV headers: trimmed, case-insensitive, first wins
    found = {c: names[i] for c, i in header_mapping(spec, names, source, mapping).items()}
    relation = (
        f"(SELECT filename AS {PATH}, file_row_number + 1 AS {LINE}, "
        f"{', '.join(ident(n) for n in names)} FROM {src})"
    )
    values = {c: f"CAST(r.{ident(orig)} AS VARCHAR)" for c, orig in found.items()}
    kinds = {c.name: c.kind for c in spec.columns}
    typed: dict[str, Typed] = {}
    for c, orig in found.items():
        tv = _typed(kinds[c], ident(orig), schema.field(names.index(orig)).type)
        if tv is not None:
            typed[c] = tv
    raw = "to_json(struct_pack(" + ", ".join(f"{ident(n)} := {ident(n)}" for n in names) + "))"
    return Staged(
        relation=relation, values=values, raw=raw, err="CAST(NULL AS VARCHAR)", typed=typed
    )


def parquet_rows(engine: Engine, paths: list[Path]) -> int:
    src = engine.parquet_source([str(p) for p in paths])
    return int(engine.scalar(f"SELECT count(*) FROM {src}"))
