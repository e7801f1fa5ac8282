"""Orders for offender management: Slavery and Trafficking Prevention Orders (Modern
Slavery Act 2015 s.14-15), Serious Crime Prevention Orders (Serious Crime Act 2007),
civil injunctions (Anti-social Behaviour, Crime and Policing Act 2014 Part 1) and
Criminal Behaviour Orders (the same Act, Part 2): per person, with their conditions.

After every publish, a breach alert is raised when the new data shows the subject's
number active inside a line since the order was made, or (a condition
`declared_numbers_only`, common in STPOs and SCPOs) the subject using a number the order
does not declare. A handset the order names counts through the subscriber data
(`handsets`): every number used in it is the subject's.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert, select

from crossline.act.common import (
    ACTORS,
    Actor,
    Invalid,
    alert,
    is_child,
    joined,
    log,
    log_system,
    new_id,
    now,
    person_in_scope,
    split,
    tasked_forces,
)
from crossline.ingest.normalise import try_normalise_phone
from crossline.store import Store
from crossline.store import tables as t
from crossline.store import tables_act as ta

KIND = "order_breach"


class OrderType(StrEnum):
    STPO = "stpo"
    SCPO = "scpo"
    CIVIL_INJUNCTION = "civil_injunction"
    CBO = "cbo"


def record(store: Store, actor: Actor, body: dict[str, Any]) -> dict[str, Any]:
    actor.may(ACTORS)
    numbers = []
    for raw in body.get("numbers") or []:
        e164, _ = try_normalise_phone(raw)
        if e164 is None:
            raise Invalid(f"numbers: {raw!r} is not a phone number")
        numbers.append(e164)
    made, expires = body["made_on"], body.get("expires_on")
    if expires is not None and expires < made:
        raise Invalid("expires_on is before made_on")
    with store.write() as conn:
        pid = person_in_scope(conn, actor, str(body["person_id"]))
        done = conn.execute(
            insert(ta.orders).values(
                person_id=pid,
                order_type=OrderType(body["order_type"]).value,
                conditions=joined(body.get("conditions") or []),
                declared_numbers_only=bool(body.get("declared_numbers_only")),
                numbers=joined(numbers),
                imeis=joined(body.get("imeis") or []),
                made_on=made,
                expires_on=expires,
                username=actor.user.username,
                force=actor.force,
                at=now(),
            )
        )
        oid = new_id(done)
        log(conn, store, actor, "order", str(oid), f"{body['order_type']} for {pid}, made {made}")
        return view(conn.execute(select(ta.orders).where(ta.orders.c.id == oid)).one(), conn)


def view(r: Any, conn: Connection) -> dict[str, Any]:
    """An order as shown: a child subject is shown as a child to safeguard first."""
    child = is_child(conn, str(r.person_id))
    return {
        "safeguarding": child,
        "victim_first": "a child: safeguard first (NRM referral, local authority)"
        if child
        else None,
        "order_id": r.id,
        "person_id": r.person_id,
        "order_type": r.order_type,
        "conditions": split(r.conditions),
        "declared_numbers_only": r.declared_numbers_only,
        "numbers": split(r.numbers),
        "imeis": split(r.imeis),
        "made_on": r.made_on,
        "expires_on": r.expires_on,
        "recorded_by": r.username,
        "force": r.force,
    }


def for_person(conn: Connection, person_id: str) -> list[dict[str, Any]]:
    c = ta.orders.c
    return [
        view(r, conn)
        for r in conn.execute(select(ta.orders).where(c.person_id == person_id).order_by(c.id))
    ]


def _day(v: object) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        return datetime.fromisoformat(str(v).replace("Z", "")).date()
    except ValueError:
        return None


def breaches(conn: Connection, store: Store, today: date) -> int:
    """After a publish: alert every order in force the new data shows breached."""
    raised = 0
    lines = {str(r.line_id): dict(r._mapping) for r in conn.execute(select(t.lines))}
    for o in conn.execute(select(ta.orders)):
        if o.expires_on is not None and o.expires_on < today:
            continue
        declared = set(split(o.numbers))
        linked = {
            str(n)
            for n in conn.execute(
                select(t.phone_links.c.number).where(t.phone_links.c.person_id == o.person_id)
            ).scalars()
        }
        # numbers used in a handset the order names are the subject's too
        on_handset = {
            str(n)
            for n in conn.execute(
                select(ta.handsets.c.number).where(ta.handsets.c.imei.in_(split(o.imeis)))
            ).scalars()
        }
        linked |= on_handset
        found: list[tuple[str, str, str | None]] = []
        for r in conn.execute(
            select(t.line_numbers.c.line_id, t.line_numbers.c.number, t.line_numbers.c.role).where(
                t.line_numbers.c.number.in_(sorted(declared | linked))
            )
        ):
            last = _day(lines.get(str(r.line_id), {}).get("last_seen"))
            if last is None or last >= o.made_on:
                where = f"active inside line {r.line_id} as its {r.role}"
                if r.number in on_handset:
                    where += " (in a handset the order names)"
                found.append((r.number, where, r.line_id))
        if o.declared_numbers_only:
            found += [
                (n, "a number the order does not declare", None) for n in sorted(linked - declared)
            ]
        for number, what, lid in found:
            forces = [o.force] + (tasked_forces(conn, lines[lid]) if lid in lines else [])
            body = {
                "safeguarding": is_child(conn, str(o.person_id)),
                "order_id": o.id,
                "order_type": o.order_type,
                "person_id": o.person_id,
                "number": number,
                "line_id": lid,
                "breach": what,
                "message": f"{o.order_type.upper()} subject {o.person_id}: {number} {what}",
            }
            n = alert(conn, KIND, forces, body, f"{o.id}|{number}|{lid}", lid)
            if n:
                log_system(conn, store, "order", str(o.id), f"breach alert: {number} {what}")
            raised += n
    return raised
