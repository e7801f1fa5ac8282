"""Semantic validation of a staged file, written once as SQL over the whole file.

`build_clean_view` defines `_ingest_clean`: the staged rows with each contract column
cleaned to trimmed text (NULL when missing) in its canonical form (UK dates and times,
clock durations and a mapping file's values rewritten; see value_sql), or, for a column
the staging already read typed (a Parquet timestamp or number), its typed value.
`build_validated` defines the view `_ingest_valid`: one row per staged record with the
typed, normalised contract columns, `_reason` (the first failing check that costs the row,
NULL for a good row), `_notes` (the invalid optional values, left empty) and `_raw` (only
for bad rows). It is a view, not a table: the commit inserts the good rows straight from
it, so a file is never copied in full before it reaches the store. The rules are the SQL
twins of `crossline.ingest.normalise`; property tests hold them to each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from crossline.engine.base import Engine
from crossline.ingest.column_checks import ONE_NUMBER, column_sql
from crossline.ingest.sql import WS_SQL, ident, lit
from crossline.ingest.validate_names import (
    CLEAN_VIEW,
    LINE,
    NOTES,
    PATH,
    PHONE_TABLE,
    RAW,
    RAW_ANY,
    REASON,
    VALID_VIEW,
    VIA_MAP,
    Staged,
    Typed,
    cleaned,
    typed_col,
    typed_value,
)
from crossline.ingest.value_sql import (
    PHONE_LIST_SPLIT,
    canonical_sql,
    force_sql,
    partial_date_impossible_sql,
    phone_fast_sql,
    phone_prefix_digits_sql,
    phone_prefix_sql,
    time_sql,
)
from crossline.model import vocab
from crossline.model.schema import HANDLING_CODE, HANDLING_CONDITIONS, Column, FileSpec, Kind

__all__ = [
    "CLEAN_VIEW",
    "LINE",
    "NOTES",
    "PATH",
    "PHONE_TABLE",
    "RAW",
    "RAW_ANY",
    "REASON",
    "VALID_VIEW",
    "VIA_MAP",
    "Staged",
    "Typed",
    "build_clean_view",
    "build_validated",
    "cleaned",
    "key_hash_sql",
    "may_repeat_keys",
    "partial_date_impossible_sql",
    "phone_fast_sql",
    "phone_prefix_digits_sql",
    "phone_prefix_sql",
    "phone_value_sql",
    "time_sql",
    "typed_value",
    "uncommon_numbers_sql",
]

_NAME_WS_RE = r"'[ \t\n\r\f\v]+'"
_NOTE_TYPE = 'STRUCT("column" VARCHAR, "value" VARCHAR, reason VARCHAR)'


def _clean_expr(column: Column, value: str | None) -> str:
    if value is None:
        return "CAST(NULL AS VARCHAR)"
    # trim() with a character set is slow: skip it when both ends are plainly not
    # whitespace (every whitespace character is at most chr(32)), as for nearly all values.
    # ascii() reads the first code point; reverse() keeps grapheme clusters whole, and a
    # character at most chr(32) is always a cluster of its own (CR LF a cluster of two),
    # so the reversed string starts with it when the value ends with it. Half the cost of
    # ord(x[1]) and ord(x[-1]).
    plain = f"ascii({value}) > 32 AND ascii(reverse({value})) > 32"
    if column.kind is Kind.TEXT:
        return (
            f"CASE WHEN {plain} THEN {value} "
            f"WHEN trim({value}, {WS_SQL}) = '' THEN NULL ELSE {value} END"
        )
    if column.kind is Kind.NAME:
        return f"NULLIF(trim(regexp_replace({value}, {_NAME_WS_RE}, ' ', 'g'), ' '), '')"
    return f"CASE WHEN {plain} THEN {value} ELSE NULLIF(trim({value}, {WS_SQL}), '') END"


def build_clean_view(
    engine: Engine,
    spec: FileSpec,
    staged: Staged,
    value_maps: dict[str, dict[str, str]] | None = None,
) -> None:
    """The staged rows with each contract column cleaned and in its canonical form. Where a
    column has other accepted forms the cleaning is one level below their rewriting, so
    the cleaning is computed once."""
    value_maps = value_maps or {}
    cols = [f"({staged.err}) AS __err"]
    outer: list[str] = []
    for c in spec.columns:
        tv = staged.typed.get(c.name)
        if tv is not None:
            # No text form up front: it is only needed for a reason, and built there.
            cols.append(f"({tv.value}) AS {typed_value(c.name)}")
            continue
        value = _clean_expr(c, staged.values.get(c.name))
        pre = ident(f"__k_{c.name}")
        canon = canonical_sql(c, pre, value_maps.get(c.name)) if c.name in staged.values else None
        if canon is None:
            cols.append(f"{value} AS {cleaned(c.name)}")
        else:
            cols.append(f"{value} AS {pre}")
            outer.append(f"{canon} AS {cleaned(c.name)}")
    inner = f"SELECT r.*, {', '.join(cols)} FROM {staged.relation} AS r"
    sql = f"SELECT *, {', '.join(outer)} FROM ({inner})" if outer else inner
    engine.execute(f"CREATE OR REPLACE TEMP VIEW {CLEAN_VIEW} AS {sql}")


def uncommon_numbers_sql(spec: FileSpec, sample_rows: int) -> str | None:
    """A count of the numbers among the clean view's first `sample_rows` rows that are not
    in a form phone_prefix_sql reads; None when the file cannot take the map-less path
    (it has no single-number column, or a list of numbers)."""
    ones = [cleaned(c.name) for c in spec.columns if c.kind in ONE_NUMBER]
    if not ones or any(c.kind is Kind.PHONES for c in spec.columns):
        return None
    odd = " + ".join(
        f"CASE WHEN {x} IS NOT NULL AND {phone_prefix_sql(x)} IS NULL THEN 1 ELSE 0 END"
        for x in ones
    )
    return (
        f"SELECT COALESCE(sum({odd}), 0) FROM "
        f"(SELECT {', '.join(ones)} FROM {CLEAN_VIEW} LIMIT {int(sample_rows)})"
    )


def phone_value_sql(spec: FileSpec) -> str | None:
    """A SELECT over the clean view of the distinct raw phone values (column `v`)."""
    out: list[str] = []
    for c in spec.columns:
        if c.kind in ONE_NUMBER:
            out.append(f"SELECT {cleaned(c.name)} AS v FROM {CLEAN_VIEW}")
        elif c.kind is Kind.PHONES:
            out.append(
                f"SELECT trim(p, {WS_SQL}) AS v FROM (SELECT unnest(string_split_regex("
                f"{cleaned(c.name)}, {lit(PHONE_LIST_SPLIT)})) AS p FROM {CLEAN_VIEW})"
            )
    if not out:
        return None
    return f"SELECT DISTINCT v FROM ({' UNION ALL '.join(out)})"


def _cross_checks(spec: FileSpec) -> Iterator[tuple[str, str]]:
    """Rules that span columns: they cost the row."""
    if HANDLING_CODE in spec.names and HANDLING_CONDITIONS in spec.names:
        code = vocab.HandlingCode.CONDITIONS.value
        yield (
            f"{typed_col(HANDLING_CODE)} = {lit(code)} AND {cleaned(HANDLING_CONDITIONS)} IS NULL",
            lit(f"handling code {code} without {HANDLING_CONDITIONS}"),
        )
    for group in spec.one_of:
        yield (
            " AND ".join(f"{cleaned(c)} IS NULL" for c in group),
            lit(f"no {' or '.join(group)}: at least one is needed"),
        )


def _note(column: str, cond: str, msg: str, value: str) -> str:
    return (
        f'CASE WHEN {cond} THEN struct_pack("column" := {lit(column)}, '
        f'"value" := CAST({value} AS VARCHAR), reason := {msg}) END'
    )


def build_validated(
    engine: Engine, spec: FileSpec, staged: Staged, today: date, scan: bool = False
) -> None:
    """Define VALID_VIEW over CLEAN_VIEW (and PHONE_TABLE for files with numbers). With
    `scan`, it also shows the structural error `__err` and the key hash `__h` (see
    key_hash_sql; NULL when repeats must be looked for exactly), for one pass that both
    counts and looks for repeated keys and notes."""
    parts = [
        column_sql(spec, c, i, today, staged.typed.get(c.name)) for i, c in enumerate(spec.columns)
    ]
    typed = {c.name: p.typed for c, p in zip(spec.columns, parts, strict=True)}
    whens = ["WHEN __err IS NOT NULL THEN __err"]
    for p in parts:
        whens += [f"WHEN {cond} THEN {msg}" for cond, msg, _ in p.checks]
    whens += [f"WHEN {cond} THEN {msg}" for cond, msg in _cross_checks(spec)]
    reason = "CASE " + " ".join(whens) + " END"
    notes = [
        _note(c.name, cond, msg, value)
        for c, p in zip(spec.columns, parts, strict=True)
        for cond, msg, value in p.notes
    ]
    notes_sql = (
        f"list_filter([{', '.join(notes)}], lambda n: n IS NOT NULL)"
        if notes
        else f"CAST([] AS {_NOTE_TYPE}[])"
    )
    # A column whose note empties it: the condition that it does, named once.
    empty_flags = {
        c.name: " OR ".join(f"({cond})" for cond, _, _ in p.notes)
        for c, p in zip(spec.columns, parts, strict=True)
        if p.notes and p.empties
    }
    joins = " ".join(j for p in parts for j in p.joins)
    level_a = [f"{t} AS {typed_col(n)}" for n, t in typed.items()]
    level_a += [f"{e} AS {ident(n)}" for p in parts for n, e in p.extras.items()]
    level_b = [f"({cond}) AS {ident('__e_' + n)}" for n, cond in empty_flags.items()]
    outer_cols = ", ".join(
        f"CASE WHEN {ident('__e_' + n)} THEN NULL ELSE {typed_col(n)} END AS {ident(n)}"
        if n in empty_flags
        else f"{typed_col(n)} AS {ident(n)}"
        for n in typed
    )
    mapped = [f"__p{i}.raw IS NOT NULL" for i, c in enumerate(spec.columns) if c.kind in ONE_NUMBER]
    level_a.append(f"({' OR '.join(mapped) or 'false'}) AS {VIA_MAP}")
    level_b.append(f"{notes_sql} AS {NOTES}")
    if scan:
        outer_cols += f", __err, {key_hash_sql(spec, staged) or 'NULL'} AS __h"
    engine.execute(
        f"CREATE OR REPLACE TEMP VIEW {VALID_VIEW} AS "
        f"SELECT {PATH}, {LINE}, {outer_cols}, {REASON}, {VIA_MAP}, {NOTES}, "
        f"CASE WHEN {REASON} IS NOT NULL THEN CAST(({staged.raw}) AS VARCHAR) END AS {RAW}, "
        f"CAST(({staged.raw}) AS VARCHAR) AS {RAW_ANY} "
        f"FROM (SELECT *, {reason} AS {REASON}, {', '.join(level_b)} FROM "
        f"(SELECT c.*, {', '.join(level_a)} FROM {CLEAN_VIEW} AS c {joins}))"
    )


def key_hash_sql(spec: FileSpec, staged: Staged) -> str | None:
    """Over the clean view: the 64-bit hash of the key of a row that could be good (its
    cleaned key columns and, for a force, its force_id, before any typing that could
    merge two keys), NULL when a required key column is missing; None when a key is
    normalised beyond its cleaned text, so that repeats must be looked for exactly."""
    keys: list[str] = []
    filters: list[str] = []
    for name in spec.key:
        c = spec.column(name)
        if name in staged.typed or c.kind not in (Kind.TEXT, Kind.NAME, Kind.FORCE):
            return None
        x = cleaned(name)
        keys.append(force_sql(x) if c.kind is Kind.FORCE else x)
        if c.required:
            filters.append(f"{x} IS NOT NULL")
    h = f"hash({', '.join(keys)})"
    return f"CASE WHEN {' AND '.join(filters)} THEN {h} END" if filters else h


def may_repeat_keys(engine: Engine, spec: FileSpec, staged: Staged) -> bool:
    """Whether two good rows of the staged file may share a key. False is exact: the keys
    of the rows that could be good are all distinct (see key_hash_sql), so no
    first-occurrence filter is needed. One grouping pass over the key columns only,
    instead of over the validated rows."""
    h = key_hash_sql(spec, staged)
    if h is None:
        return True  # a key normalised beyond its cleaned text: check exactly
    # Grouped by the keys' 64-bit hash, not the keys: distinct hashes prove distinct keys,
    # and a shared hash (a repeated key, or rarely a collision) takes the exact path.
    n = engine.scalar(
        f"SELECT count(*) FROM (SELECT 1 FROM (SELECT {h} AS __h FROM {CLEAN_VIEW}) "
        "WHERE __h IS NOT NULL GROUP BY __h HAVING count(*) > 1)"
    )
    return int(n) > 0
