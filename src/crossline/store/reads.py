"""Reading lines and phones, always through a Scope: what is out of scope is never
fetched, so a caller cannot tell it from what does not exist.

These reads are the service's hot path (every list, line and phone request), so each
statement is built once, with bound parameters, and kept: building a select and working
out its cache key costs more CPU than running it on SQLite. A statement that depends on
the caller's scope is kept per scope (a force or national: a few dozen at most)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, bindparam, func, or_, select

from crossline.model import outputs as o
from crossline.store import tables as t
from crossline.store.decode import decode
from crossline.store.scope import Scope
from crossline.store.tables import RUN_ID

# the sorts a list of lines accepts; `-` descending
LINE_SORTS: dict[str, tuple[str, bool]] = {
    "priority_rank": ("priority_rank", False),
    "-thr_score": ("thr_score", True),
    "thr_score": ("thr_score", False),
    "-confidence": ("confidence", True),
    "-last_seen": ("last_seen", True),
    "last_seen": ("last_seen", False),
    "line_id": ("line_id", False),
}


@dataclass(frozen=True)
class LineFilter:
    force: str | None = None
    line_scope: str | None = None
    min_score: float | None = None
    sort: str = "priority_rank"
    limit: int = 50
    offset: int = 0


_RESOLVE = select(t.aliases.c.id).where(
    t.aliases.c.kind == bindparam("kind"), t.aliases.c.alias == bindparam("alias")
)
_ALIASES = (
    select(t.aliases.c.alias)
    .where(t.aliases.c.kind == bindparam("kind"), t.aliases.c.id == bindparam("id"))
    .order_by(t.aliases.c.alias)
)
# the aliases a line id is retired as (alias = it) or known by (id = it), in one read
_NEAR = (
    select(t.aliases.c.alias, t.aliases.c.id)
    .where(
        t.aliases.c.kind == bindparam("kind"),
        or_(t.aliases.c.alias == bindparam("some_id"), t.aliases.c.id == bindparam("some_id")),
    )
    .order_by(t.aliases.c.alias)
)
_LATEST_RUN = select(t.runs).order_by(t.runs.c.run_id.desc()).limit(1)
# a line's detail names the run the store holds: read with the line, not after it
_RUN = "run__"
_LATEST_RUN_ID = select(func.max(t.runs.c.run_id)).scalar_subquery()
_WITH_RUN = t.lines.outerjoin(t.runs, t.runs.c.run_id == _LATEST_RUN_ID)
_RUN_COLUMNS = [c.label(_RUN + c.name) for c in t.runs.columns]
_NUMBERS = (
    select(t.line_numbers)
    .where(t.line_numbers.c.line_id == bindparam("lid"))
    .order_by(t.line_numbers.c.position)
)
_LINE_SHOWN = [col for col in t.lines.columns if col.name not in o.LINE_LIST_OMITS]
_TOTAL = "lines_matching"


def resolve(conn: Connection, kind: str, some_id: str) -> str:
    """The id an aliased id resolves to now (itself when no merge retired it)."""
    seen = {some_id}
    current = some_id
    while True:
        nxt = conn.execute(_RESOLVE, {"kind": kind, "alias": current}).scalar()
        if nxt is None or nxt in seen:
            return current
        seen.add(nxt)
        current = str(nxt)


def aliases_of(conn: Connection, kind: str, some_id: str) -> list[str]:
    return [str(a) for a in conn.execute(_ALIASES, {"kind": kind, "id": some_id}).scalars()]


def resolved_with_aliases(conn: Connection, kind: str, some_id: str) -> tuple[str, list[str]]:
    """(what `resolve` gives, what `aliases_of` gives for it): one read when the id is
    current (the usual case), as `resolve` then `aliases_of` otherwise."""
    near = conn.execute(_NEAR, {"kind": kind, "some_id": some_id}).all()
    if any(r.alias == some_id and r.id != some_id for r in near):  # retired: follow it
        current = resolve(conn, kind, some_id)
        return current, aliases_of(conn, kind, current)
    return some_id, [str(r.alias) for r in near if r.id == some_id]


def latest_run(conn: Connection) -> dict[str, Any] | None:
    row = conn.execute(_LATEST_RUN).first()
    return None if row is None else row._asdict()


@lru_cache(maxsize=1024)
def _list_statements(
    scope: Scope, by_force: bool, by_scope: bool, by_score: bool, sort: str
) -> tuple[Select[Any], Select[Any]]:
    """(count, page) for one shape of filter; the values are bound at execution. The page
    carries the count too (a window over every matching row, taken before the limit), so
    the count is read apart only when the page is empty."""
    c = t.lines.c
    where: list[ColumnElement[bool]] = [scope.line()]
    if by_force:
        where.append(
            or_(c.exporter_force == bindparam("force"), c.importer_force == bindparam("force"))
        )
    if by_scope:
        where.append(c.line_scope == bindparam("line_scope"))
    if by_score:
        where.append(c.thr_score >= bindparam("min_score"))
    name, desc = LINE_SORTS[sort]
    order = (c[name].desc() if desc else c[name].asc()).nulls_last()
    count = select(func.count()).select_from(t.lines).where(*where)
    page = (
        select(*_LINE_SHOWN, func.count().over().label(_TOTAL))
        .where(*where)
        .order_by(order, c.confidence.desc().nulls_last(), c.line_id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return count, page


def list_lines(conn: Connection, scope: Scope, f: LineFilter) -> tuple[list[dict[str, Any]], int]:
    count, page = _list_statements(
        scope, f.force is not None, f.line_scope is not None, f.min_score is not None, f.sort
    )
    params = {"force": f.force, "line_scope": f.line_scope, "min_score": f.min_score}
    params = {k: v for k, v in params.items() if v is not None}
    rows = [
        r._asdict() for r in conn.execute(page, {**params, "limit": f.limit, "offset": f.offset})
    ]
    total = int(rows[0][_TOTAL]) if rows else int(conn.execute(count, params).scalar_one())
    return [decode(o.LINE_REGISTER, r, o.LINE_LIST_OMITS) for r in rows], total


@lru_cache(maxsize=256)
def _line_statements(scope: Scope) -> tuple[Select[Any], Select[Any]]:
    """(the line with the latest run's columns, its persons in scope) for one scope."""
    pl = t.person_lines.c
    line = (
        select(t.lines, *_RUN_COLUMNS)
        .select_from(_WITH_RUN)
        .where(t.lines.c.line_id == bindparam("lid"), scope.line())
    )
    persons = (
        select(pl.person_id, pl.via)
        .where(pl.line_id == bindparam("lid"), scope.person(pl.person_id))
        .order_by(pl.person_id, pl.via)
    )
    return line, persons


def get_line(conn: Connection, scope: Scope, line_id: str) -> dict[str, Any] | None:
    lid, aliases = resolved_with_aliases(conn, "line", line_id)
    line_stmt, persons_stmt = _line_statements(scope)
    row = conn.execute(line_stmt, {"lid": lid}).first()
    if row is None:
        return None
    values = row._asdict()
    line = decode(o.LINE_REGISTER, values)
    line["numbers"] = [
        {"number": r.number, "role": r.role, "position": r.position}
        for r in conn.execute(_NUMBERS, {"lid": lid})
    ]
    persons: dict[str, list[str]] = {}
    for r in conn.execute(persons_stmt, {"lid": lid}):
        persons.setdefault(str(r.person_id), []).append(str(r.via))
    line["persons"] = [{"person_id": p, "links": v} for p, v in persons.items()]
    line["aliases"] = aliases
    run = {c.name: values[_RUN + c.name] for c in t.runs.columns}
    line["provenance"] = None if run[RUN_ID] is None else run
    return line


@lru_cache(maxsize=256)
def _phone_statements(scope: Scope) -> tuple[Select[Any], Select[Any]]:
    """(the lines a number is on, its users) for one scope."""
    ln, pp = t.line_numbers.c, t.phone_links.c
    on_lines = (
        select(ln.line_id, ln.role)
        .where(ln.number == bindparam("number"), scope.line_id_in_scope(ln.line_id))
        .order_by(ln.line_id, ln.role)
    )
    users = (
        select(t.phone_links)
        .where(pp.number == bindparam("number"), scope.person(pp.person_id))
        .order_by(pp.person_id, pp.source)
    )
    return on_lines, users


def get_phone(conn: Connection, scope: Scope, number: str) -> dict[str, Any] | None:
    lines_stmt, users_stmt = _phone_statements(scope)
    on_lines = conn.execute(lines_stmt, {"number": number}).all()
    if not scope.national and not on_lines:
        return None
    users = conn.execute(users_stmt, {"number": number}).all()
    if not on_lines and not users:
        return None
    return {
        "number": number,
        "lines": [{"line_id": r.line_id, "role": r.role} for r in on_lines],
        "persons": [decode(o.PHONE_PERSONS, r._asdict()) for r in users],
    }


def export_lines(conn: Connection, scope: Scope) -> list[dict[str, Any]]:
    """Every line in scope, in the register's order, as the contract exports it."""
    rows = conn.execute(select(t.lines).where(scope.line()).order_by(t.lines.c.line_id))
    return [{k: r._mapping[k] for k in o.LINE_REGISTER.export_columns} for r in rows]


def counts(conn: Connection) -> dict[str, int]:
    return {
        name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for name, table in (("lines", t.lines), ("persons", t.persons))
    }


__all__ = ["LINE_SORTS", "LineFilter", "Scope"]
