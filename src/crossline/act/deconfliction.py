"""Deconfliction: two forces working the same person, phone or address must know of each
other before either acts (an arrest can blow another force's covert operation).

A force registers its interest (it works the entity) with a contact officer. When a user
of another force opens (reads) or tasks the same entity, both forces get an alert naming
the other's contact officer: name, force, and how to reach them (forces already named
together on a line's tasking are partners there, not in conflict). The alert carries
nothing else: not the intelligence, not the reason either force gave, not what either
holds. That is the point: deconfliction introduces officers, it does not disclose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from crossline.act.common import READERS, Actor, Invalid, alert, log, new_id, now
from crossline.ingest.normalise import try_normalise_phone
from crossline.store import Store
from crossline.store import tables as t
from crossline.store import tables_act as ta
from crossline.store.users import User

KIND = "deconfliction"


class EntityKind(StrEnum):
    PERSON = "person"
    PHONE = "phone"
    ADDRESS = "address"
    LINE = "line"


def key_of(kind: EntityKind, raw: str) -> str:
    """The form two forces' entries are compared in: E.164 for a phone, an address in
    capitals with punctuation and runs of spaces dropped, ids as given."""
    if kind is EntityKind.PHONE:
        e164, _ = try_normalise_phone(raw)
        if e164 is None:
            raise Invalid(f"not a phone number: {raw!r}")
        return e164
    if kind is EntityKind.ADDRESS:
        return " ".join(re.sub(r"[^A-Z0-9]+", " ", raw.upper()).split())
    return raw


def contact_of(conn: Connection, user: User) -> dict[str, str]:
    """A user's contact details as an alert gives them (their username when they set
    none, with the advice to go through their force)."""
    row = conn.execute(select(ta.contacts).where(ta.contacts.c.username == user.username)).first()
    if row is None:
        return {
            "name": user.username,
            "force": user.force,
            "means": f"through {user.force}'s intelligence unit (no contact details recorded)",
        }
    return {"name": str(row.name), "force": user.force, "means": str(row.means)}


def set_contact(store: Store, actor: Actor, name: str, means: str) -> dict[str, str]:
    """The caller's own contact details, given to forces their work meets."""
    actor.may(READERS)
    with store.write() as conn:
        conn.execute(delete(ta.contacts).where(ta.contacts.c.username == actor.user.username))
        conn.execute(
            insert(ta.contacts).values(
                username=actor.user.username, name=name, means=means, at=now()
            )
        )
        log(conn, store, actor, "contact", actor.user.username, "contact details set")
        return contact_of(conn, actor.user)


def _others(
    conn: Connection, kind: EntityKind, key: str, exclude: Iterable[str]
) -> list[dict[str, Any]]:
    """Other forces' active interests in the entity."""
    c = ta.interests.c
    rows = conn.execute(
        select(ta.interests)
        .where(c.entity_kind == kind.value, c.entity_key == key, c.active.is_(True))
        .order_by(c.id)
    )
    skip = set(exclude)
    return [dict(r._mapping) for r in rows if r.force not in skip]


def partners(conn: Connection, kind: EntityKind, key: str, force: str) -> set[str]:
    """The forces that share a tasking with `force` on a line the entity belongs to:
    they coordinate through the tasking already, so meeting them is no conflict."""
    if kind is EntityKind.LINE:
        lines = {key}
    elif kind is EntityKind.PHONE:
        q = select(t.line_numbers.c.line_id).where(t.line_numbers.c.number == key)
        lines = {str(x) for x in conn.execute(q).scalars()}
    elif kind is EntityKind.PERSON:
        q = select(t.person_lines.c.line_id).where(t.person_lines.c.person_id == key)
        lines = {str(x) for x in conn.execute(q).scalars()}
    else:
        return set()
    if not lines:
        return set()
    named: dict[str, set[str]] = {}
    tf = ta.tasking_forces.c
    for r in conn.execute(select(tf.line_id, tf.force).where(tf.line_id.in_(sorted(lines)))):
        named.setdefault(str(r.line_id), set()).add(str(r.force))
    return set().union(*(fs for fs in named.values() if force in fs))


