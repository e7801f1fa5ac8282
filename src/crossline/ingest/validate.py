"""Semantic validation of a staged file, written once as SQL over the whole file.

`build_clean_view` defines `_ingest_clean`: the staged rows with each contract column
cleaned to trimmed text (NULL when missing), or, for a column the staging already read
typed (a Parquet timestamp or number), its typed value. `build_validated` defines the view
`_ingest_valid`: one row per staged record with the typed, normalised contract columns,
`_reason` (the first failing check, NULL for a good row) and `_raw` (only for bad rows).
It is a view, not a table: the commit inserts the good rows straight from it, so a file is
never copied in full before it reaches the store. The rules are the SQL twins of
`crossline.ingest.normalise`; property tests hold them to each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from crossline.engine.base import Engine
from crossline.ingest import normalise
from crossline.ingest.sql import WS_SQL, ident, in_list, lit, lit_list
from crossline.model import vocab
from crossline.model.forces import force_ids
from crossline.model.schema import (
    HANDLING_CODE,
    HANDLING_CONDITIONS,
    LIST_SEP,
    UNKNOWN_PROVIDER,
    Column,
    FileSpec,
    Kind,
)

CLEAN_VIEW = "_ingest_clean"
VALID_VIEW = "_ingest_valid"
PHONE_TABLE = "_ingest_phones"  # raw -> e164 | reason, filled by crossline.ingest.phones

REASON = "_reason"
RAW = "_raw"
VIA_MAP = "_via_map"  # some number of the row was normalised through PHONE_TABLE
PATH = "_path"
LINE = "_line"

# The kinds holding one number, normalised per row or through PHONE_TABLE.
_ONE = (Kind.PHONE, Kind.PHONE_DIGITS)

_NAME_WS_RE = r"'[ \t\n\r\f\v]+'"
_INT_RE = lit(r"^[+-]?[0-9]+$")
_MAX_SHOWN = 60


@dataclass(frozen=True)
class Typed:
    """A contract column the staging reads already typed. `value` is the stored value (NULL
    when the input is NULL or unusable), `text` the input's text form (for reasons only)
    and `present` the test that the input is not NULL; all are SQL over the relation's
    columns, unqualified. `value` must equal what the text path gives for `text`."""

    value: str
    text: str
    present: str


@dataclass(frozen=True)
class Staged:
    """A staged file as SQL: `relation` (FROM-able, aliased r) holding `_path` and `_line`;
    `values` maps each contract column present to a VARCHAR expression over r; `raw` is the
    raw-row expression over r's columns and `err` the structural-error expression. `typed`
    holds the columns that skip the text path (see Typed)."""

    relation: str
    values: dict[str, str]
    raw: str
    err: str
    typed: dict[str, Typed] = field(default_factory=dict)


def cleaned(col: str) -> str:
    return ident(f"__c_{col}")


def _typed(col: str) -> str:
    return ident(f"__t_{col}")


def _shown(expr: str) -> str:
    """A value quoted for a reason, cut short when long."""
    return (
        f"('''' || CASE WHEN length({expr}) > {_MAX_SHOWN} THEN left({expr}, {_MAX_SHOWN}) "
        f"|| '…' ELSE {expr} END || '''')"
    )


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


def typed_value(col: str) -> str:
    """The clean view's column holding a typed-staged column's value (see Typed)."""
    return ident(f"__v_{col}")


def build_clean_view(engine: Engine, spec: FileSpec, staged: Staged) -> None:
    cols = [f"({staged.err}) AS __err"]
    for c in spec.columns:
        tv = staged.typed.get(c.name)
        if tv is not None:
            # No text form up front: it is only needed for a reason, and built there.
            cols.append(f"({tv.value}) AS {typed_value(c.name)}")
            continue
        cols.append(f"{_clean_expr(c, staged.values.get(c.name))} AS {cleaned(c.name)}")
    engine.execute(
        f"CREATE OR REPLACE TEMP VIEW {CLEAN_VIEW} AS "
        f"SELECT r.*, {', '.join(cols)} FROM {staged.relation} AS r"
    )


def phone_fast_sql(x: str) -> str:
    """SQL twin of normalise.phone_fast_path: E.164 for a common UK mobile form, else NULL."""
    stripped = x
    for sep in normalise.FAST_SEPARATORS:
        stripped = f"replace({stripped}, {lit(sep)}, '')"
    return (
        f"NULLIF('+44' || regexp_extract({stripped}, "
        f"{lit(normalise.FAST_MOBILE_PATTERN)}, 1), '+44')"
    )


def _all_digits(x: str) -> str:
    """True when x, which starts with a digit 1-9, is ASCII digits only (at most 19). The
    text of an integer is its digits exactly, so a round trip through UBIGINT is a cheap
    test without a regex ('1.5', '1_0', '1e3' or ' 12' do not come back the same)."""
    return f"CAST(TRY_CAST({x} AS UBIGINT) AS VARCHAR) = {x}"


def _prefix_forms(x: str) -> list[tuple[str, str, str]]:
    """(test, E.164 text, stored PHONE_DIGITS integer) for each of the commonest exact forms
    of a UK mobile: `447…`, `07…`, `+447…`, digits only, by length and prefix."""
    national = f"'1' || {x}"  # '07…' with a leading 1, so the round trip keeps the 0
    plus = f"substr({x}, 2)"
    return [
        (
            f"starts_with({x}, '447') AND strlen({x}) = 12 AND {_all_digits(x)}",
            f"'+' || {x}",
            f"CAST({x} AS BIGINT)",
        ),
        (
            f"starts_with({x}, '07') AND strlen({x}) = 11 AND {_all_digits(national)}",
            f"'+44' || substr({x}, 2)",
            f"440000000000 + CAST({x} AS BIGINT)",
        ),
        (
            f"starts_with({x}, '+447') AND strlen({x}) = 13 AND {_all_digits(plus)}",
            x,
            f"CAST({plus} AS BIGINT)",
        ),
    ]


def phone_prefix_sql(x: str) -> str:
    """E.164 for the commonest exact forms of a UK mobile (see _prefix_forms), else NULL.
    Per row it is far cheaper than phone_fast_sql; it agrees with phone_fast_path wherever
    it is not NULL, and every other value is looked up in the phone map."""
    return "CASE " + " ".join(f"WHEN {t} THEN {e164}" for t, e164, _ in _prefix_forms(x)) + " END"


def phone_prefix_digits_sql(x: str) -> str:
    """phone_prefix_sql's number as its stored PHONE_DIGITS integer, built from the digits
    without the text in between; NULL exactly where phone_prefix_sql is NULL."""
    return "CASE " + " ".join(f"WHEN {t} THEN {key}" for t, _, key in _prefix_forms(x)) + " END"


def uncommon_numbers_sql(spec: FileSpec, sample_rows: int) -> str | None:
    """A count of the numbers among the clean view's first `sample_rows` rows that are not
    in a form phone_prefix_sql reads; None when the file cannot take the map-less path
    (it has no single-number column, or a list of numbers)."""
    ones = [cleaned(c.name) for c in spec.columns if c.kind in _ONE]
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
        if c.kind in _ONE:
            out.append(f"SELECT {cleaned(c.name)} AS v FROM {CLEAN_VIEW}")
        elif c.kind is Kind.PHONES:
            out.append(
                f"SELECT trim(p, {WS_SQL}) AS v FROM (SELECT unnest(string_split("
                f"{cleaned(c.name)}, {lit(LIST_SEP)})) AS p FROM {CLEAN_VIEW})"
            )
    if not out:
        return None
    return f"SELECT DISTINCT v FROM ({' UNION ALL '.join(out)})"


# -- per-kind typed values and checks ------------------------------------------------------


def time_sql(x: str) -> str:
    """ISO 8601 text -> UTC TIMESTAMP (naive = Europe/London), NULL if unparseable."""
    return (
        f"CASE WHEN NOT regexp_full_match({x}, {lit(normalise.ISO_TIME_PATTERN)}) THEN NULL "
        f"WHEN regexp_matches({x}, {lit(normalise.OFFSET_PATTERN)}) "
        f"THEN timezone('UTC', TRY_CAST({x} AS TIMESTAMPTZ)) "
        f"ELSE timezone('UTC', timezone('Europe/London', TRY_CAST({x} AS TIMESTAMP))) END"
    )


def partial_date_impossible_sql(x: str, today: date) -> str:
    """True when a well-formed partial date is not a real date in [1900, today]."""
    year = f"TRY_CAST(left({x}, 4) AS INTEGER)"
    month = f"TRY_CAST(substr({x}, 6, 2) AS INTEGER)"
    full = f"TRY_CAST({x} AS DATE)"
    return (
        f"({year} < {normalise.MIN_YEAR} OR {year} > {today.year} "
        f"OR (length({x}) >= 7 AND ({month} NOT BETWEEN 1 AND 12 "
        f"OR left({x}, 7) > {lit(today.strftime('%Y-%m'))})) "
        f"OR (length({x}) = 10 AND ({full} IS NULL OR {full} > DATE {lit(today.isoformat())})))"
    )


@dataclass
class _ColumnSql:
    typed: str
    checks: list[tuple[str, str]]  # (condition, reason) in order
    joins: list[str]
    extras: dict[str, str]  # name -> expression over the joins, for the checks


# The kinds a staging may hand over typed (Staged.typed).
_TYPED_KINDS = (Kind.TIME, Kind.INT, Kind.FLOAT, Kind.LAT, Kind.LON)


def _enum_sql(x: str, values: tuple[str, ...]) -> str:
    whens = " ".join(f"WHEN {lit(v.lower())} THEN {lit(v)}" for v in values)
    return f"CASE lower({x}) {whens} END"


def _column_sql(spec: FileSpec, c: Column, i: int, today: date, tv: Typed | None) -> _ColumnSql:
    name = c.name
    checks: list[tuple[str, str]] = []
    joins: list[str] = []
    extras: dict[str, str] = {}
    if tv is None:
        x = cleaned(c.name)
        present = f"{x} IS NOT NULL"
    else:
        # Typed input: x (its text) appears only in reasons, evaluated for bad rows only.
        x = tv.text
        present = tv.present
    if c.required:
        checks.append((f"NOT ({present})", lit(f"missing required value: {name}")))
    k = c.kind
    if tv is not None and k not in _TYPED_KINDS:  # pragma: no cover - staging's contract
        raise AssertionError(f"{name}: no typed path for {k}")
    if k in (Kind.TEXT, Kind.NAME):
        typed = x
        if not c.required and name in spec.key:
            typed = f"COALESCE({x}, {lit(UNKNOWN_PROVIDER)})"
    elif k in _ONE:
        alias = f"__p{i}"
        joins.append(f"LEFT JOIN {PHONE_TABLE} AS {alias} ON {alias}.raw = {x}")
        extras[alias + "_reason"] = f"{alias}.reason"
        if k is Kind.PHONE:
            typed = f"COALESCE({phone_prefix_sql(x)}, {alias}.e164)"
        else:
            typed = (
                f"COALESCE({phone_prefix_digits_sql(x)}, CAST(substr({alias}.e164, 2) AS BIGINT))"
            )
        checks.append(
            (
                f"{present} AND ({typed}) IS NULL",
                f"{lit(f'unnormalisable number in {name}: ')} || {_shown(x)} || ' (' || "
                f"COALESCE({ident(alias + '_reason')}, 'not mapped') || ')'",
            )
        )
    elif k is Kind.PHONES:
        alias = f"__pl{i}"
        part = "trim(p, " + WS_SQL + ")"
        sub = (
            f"SELECT s.{PATH}, s.{LINE}, "
            f"list(s.e164 ORDER BY s.pos) FILTER (WHERE s.e164 IS NOT NULL) AS nums, "
            f"min_by(s.part, s.pos) FILTER (WHERE s.e164 IS NULL) AS bad_part, "
            f"min_by(COALESCE(s.reason, 'not mapped'), s.pos) FILTER (WHERE s.e164 IS NULL) "
            f"AS bad_reason "
            f"FROM (SELECT q.*, COALESCE({phone_prefix_sql('q.part')}, m.e164) AS e164, m.reason "
            f"FROM (SELECT {PATH}, {LINE}, {part} AS part, pos FROM (SELECT {PATH}, {LINE}, "
            f"unnest(string_split({x}, {lit(LIST_SEP)})) AS p, "
            f"generate_subscripts(string_split({x}, {lit(LIST_SEP)}), 1) AS pos "
            f"FROM {CLEAN_VIEW} WHERE {x} IS NOT NULL)) AS q "
            f"LEFT JOIN {PHONE_TABLE} AS m ON m.raw = q.part WHERE q.part <> '') AS s "
            f"GROUP BY s.{PATH}, s.{LINE}"
        )
        joins.append(
            f"LEFT JOIN ({sub}) AS {alias} ON {alias}.{PATH} = c.{PATH} "
            f"AND {alias}.{LINE} = c.{LINE}"
        )
        typed = f"{alias}.nums"
        extras[alias + "_part"] = f"{alias}.bad_part"
        extras[alias + "_reason"] = f"{alias}.bad_reason"
        checks.append(
            (
                f"{ident(alias + '_part')} IS NOT NULL",
                f"{lit(f'unnormalisable number in {name}: ')} || {_shown(ident(alias + '_part'))}"
                f" || ' (' || {ident(alias + '_reason')} || ')'",
            )
        )
    elif k is Kind.TIME:
        typed = time_sql(x) if tv is None else typed_value(name)
        checks.append(
            (
                f"{present} AND ({typed}) IS NULL",
                f"{lit(f'unparseable time in {name}: ')} || {_shown(x)}",
            )
        )
    elif k is Kind.DATE:
        typed = f"TRY_CAST({x} AS DATE)"
        checks.append(
            (
                f"{present} AND NOT regexp_full_match({x}, {lit(normalise.DATE_PATTERN)})",
                f"{lit(f'unparseable {name}: ')} || {_shown(x)}",
            )
        )
        checks.append(
            (f"{present} AND ({typed}) IS NULL", f"{lit(f'impossible {name}: ')} || {_shown(x)}")
        )
        typed = f"CASE WHEN regexp_full_match({x}, {lit(normalise.DATE_PATTERN)}) THEN {typed} END"
    elif k is Kind.PARTIAL_DATE:
        typed = x
        checks.append(
            (
                f"{present} AND NOT regexp_full_match({x}, {lit(normalise.PARTIAL_DATE_PATTERN)})",
                f"{lit(f'unparseable {name}: ')} || {_shown(x)}",
            )
        )
        checks.append(
            (
                f"{present} AND {partial_date_impossible_sql(x, today)}",
                f"{lit(f'impossible {name}: ')} || {_shown(x)}",
            )
        )
    elif k is Kind.INT:
        typed = (
            f"CASE WHEN regexp_full_match({x}, {_INT_RE}) THEN TRY_CAST({x} AS BIGINT) END"
            if tv is None
            else typed_value(name)
        )
        checks.append(
            (
                f"{present} AND ({typed}) IS NULL",
                f"{lit(f'not an integer in {name}: ')} || {_shown(x)}",
            )
        )
    elif k in (Kind.FLOAT, Kind.LAT, Kind.LON):
        typed = f"TRY_CAST({x} AS DOUBLE)" if tv is None else typed_value(name)
        checks.append(
            (
                f"{present} AND (({typed}) IS NULL OR NOT isfinite({typed}))",
                f"{lit(f'not a number in {name}: ')} || {_shown(x)}",
            )
        )
        if k is not Kind.FLOAT:
            bound = 90 if k is Kind.LAT else 180
            checks.append(
                (
                    f"{present} AND abs({typed}) > {bound}",
                    f"{lit(f'{name} out of range: ')} || {x}",
                )
            )
    elif k is Kind.ENUM:
        typed = _enum_sql(x, c.values)
        checks.append(
            (f"{present} AND ({typed}) IS NULL", f"{lit(f'unknown {name}: ')} || {_shown(x)}")
        )
    elif k is Kind.FORCE:
        typed = f"CASE WHEN lower({x}) IN {in_list(sorted(force_ids()))} THEN lower({x}) END"
        checks.append(
            (f"{present} AND ({typed}) IS NULL", f"{lit(f'unknown {name}: ')} || {_shown(x)}")
        )
    elif k is Kind.FLAGS:
        items = (
            f"list_filter(list_transform(string_split({x}, {lit(LIST_SEP)}), "
            f"lambda f: lower(trim(f, {WS_SQL}))), lambda f: f <> '')"
        )
        allowed = lit_list(c.values)
        unknown = f"list_filter({items}, lambda f: NOT list_contains({allowed}, f))"
        typed = f"CASE WHEN {present} THEN NULLIF({items}, []) END"
        checks.append(
            (
                f"{present} AND len({unknown}) > 0",
                f"{lit(f'unknown flag in {name}: ')} || {_shown(f'({unknown})[1]')}",
            )
        )
    else:  # pragma: no cover - every Kind is handled above
        raise AssertionError(k)
    if c.non_negative:
        checks.append((f"{present} AND ({typed}) < 0", f"{lit(f'negative {name}: ')} || {x}"))
    # Checks run one level above the typed values: refer to them by name, computed once.
    t = _typed(name)
    checks = [(cond.replace(typed, t), msg.replace(typed, t)) for cond, msg in checks]
    return _ColumnSql(typed, checks, joins, extras)


def _cross_checks(spec: FileSpec) -> Iterator[tuple[str, str]]:
    """Rules that span columns."""
    if HANDLING_CODE in spec.names and HANDLING_CONDITIONS in spec.names:
        code = vocab.HandlingCode.CONDITIONS.value
        yield (
            f"{_typed(HANDLING_CODE)} = {lit(code)} AND {cleaned(HANDLING_CONDITIONS)} IS NULL",
            lit(f"handling code {code} without {HANDLING_CONDITIONS}"),
        )


def build_validated(engine: Engine, spec: FileSpec, staged: Staged, today: date) -> None:
    """Define VALID_VIEW over CLEAN_VIEW (and PHONE_TABLE for files with numbers)."""
    parts = [
        _column_sql(spec, c, i, today, staged.typed.get(c.name)) for i, c in enumerate(spec.columns)
    ]
    typed = {c.name: p.typed for c, p in zip(spec.columns, parts, strict=True)}
    whens = ["WHEN __err IS NOT NULL THEN __err"]
    for p in parts:
        whens += [f"WHEN {cond} THEN {msg}" for cond, msg in p.checks]
    whens += [f"WHEN {cond} THEN {msg}" for cond, msg in _cross_checks(spec)]
    reason = "CASE " + " ".join(whens) + " END"
    joins = " ".join(j for p in parts for j in p.joins)
    level_a = [f"{t} AS {_typed(n)}" for n, t in typed.items()]
    level_a += [f"{e} AS {ident(n)}" for p in parts for n, e in p.extras.items()]
    outer_cols = ", ".join(f"{_typed(n)} AS {ident(n)}" for n in typed)
    mapped = [f"__p{i}.raw IS NOT NULL" for i, c in enumerate(spec.columns) if c.kind in _ONE]
    level_a.append(f"({' OR '.join(mapped) or 'false'}) AS {VIA_MAP}")
    engine.execute(
        f"CREATE OR REPLACE TEMP VIEW {VALID_VIEW} AS "
        f"SELECT {PATH}, {LINE}, {outer_cols}, {REASON}, {VIA_MAP}, "
        f"CASE WHEN {REASON} IS NOT NULL THEN CAST(({staged.raw}) AS VARCHAR) END AS {RAW} "
        f"FROM (SELECT *, {reason} AS {REASON} FROM "
        f"(SELECT c.*, {', '.join(level_a)} FROM {CLEAN_VIEW} AS c {joins}))"
    )


def may_repeat_keys(engine: Engine, spec: FileSpec, staged: Staged) -> bool:
    """Whether two good rows of the staged file may share a key. False is exact: the keys
    of the rows that could be good (cleaned, before any typing that could merge two) are
    all distinct, so no first-occurrence filter is needed. One grouping pass over the key
    columns only, instead of over the validated rows."""
    keys: list[str] = []
    filters: list[str] = []
    for name in spec.key:
        c = spec.column(name)
        if name in staged.typed or c.kind not in (Kind.TEXT, Kind.NAME, Kind.FORCE):
            return True  # a key normalised beyond its cleaned text: check exactly
        x = cleaned(name)
        keys.append(f"lower({x})" if c.kind is Kind.FORCE else x)
        if c.required:
            filters.append(f"{x} IS NOT NULL")
    where = f"WHERE {' AND '.join(filters)} " if filters else ""
    # Grouped by the keys' 64-bit hash, not the keys: distinct hashes prove distinct keys,
    # and a shared hash (a repeated key, or rarely a collision) takes the exact path.
    n = engine.scalar(
        f"SELECT count(*) FROM (SELECT 1 FROM {CLEAN_VIEW} {where}"
        f"GROUP BY hash({', '.join(keys)}) HAVING count(*) > 1)"
    )
    return int(n) > 0
