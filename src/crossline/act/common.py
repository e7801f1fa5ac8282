"""What every act service shares: who acts (an `Actor`), the three ways a service says no
(`Refused` 403, `Invalid` 422, `Absent` 404 — the faces map them to their statuses), the
audit entry each change writes in its own transaction, and alerts.

Each change and its audit entry commit together (`audit.append_in`), so the log never
says a change happened that did not, nor misses one that did.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, CursorResult, exists, insert, select

from crossline.model import schema as s
from crossline.store import Store, audit
from crossline.store import tables as t
from crossline.store import tables_act as ta
from crossline.store.reads import resolve
from crossline.store.scope import Scope
from crossline.store.users import NATIONAL, Role, User

# roles that record what forces do (tasking, orders, closures, outcomes)
ACTORS = frozenset({Role.INVESTIGATOR, Role.TASKING_COORDINATOR})
# roles that read case data (as the API's READERS)
READERS = frozenset(
    {Role.ANALYST, Role.INVESTIGATOR, Role.SAFEGUARDING_LEAD, Role.TASKING_COORDINATOR}
)
SYSTEM = "crossline (after a run)"


class ActError(Exception):
    """A change refused; `status` is the HTTP status a face answers with."""

    status = 422


class Refused(ActError):
    """The caller's role or organisation may not do this (not a secret: 403)."""

    status = 403


class Invalid(ActError):
    """The request breaks a rule (a rank, a date, a missing step): 422 with the rule."""

    status = 422


class Absent(ActError):
    """No such record, or none the caller may see: 404, alike."""

    status = 404

    def __init__(self, kind: str, entity_id: str) -> None:
        super().__init__("not found")
        self.kind = kind
        self.entity_id = entity_id


@dataclass(frozen=True)
class Actor:
    """A user acting, from where and why (the audit entry's who, where and why)."""

    user: User
    client: str = "cli"
    justification: str = ""

    @property
    def scope(self) -> Scope:
        return Scope(None if self.user.national else self.user.force)

    @property
    def force(self) -> str:
        return self.user.force

    def may(self, roles: frozenset[Role]) -> None:
        if self.user.role not in roles:
            raise Refused(f"the {self.user.role} role may not do this")


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    return now().date()


def new_id(result: CursorResult[Any]) -> int:
    """The id the database gave the row just inserted."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def joined(values: Iterable[str]) -> str:
    return s.LIST_SEP.join(v for v in values if v)


def split(value: object) -> list[str]:
    return [v for v in str(value or "").split(s.LIST_SEP) if v]


def log(
    conn: Connection,
    store: Store,
    actor: Actor,
    kind: str,
    entity_id: str,
    detail: str,
    operation: str = audit.Operation.ALTERATION,
) -> None:
    """The change's audit entry, in the change's transaction."""
    audit.append_in(
        conn,
        store,
        audit.Entry(
            operation=operation,
            username=actor.user.username,
            force=actor.user.force,
            client=actor.client,
            entity_kind=kind,
            entity_id=entity_id,
            justification=actor.justification,
            detail=detail[:2000],
        ),
    )


def log_system(conn: Connection, store: Store, kind: str, entity_id: str, detail: str) -> None:
    """The audit entry of what the checks after a publish found (a combination of the new
    run with what forces recorded), in their transaction."""
    audit.append_in(
        conn,
        store,
        audit.Entry(
            operation=audit.Operation.COMBINATION,
            username=SYSTEM,
            force="local",
            client="cli",
            entity_kind=kind,
            entity_id=entity_id,
            detail=detail[:2000],
        ),
    )


def line_in_scope(conn: Connection, actor: Actor, line_id: str) -> dict[str, Any]:
    """The line (resolved through aliases) if the actor may see it, else Absent."""
    lid = resolve(conn, "line", line_id)
    row = conn.execute(select(t.lines).where(t.lines.c.line_id == lid, actor.scope.line())).first()
    if row is None:
        raise Absent("line", line_id)
    return dict(row._mapping)


def person_in_scope(conn: Connection, actor: Actor, person_id: str) -> str:
    pid = resolve(conn, "person", person_id)
    pr = t.persons.c
    known = conn.execute(
        select(exists().where(pr.person_id == pid, actor.scope.person(pr.person_id)))
    ).scalar()
    if not known:
        raise Absent("person", person_id)
    return pid


def is_child(conn: Connection, person_id: str) -> bool:
    """On the safeguarding list under 18: a victim first, whatever else is recorded."""
    age = conn.execute(
        select(t.safeguarding.c.age_at_last_event).where(t.safeguarding.c.person_id == person_id)
    ).scalar()
    return age is not None and int(age) < 18


def alert(
    conn: Connection,
    kind: str,
    forces: Iterable[str],
    body: dict[str, Any],
    dedupe: str,
    line_id: str | None = None,
) -> int:
    """Raise an alert to each force's users (once per force and `dedupe` key); how many
    were raised now."""
    raised = 0
    for force in sorted({f for f in forces if f}):
        key = f"{kind}|{force}|{dedupe}"[:400]
        seen = conn.execute(
            select(exists().where(ta.alerts.c.dedupe == key, ta.alerts.c.to_force == force))
        ).scalar()
        if seen:
            continue
        conn.execute(
            insert(ta.alerts).values(
                at=now(),
                kind=kind,
                to_force=force,
                line_id=line_id,
                dedupe=key,
                body=json.dumps({"kind": kind, **body}, sort_keys=True, default=str),
            )
        )
        raised += 1
    return raised


def tasked_forces(conn: Connection, line: dict[str, Any]) -> list[str]:
    """The forces a line's alerts go to: the tasking's lead and supporting forces, else
    the forces whose area it touches."""
    rows = conn.execute(
        select(ta.tasking_forces.c.force).where(ta.tasking_forces.c.line_id == line["line_id"])
    ).scalars()
    named = sorted({str(f) for f in rows})
    if named:
        return named
    return sorted({str(f) for f in (line["exporter_force"], line["importer_force"]) if f})


__all__ = ["NATIONAL"]
