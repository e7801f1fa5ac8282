"""The SQL of one contract column: its typed value and its checks, by value kind.

A check of a required (or key) column costs the row: it is quarantined whole. A check of an
optional column does not: an invalid date of birth, sex, duration, coordinate, flag or one
number of a list is a note, the value is left empty (a list keeps its good items) and the
row loads, because a looked-after child's record must not vanish for a typo in a field
nobody needs to find them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crossline.ingest import normalise
from crossline.ingest.sql import WS_SQL, ident, lit, lit_list
from crossline.ingest.validate_names import (
    CLEAN_VIEW,
    LINE,
    PATH,
    PHONE_TABLE,
    Typed,
    cleaned,
    typed_value,
)
from crossline.ingest.validate_names import (
    shown as _shown,
)
from crossline.ingest.validate_names import (
    typed_col as _typed,
)
from crossline.ingest.value_sql import (
    FLAG_LIST_SPLIT,
    PHONE_LIST_SPLIT,
    enum_sql,
    flag_item_sql,
    force_sql,
    partial_date_impossible_sql,
    phone_prefix_digits_sql,
    phone_prefix_sql,
    time_sql,
)
from crossline.model.schema import UNKNOWN_PROVIDER, Column, FileSpec, Kind

# The kinds holding one number, normalised per row or through PHONE_TABLE.
ONE_NUMBER = (Kind.PHONE, Kind.PHONE_DIGITS)
_INT_RE = lit(r"^[+-]?[0-9]+$")


@dataclass
class ColumnSql:
    """A column's typed value and checks. `checks` cost the row; `notes` (the checks of an
    optional column) leave the row loaded and the value empty, or for a list the bad item
    out (`empties` says whether a note empties the value). Each is (condition, reason,
    the value shown in a note)."""

    typed: str
    checks: list[tuple[str, str, str]]
    notes: list[tuple[str, str, str]]
    empties: bool
    joins: list[str]
    extras: dict[str, str]  # name -> expression over the joins, for the checks


# The kinds a staging may hand over typed (Staged.typed).
TYPED_KINDS = (Kind.TIME, Kind.INT, Kind.DURATION, Kind.FLOAT, Kind.LAT, Kind.LON)


def column_sql(spec: FileSpec, c: Column, i: int, today: date, tv: Typed | None) -> ColumnSql:
    name = c.name
    checks: list[tuple[str, str]] = []
    shown: dict[int, str] = {}  # check index -> the value a note shows, when not x
    joins: list[str] = []
    extras: dict[str, str] = {}
    if tv is None:
        x = cleaned(c.name)
        present = f"{x} IS NOT NULL"
    else:
        # Typed input: x (its text) appears only in reasons, evaluated for bad rows only.
        x = tv.text
        present = tv.present
    required_check = None
    if c.required:
        required_check = (f"NOT ({present})", lit(f"missing required value: {name}"), x)
    k = c.kind
    if tv is not None and k not in TYPED_KINDS:  # pragma: no cover - staging's contract
        raise AssertionError(f"{name}: no typed path for {k}")
    if k in (Kind.TEXT, Kind.NAME):
        typed = x
        if not c.required and name in spec.key:
            typed = f"COALESCE({x}, {lit(UNKNOWN_PROVIDER)})"
    elif k in ONE_NUMBER:
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
            f"unnest(string_split_regex({x}, {lit(PHONE_LIST_SPLIT)})) AS p, "
            f"generate_subscripts(string_split_regex({x}, {lit(PHONE_LIST_SPLIT)}), 1) AS pos "
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
        shown[len(checks)] = ident(alias + "_part")
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
    elif k in (Kind.INT, Kind.DURATION):
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
        typed = enum_sql(x, c)
        checks.append(
            (f"{present} AND ({typed}) IS NULL", f"{lit(f'unknown {name}: ')} || {_shown(x)}")
        )
    elif k is Kind.FORCE:
        typed = force_sql(x)
        checks.append(
            (f"{present} AND ({typed}) IS NULL", f"{lit(f'unknown {name}: ')} || {_shown(x)}")
        )
    elif k is Kind.FLAGS:
        items = (
            f"list_filter(list_transform(string_split_regex({x}, {lit(FLAG_LIST_SPLIT)}), "
            f"lambda f: {flag_item_sql(f'trim(f, {WS_SQL})')}), lambda f: f <> '')"
        )
        allowed = lit_list(c.values)
        unknown = f"list_filter({items}, lambda f: NOT list_contains({allowed}, f))"
        known = f"list_filter({items}, lambda f: list_contains({allowed}, f))"
        typed = f"CASE WHEN {present} THEN NULLIF({known}, []) END"
        shown[len(checks)] = f"({unknown})[1]"
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
    done = [
        (cond.replace(typed, t), msg.replace(typed, t), shown.get(n, x))
        for n, (cond, msg) in enumerate(checks)
    ]
    if required_check is not None:
        done.insert(0, required_check)
    row_level = c.required or name in spec.key
    return ColumnSql(
        typed=typed,
        checks=done if row_level else [],
        notes=[] if row_level else done,
        empties=k not in (Kind.PHONES, Kind.FLAGS),
        joins=joins,
        extras=extras,
    )
