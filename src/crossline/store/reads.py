"""Reading lines and phones, always through a Scope: what is out of scope is never
fetched, so a caller cannot tell it from what does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, or_, select

from crossline.model import outputs as o
from crossline.store import tables as t
from crossline.store.decode import decode
from crossline.store.scope import Scope

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


def resolve(conn: Connection, kind: str, some_id: str) -> str:
    """The id an aliased id resolves to now (itself when no merge retired it)."""
    seen = {some_id}
    current = some_id
    while True:
        nxt = conn.execute(
            select(t.aliases.c.id).where(t.aliases.c.kind == kind, t.aliases.c.alias == current)
        ).scalar()
        if nxt is None or nxt in seen:
            return current
        seen.add(nxt)
        current = str(nxt)


def aliases_of(conn: Connection, kind: str, some_id: str) -> list[str]:
    rows = conn.execute(
        select(t.aliases.c.alias)
        .where(t.aliases.c.kind == kind, t.aliases.c.id == some_id)
        .order_by(t.aliases.c.alias)
    )
    return [str(r.alias) for r in rows]


def latest_run(conn: Connection) -> dict[str, Any] | None:
    row = conn.execute(select(t.runs).order_by(t.runs.c.run_id.desc()).limit(1)).first()
    return None if row is None else dict(row._mapping)


def list_lines(conn: Connection, scope: Scope, f: LineFilter) -> tuple[list[dict[str, Any]], int]:
    c = t.lines.c
    where: list[ColumnElement[bool]] = [scope.line()]
    if f.force is not None:
        where.append(or_(c.exporter_force == f.force, c.importer_force == f.force))
    if f.line_scope is not None:
        where.append(c.line_scope == f.line_scope)
    if f.min_score is not None:
        where.append(c.thr_score >= f.min_score)
    total = int(conn.execute(select(func.count()).select_from(t.lines).where(*where)).scalar_one())
    name, desc = LINE_SORTS[f.sort]
    order = (c[name].desc() if desc else c[name].asc()).nulls_last()
    shown = [col for col in t.lines.columns if col.name not in o.LINE_LIST_OMITS]
    rows = conn.execute(
        select(*shown)
        .where(*where)
        .order_by(order, c.confidence.desc().nulls_last(), c.line_id)
        .limit(f.limit)
        .offset(f.offset)
    )
    return [decode(o.LINE_REGISTER, r._mapping, o.LINE_LIST_OMITS) for r in rows], total


def get_line(conn: Connection, scope: Scope, line_id: str) -> dict[str, Any] | None:
    lid = resolve(conn, "line", line_id)
    row = conn.execute(select(t.lines).where(t.lines.c.line_id == lid, scope.line())).first()
    if row is None:
        return None
    line = decode(o.LINE_REGISTER, row._mapping)
    ln = t.line_numbers.c
    line["numbers"] = [
        {"number": r.number, "role": r.role, "position": r.position}
        for r in conn.execute(select(t.line_numbers).where(ln.line_id == lid).order_by(ln.position))
    ]
    pl = t.person_lines.c
    persons: dict[str, list[str]] = {}
    for r in conn.execute(
        select(pl.person_id, pl.via)
        .where(pl.line_id == lid, scope.person(pl.person_id))
        .order_by(pl.person_id, pl.via)
    ):
        persons.setdefault(str(r.person_id), []).append(str(r.via))
    line["persons"] = [{"person_id": p, "links": v} for p, v in persons.items()]
    line["aliases"] = aliases_of(conn, "line", lid)
    line["provenance"] = latest_run(conn)
    return line


def get_phone(conn: Connection, scope: Scope, number: str) -> dict[str, Any] | None:
    ln, pp = t.line_numbers.c, t.phone_links.c
    on_lines = conn.execute(
        select(ln.line_id, ln.role)
        .where(ln.number == number, scope.line_id_in_scope(ln.line_id))
        .order_by(ln.line_id, ln.role)
    ).all()
    if not scope.national and not on_lines:
        return None
    users = conn.execute(
        select(t.phone_links)
        .where(pp.number == number, scope.person(pp.person_id))
        .order_by(pp.person_id, pp.source)
    ).all()
    if not on_lines and not users:
        return None
    return {
        "number": number,
        "lines": [{"line_id": r.line_id, "role": r.role} for r in on_lines],
        "persons": [decode(o.PHONE_PERSONS, r._mapping) for r in users],
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
