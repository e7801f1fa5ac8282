"""The tasking board: each line has one lead force and supporting forces, and a status
that moves identified → tasked → under_investigation → disrupted → closed, with who,
when and why on every change.

A line seen in several forces' data is one item because it is keyed by its stable
`line_id` (runs/ids.py keeps it across re-analyses, and an alias of a merged line
resolves to it), so the tasking survives every new delivery. The forces a tasking names
see the line (store/scope.py reads `act_tasking_forces`) and get its alerts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select

from crossline.act import deconfliction
from crossline.act.common import (
    ACTORS,
    Actor,
    Invalid,
    joined,
    line_in_scope,
    log,
    now,
    split,
)
from crossline.act.organisations import known
from crossline.model.forces import force_ids
from crossline.store import Store
from crossline.store import tables_act as ta
from crossline.store.reads import aliases_of


class Status(StrEnum):
    IDENTIFIED = "identified"
    TASKED = "tasked"
    UNDER_INVESTIGATION = "under_investigation"
    DISRUPTED = "disrupted"
    CLOSED = "closed"


@dataclass(frozen=True)
class TaskingRequest:
    status: Status
    lead_force: str | None = None
    supporting_forces: tuple[str, ...] = ()
    reason: str = ""
    contact_name: str | None = None
    contact_means: str | None = None


def default_lead(line: dict[str, Any]) -> str:
    """The exporter (the force the line is run from); a local line's own force, which is
    the same thing."""
    return str(line.get("exporter_force") or line.get("importer_force") or "")


_TASKING = select(ta.tasking).where(ta.tasking.c.line_id.in_(bindparam("ids", expanding=True)))
_CHANGES = (
    select(ta.tasking_changes)
    .where(ta.tasking_changes.c.line_id.in_(bindparam("ids", expanding=True)))
    .order_by(ta.tasking_changes.c.id)
)


def view(
    conn: Connection, line: dict[str, Any], retired: list[str] | None = None
) -> dict[str, Any]:
    """The line's tasking as its detail shows it: the one recorded (under its id or an id
    it retired), else the default (lead = exporter, status identified), with history.
    `retired`: the line's aliases when the caller has read them already (a line's detail
    has), so they are not read twice; the statements are built once (every line read)."""
    lid = str(line["line_id"])
    ids = [lid, *(aliases_of(conn, "line", lid) if retired is None else retired)]
    row = conn.execute(_TASKING, {"ids": ids}).first()
    history = [
        {
            "status": r.status,
            "lead_force": r.lead_force,
            "supporting_forces": split(r.supporting_forces),
            "reason": r.reason,
            "by": r.username,
            "force": r.force,
            "at": r.at,
        }
        for r in conn.execute(_CHANGES, {"ids": ids})
    ]
    if row is None:
        return {
            "lead_force": default_lead(line),
            "supporting_forces": [],
            "status": Status.IDENTIFIED.value,
            "recorded": False,
            "history": history,
        }
    return {
        "lead_force": row.lead_force,
        "supporting_forces": split(row.supporting_forces),
        "status": row.status,
        "recorded": True,
        "updated_by": row.username,
        "updated_at": row.at,
        "reason": row.reason,
        "history": history,
    }


def _check_forces(lead: str, supporting: tuple[str, ...], store: Store) -> None:
    if lead not in force_ids():
        raise Invalid(f"lead_force {lead!r} is not a force of forces.csv")
    for f in supporting:
        if not known(store, f):
            raise Invalid(f"supporting force {f!r} is neither a force of forces.csv nor registered")
    if lead in supporting:
        raise Invalid("the lead force cannot also be a supporting force")


def task(store: Store, actor: Actor, line_id: str, req: TaskingRequest) -> dict[str, Any]:
    """Record a tasking change (the first one, or any after it) and answer the tasking.
    Tasking a line registers the lead force's interest in its numbers, so a force
    working any of them is told whom to call (deconfliction)."""
    actor.may(ACTORS)
    with store.read() as conn:
        line = line_in_scope(conn, actor, line_id)
    lid = str(line["line_id"])
    lead = req.lead_force or default_lead(line)
    supporting = tuple(dict.fromkeys(req.supporting_forces))
    _check_forces(lead, supporting, store)
    if not actor.user.national and actor.force not in (lead, *supporting):
        raise Invalid(
            f"a force user may task a line only for a tasking that names their force "
            f"({actor.force}) as lead or supporting force"
        )
    reason = req.reason or f"status {req.status.value}"
    at = now()
    values = {
        "lead_force": lead,
        "supporting_forces": joined(supporting),
        "status": req.status.value,
        "reason": reason,
        "username": actor.user.username,
        "force": actor.force,
        "at": at,
    }
    with store.write() as conn:
        conn.execute(delete(ta.tasking).where(ta.tasking.c.line_id == lid))
        conn.execute(insert(ta.tasking).values(line_id=lid, **values))
        conn.execute(insert(ta.tasking_changes).values(line_id=lid, **values))
        conn.execute(delete(ta.tasking_forces).where(ta.tasking_forces.c.line_id == lid))
        conn.execute(
            insert(ta.tasking_forces),
            [{"line_id": lid, "force": lead, "role": "lead"}]
            + [{"line_id": lid, "force": f, "role": "supporting"} for f in supporting],
        )
        log(
            conn,
            store,
            actor,
            "tasking",
            lid,
            f"status {req.status.value}; lead {lead}; supporting {','.join(supporting) or '-'}"
            f"; why: {reason}",
        )
        deconfliction.work_line(
            conn, store, actor, line, lead, (lead, *supporting), req.contact_name, req.contact_means
        )
    with store.read() as conn:
        return view(conn, line)
