"""Referrals to the National Referral Mechanism (Modern Slavery Act 2015 s.52; the
statutory guidance under s.49).

- A child (on the safeguarding list, under 18) is a victim first: an NRM referral task is
  opened for them (after every publish, and on request), needing no consent; the
  child-welfare notification to the local authority comes first, so a referral cannot be
  marked made before it is dated. The strategy discussion of a Children Act 1989 s.47
  enquiry is dated too.
- An adult is referred only with recorded consent; without it, the Duty to Notify route
  (s.52): the notification to the Home Office is anonymous.
- Only a first responder organisation's users (police forces, the NCA, local
  authorities: organisations.py) may mark a referral made; anyone else is refused (403).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, exists, insert, select, update

from crossline.act.common import (
    READERS,
    SYSTEM,
    Absent,
    Actor,
    Invalid,
    Refused,
    log,
    new_id,
    now,
    person_in_scope,
    split,
)
from crossline.act.organisations import is_first_responder
from crossline.store import Store, audit
from crossline.store import tables as t
from crossline.store import tables_act as ta

ADULT = 18


class Route(StrEnum):
    NRM = "nrm"
    DUTY_TO_NOTIFY = "duty_to_notify"


def _child(conn: Connection, person_id: str) -> tuple[bool, dict[str, Any] | None]:
    sg = conn.execute(select(t.safeguarding).where(t.safeguarding.c.person_id == person_id)).first()
    if sg is None:
        return False, None
    age = sg.age_at_last_event
    return age is not None and int(age) < ADULT, dict(sg._mapping)


def view(r: Any) -> dict[str, Any]:
    child = bool(r.child)
    return {
        "referral_id": r.id,
        "person_id": r.person_id,
        "line_id": r.line_id,
        "route": r.route,
        "child": child,
        # a child is a victim first: every view of the referral says so
        "victim": child or r.route == Route.NRM.value,
        "safeguarding": child,
        "consent": r.consent,
        "anonymous": r.route == Route.DUTY_TO_NOTIFY.value,
        "status": r.status,
        "steps": _steps(r),
        "la_notified_on": r.la_notified_on,
        "strategy_discussion_on": r.strategy_discussion_on,
        "made_on": r.made_on,
        "made_by": r.made_by,
        "made_by_org": r.made_by_org,
        "reason": r.reason,
        "opened_by": r.username,
        "force": r.force,
        "opened_at": r.at,
    }


def _steps(r: Any) -> list[str]:
    if r.child:
        return ["notify the local authority (child welfare)", "NRM referral (no consent needed)"]
    if r.route == Route.NRM.value:
        return ["NRM referral (consent recorded)"]
    return ["Duty to Notify the Home Office (anonymous: no consent given)"]


def _insert(conn: Connection, values: dict[str, Any]) -> int:
    done = conn.execute(insert(ta.referrals).values(status="open", **values))
    return new_id(done)


def open_referral(
    store: Store,
    actor: Actor,
    person_id: str,
    consent: bool | None,
    reason: str,
    line_id: str | None = None,
) -> dict[str, Any]:
    """Open a referral task: a child's needs no consent; an adult's consent decides the
    route (NRM with consent, else the anonymous Duty to Notify)."""
    actor.may(READERS)
    with store.write() as conn:
        pid = person_in_scope(conn, actor, person_id)
        child, sg = _child(conn, pid)
        if child:
            route, given = Route.NRM, "not_needed"
        elif consent:
            route, given = Route.NRM, "given"
        else:
            route, given = Route.DUTY_TO_NOTIFY, "refused" if consent is False else "not_recorded"
        if line_id is None and sg is not None:
            line_id = next(iter(split(sg.get("line_ids"))), None)
        rid = _insert(
            conn,
            {
                "person_id": pid,
                "line_id": line_id,
                "route": route.value,
                "child": child,
                "consent": given,
                "reason": reason,
                "username": actor.user.username,
                "force": actor.force,
                "at": now(),
            },
        )
        log(
            conn,
            store,
            actor,
            "referral",
            str(rid),
            f"person {pid}; {route.value}; child {child}; consent {given}",
        )
        return get(conn, actor, rid)


def get(conn: Connection, actor: Actor, referral_id: int) -> dict[str, Any]:
    r = conn.execute(select(ta.referrals).where(ta.referrals.c.id == referral_id)).first()
    if r is None:
        raise Absent("referral", str(referral_id))
    try:
        person_in_scope(conn, actor, str(r.person_id))
    except Absent:
        raise Absent("referral", str(referral_id)) from None
    return view(r)


def mark_made(
    store: Store,
    actor: Actor,
    referral_id: int,
    made_on: date,
    la_notified_on: date | None = None,
    strategy_discussion_on: date | None = None,
) -> dict[str, Any]:
    """Mark a referral made: first responders only; a child's local-authority
    notification first."""
    actor.may(READERS)
    if not is_first_responder(store, actor.force):
        raise Refused(
            f"only a first responder organisation (a police force, the NCA or a local "
            f"authority) may mark a referral made; {actor.force} is not one"
        )
    with store.write() as conn:
        current = get(conn, actor, referral_id)
        la = la_notified_on or current["la_notified_on"]
        if current["child"]:
            if la is None:
                raise Invalid(
                    "a child's referral: the child-welfare notification to the local "
                    "authority comes first (give la_notified_on)"
                )
            if la > made_on:
                raise Invalid("la_notified_on is after made_on: the local authority is told first")
        conn.execute(
            update(ta.referrals)
            .where(ta.referrals.c.id == referral_id)
            .values(
                status="made",
                made_on=made_on,
                made_by=actor.user.username,
                made_by_org=actor.force,
                la_notified_on=la,
                strategy_discussion_on=strategy_discussion_on or current["strategy_discussion_on"],
            )
        )
        log(
            conn,
            store,
            actor,
            "referral",
            str(referral_id),
            f"made on {made_on}; local authority told {la or '-'}",
        )
        return get(conn, actor, referral_id)


def open_for_children(conn: Connection, store: Store) -> int:
    """After a publish: an NRM referral task for each child on the safeguarding list who
    has none, needing no consent. How many were opened."""
    opened = 0
    for sg in conn.execute(select(t.safeguarding)):
        age = sg.age_at_last_event
        if age is None or int(age) >= ADULT:
            continue
        has = conn.execute(
            select(exists().where(ta.referrals.c.person_id == sg.person_id))
        ).scalar()
        if has:
            continue
        forces = split(sg.forces)
        rid = _insert(
            conn,
            {
                "person_id": sg.person_id,
                "line_id": next(iter(split(sg.line_ids)), None),
                "route": Route.NRM.value,
                "child": True,
                "consent": "not_needed",
                "reason": "a child on the safeguarding list",
                "username": SYSTEM,
                "force": forces[0] if forces else "national",
                "at": now(),
            },
        )
        audit.append_in(
            conn,
            store,
            audit.Entry(
                operation=audit.Operation.ALTERATION,
                username=SYSTEM,
                force="local",
                client="cli",
                entity_kind="referral",
                entity_id=str(rid),
                detail=f"NRM referral task opened for child {sg.person_id} (no consent needed)",
            ),
        )
        opened += 1
    return opened


def list_referrals(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(ta.referrals)
        .where(actor.scope.person(ta.referrals.c.person_id))
        .order_by(ta.referrals.c.id)
    )
    return [view(r) for r in rows]
