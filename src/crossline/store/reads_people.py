"""Reading persons, the safeguarding list and intelligence through a Scope. A force sees
its own records of a person and a count of the rest, never which partner forces hold
them; a child on the safeguarding list is always shown with the flag."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, exists, func, select

from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.model.vocab import HandlingCode
from crossline.store import tables as t
from crossline.store.decode import decode
from crossline.store.reads import aliases_of, resolve
from crossline.store.scope import Scope

# what a C-coded report says when its originator gave no conditions: the code alone
# still restricts it, and a reader must be told so
DEFAULT_CONDITIONS = "Handling code C: conditions apply; consult the originating force."


def _safeguarding_view(scope: Scope, entry: dict[str, Any], lines: set[str]) -> dict[str, Any]:
    entry = dict(entry)
    entry["line_ids"] = [x for x in entry["line_ids"] if scope.national or x in lines]
    if not scope.national:
        forces = entry["forces"]
        entry["forces"] = [f for f in forces if f == scope.force]
        entry["records_elsewhere"] = len([f for f in forces if f != scope.force])
    return entry


def _visible_lines(conn: Connection, scope: Scope) -> set[str]:
    return {str(r.line_id) for r in conn.execute(select(t.lines.c.line_id).where(scope.line()))}


def get_person(conn: Connection, scope: Scope, person_id: str) -> dict[str, Any] | None:
    pid = resolve(conn, "person", person_id)
    pr = t.persons.c
    known = conn.execute(
        select(pr.person_id).where(pr.person_id == pid, scope.person(pr.person_id)).limit(1)
    ).first()
    if known is None:
        return None
    records = [
        decode(o.PERSONS, r._mapping)
        for r in conn.execute(
            select(t.persons).where(pr.person_id == pid).order_by(pr.force, pr.record_id)
        )
    ]
    mine = [r for r in records if scope.national or r[s.FORCE] == scope.force]
    pp, pl = t.phone_links.c, t.person_lines.c
    phones = [
        decode(o.PHONE_PERSONS, r._mapping)
        for r in conn.execute(
            select(t.phone_links)
            .where(pp.person_id == pid, scope.phone(pp.number))
            .order_by(pp.number, pp.source)
        )
    ]
    lines: dict[str, list[str]] = {}
    for r in conn.execute(
        select(pl.line_id, pl.via)
        .where(pl.person_id == pid, scope.line_id_in_scope(pl.line_id))
        .order_by(pl.line_id, pl.via)
    ):
        lines.setdefault(str(r.line_id), []).append(str(r.via))
    sg = conn.execute(select(t.safeguarding).where(t.safeguarding.c.person_id == pid)).first()
    safeguarding = (
        None
        if sg is None
        else _safeguarding_view(scope, decode(o.SAFEGUARDING, sg._mapping), set(lines))
    )
    return {
        "person_id": pid,
        "records": mine,
        "records_elsewhere": len(records) - len(mine),
        "phones": phones,
        "lines": [{"line_id": k, "links": v} for k, v in lines.items()],
        "flags": ["safeguarding"] if safeguarding is not None else [],
        "safeguarding": safeguarding,
        "aliases": aliases_of(conn, "person", pid),
    }


def list_safeguarding(
    conn: Connection, scope: Scope, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    sg = t.safeguarding.c
    where = [scope.person(sg.person_id)]
    total = int(
        conn.execute(select(func.count()).select_from(t.safeguarding).where(*where)).scalar_one()
    )
    rows = conn.execute(
        select(t.safeguarding).where(*where).order_by(sg.person_id).limit(limit).offset(offset)
    )
    lines = _visible_lines(conn, scope) if not scope.national else set()
    return [
        _safeguarding_view(scope, decode(o.SAFEGUARDING, r._mapping), lines) for r in rows
    ], total


def _intel(row: Any) -> dict[str, Any]:
    item = {c.name: row._mapping[c.name] for c in s.INTELLIGENCE.columns}
    if item[s.HANDLING_CODE] == HandlingCode.CONDITIONS.value and not item[s.HANDLING_CONDITIONS]:
        item[s.HANDLING_CONDITIONS] = DEFAULT_CONDITIONS
    item[s.HANDLING_CONDITIONS] = item[s.HANDLING_CONDITIONS] or None
    return item


def list_intelligence(
    conn: Connection, scope: Scope, subject: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    i = t.intelligence.c
    where = [scope.intelligence()]
    if subject is not None:
        where.append(i.subject_key == subject)
    total = int(
        conn.execute(select(func.count()).select_from(t.intelligence).where(*where)).scalar_one()
    )
    rows = conn.execute(
        select(t.intelligence)
        .where(*where)
        .order_by(i.submitted_at.desc(), i.force, i.intel_id)
        .limit(limit)
        .offset(offset)
    )
    return [_intel(r) for r in rows], total


def person_exists(conn: Connection, person_id: str) -> bool:
    return bool(conn.execute(select(exists().where(t.persons.c.person_id == person_id))).scalar())