def _meet(
    conn: Connection,
    kind: EntityKind,
    key: str,
    mine: dict[str, str],
    exclude: Iterable[str],
    how: str,
) -> int:
    """Alert both sides of every other force working the entity; how many alerts."""
    raised = 0
    for other in _others(conn, kind, key, exclude):
        theirs = {
            "name": other["contact_name"],
            "force": other["force"],
            "means": other["contact_means"],
        }
        pair = "|".join(sorted((mine["force"], theirs["force"])))
        base = {"entity_kind": kind.value, "entity_id": key}
        raised += alert(
            conn,
            KIND,
            [mine["force"]],
            {
                **base,
                "contact": theirs,
                "message": f"{theirs['force']} is working this {kind.value}: speak to "
                f"{theirs['name']} ({theirs['means']}) before acting",
            },
            f"{kind.value}|{key}|{pair}|{other['id']}",
        )
        raised += alert(
            conn,
            KIND,
            [theirs["force"]],
            {
                **base,
                "contact": mine,
                "message": f"{mine['force']} has {how} a {kind.value} you are working: speak "
                f"to {mine['name']} ({mine['means']})",
            },
            f"{kind.value}|{key}|{pair}|{other['id']}|{how}",
        )
    return raised


def register(
    store: Store,
    actor: Actor,
    kind: EntityKind,
    raw: str,
    reason: str,
    contact_name: str | None = None,
    contact_means: str | None = None,
) -> dict[str, Any]:
    """The caller's force works the entity (it tasks it): recorded, and both sides told
    of any other force working it."""
    actor.may(READERS)
    key = key_of(kind, raw)
    with store.write() as conn:
        mine = _contact(conn, actor, contact_name, contact_means)
        done = conn.execute(
            insert(ta.interests).values(
                entity_kind=kind.value,
                entity_key=key,
                contact_name=mine["name"],
                contact_means=mine["means"],
                reason=reason,
                active=True,
                username=actor.user.username,
                force=actor.force,
                at=now(),
            )
        )
        shared = partners(conn, kind, key, actor.force)
        raised = _meet(conn, kind, key, mine, [actor.force, *shared], "tasked")
        interest_id = new_id(done)
        log(conn, store, actor, f"interest_{kind.value}", key, f"working it: {reason}")
    return {
        "interest_id": interest_id,
        "entity_kind": kind.value,
        "entity_id": key,
        "alerts_raised": raised,
    }


def _contact(conn: Connection, actor: Actor, name: str | None, means: str | None) -> dict[str, str]:
    base = contact_of(conn, actor.user)
    return {"name": name or base["name"], "force": actor.force, "means": means or base["means"]}


def opened(store: Store, actor: Actor, kind: EntityKind, key: str) -> int:
    """A user opened a person or phone: alert both sides if another force works it.
    National coordinators are not a force working a case, so their reads raise none."""
    if actor.user.national:
        return 0
    with store.read() as conn:  # most reads meet no one: no write transaction for them
        if not _others(conn, kind, key, [actor.force]):
            return 0
    with store.write() as conn:
        mine = contact_of(conn, actor.user)
        shared = partners(conn, kind, key, actor.force)
        raised = _meet(conn, kind, key, mine, [actor.force, *shared], "opened")
        if raised:
            log(conn, store, actor, KIND, key, f"{raised} deconfliction alerts on opening")
    return raised


def work_line(
    conn: Connection,
    store: Store,
    actor: Actor,
    line: dict[str, Any],
    lead: str,
    named: Iterable[str],
    contact_name: str | None,
    contact_means: str | None,
) -> int:
    """A tasked line: its lead force works the line and its numbers; a force the tasking
    does not name that works any of them, and the lead, are told of each other."""
    lid = str(line["line_id"])
    numbers = [
        str(n)
        for n in conn.execute(
            select(t.line_numbers.c.number).where(t.line_numbers.c.line_id == lid)
        ).scalars()
    ]
    base = _contact(conn, actor, contact_name, contact_means)
    mine = {**base, "force": lead}
    named = list(named)
    c = ta.interests.c
    raised = 0
    for kind, key in [(EntityKind.LINE, lid)] + [(EntityKind.PHONE, n) for n in numbers]:
        conn.execute(
            delete(ta.interests).where(
                c.entity_kind == kind.value, c.entity_key == key, c.force == lead
            )
        )
        conn.execute(
            insert(ta.interests).values(
                entity_kind=kind.value,
                entity_key=key,
                contact_name=mine["name"],
                contact_means=mine["means"],
                reason=f"lead force of tasked line {lid}",
                active=True,
                username=actor.user.username,
                force=lead,
                at=now(),
            )
        )
        raised += _meet(conn, kind, key, mine, named, "tasked")
    if raised:
        log(conn, store, actor, KIND, lid, f"{raised} deconfliction alerts on tasking")
    return raised
