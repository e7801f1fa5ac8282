"""Outcomes against lines, and intensification weeks.

Arrests, charges (drugs supply, modern slavery, other), seizures (drugs in grams, cash
in pounds, weapons) and disruptions, each dated and credited to a force. A disruption
is assessed on the national scale major | moderate | minor | none | negative; no
national criteria define the levels, so the assessor and their reason are the record,
and both are required. An intensification week is a period and its participating
forces; its roll-up is every outcome those forces recorded inside it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert, select

from crossline.act.common import (
    ACTORS,
    READERS,
    Absent,
    Actor,
    Invalid,
    joined,
    line_in_scope,
    log,
    new_id,
    now,
    split,
)
from crossline.act.organisations import known
from crossline.store import Store
from crossline.store import tables_act as ta


class Kind(StrEnum):
    ARREST = "arrest"
    CHARGE = "charge"
    SEIZURE = "seizure"
    DISRUPTION = "disruption"


class Charge(StrEnum):
    DRUGS_SUPPLY = "drugs_supply"
    MODERN_SLAVERY = "modern_slavery"
    OTHER = "other"


class Level(StrEnum):
    MAJOR = "major"
    MODERATE = "moderate"
    MINOR = "minor"
    NONE = "none"
    NEGATIVE = "negative"


def _credited(conn: Connection, actor: Actor, line: dict[str, Any], force: str | None) -> str:
    """The force an outcome counts for: as given, else the user's own, else (a national
    user) the line's lead force."""
    if force:
        return force
    if not actor.user.national:
        return actor.force
    lead = conn.execute(
        select(ta.tasking.c.lead_force).where(ta.tasking.c.line_id == line["line_id"])
    ).scalar()
    return str(lead or line.get("exporter_force") or actor.force)


def record(store: Store, actor: Actor, body: dict[str, Any]) -> dict[str, Any]:
    actor.may(ACTORS)
    kind = Kind(body["kind"])
    if body.get("force") and not known(store, str(body["force"])):
        raise Invalid(f"force {body['force']!r} is neither a force of forces.csv nor registered")
    if not actor.user.national and body.get("force") not in (None, actor.force):
        raise Invalid("a force user records outcomes for their own force")
    values: dict[str, Any] = {"count": int(body.get("count") or 1)}
    if kind is Kind.CHARGE:
        if not body.get("charge"):
            raise Invalid("a charge says which: drugs_supply, modern_slavery or other")
        values["charge"] = Charge(body["charge"]).value
    if kind is Kind.SEIZURE:
        grams, cash, weapons = body.get("drugs_grams"), body.get("cash_gbp"), body.get("weapons")
        if not any(v for v in (grams, cash, weapons)):
            raise Invalid("a seizure gives drugs_grams, cash_gbp or weapons")
        values.update(drugs_grams=grams, cash_gbp=cash, weapons=weapons, count=1)
    if kind is Kind.DISRUPTION:
        if not body.get("level") or not body.get("assessed_by") or not body.get("reason"):
            raise Invalid(
                "a disruption gives its level (major, moderate, minor, none, negative), "
                "who assessed it (assessed_by) and why (reason): no national criteria "
                "exist, so the assessor's reason is the record"
            )
        values.update(level=Level(body["level"]).value, assessed_by=body["assessed_by"], count=1)
    with store.read() as conn:
        line = line_in_scope(conn, actor, str(body["line_id"]))
        credited = _credited(conn, actor, line, body.get("force"))
    reason = str(body.get("reason") or "")
    with store.write() as conn:
        done = conn.execute(
            insert(ta.outcomes).values(
                line_id=line["line_id"],
                kind=kind.value,
                occurred_on=body["occurred_on"],
                credited_force=credited,
                reason=reason,
                username=actor.user.username,
                force=actor.force,
                at=now(),
                **values,
            )
        )
        oid = new_id(done)
        log(
            conn,
            store,
            actor,
            "outcome",
            str(oid),
            f"line {line['line_id']}; {kind.value} x{values['count']}; for {credited}; "
            f"{body['occurred_on']}",
        )
        return get(conn, oid)


def view(r: Any) -> dict[str, Any]:
    return {
        "outcome_id": r.id,
        "line_id": r.line_id,
        "kind": r.kind,
        "occurred_on": r.occurred_on,
        "force": r.credited_force,
        "count": r.count,
        "charge": r.charge,
        "drugs_grams": r.drugs_grams,
        "cash_gbp": r.cash_gbp,
        "weapons": r.weapons,
        "level": r.level,
        "assessed_by": r.assessed_by,
        "reason": r.reason,
        "recorded_by": r.username,
    }


def get(conn: Connection, outcome_id: int) -> dict[str, Any]:
    r = conn.execute(select(ta.outcomes).where(ta.outcomes.c.id == outcome_id)).first()
    if r is None:
        raise Absent("outcome", str(outcome_id))
    return view(r)


def for_line(conn: Connection, line_id: str) -> list[dict[str, Any]]:
    c = ta.outcomes.c
    return [
        view(r)
        for r in conn.execute(select(ta.outcomes).where(c.line_id == line_id).order_by(c.id))
    ]


def add_week(
    store: Store, actor: Actor, name: str, starts_on: date, ends_on: date, forces: list[str]
) -> dict[str, Any]:
    """An intensification week: national coordinators declare one for several forces."""
    actor.may(ACTORS)
    if ends_on < starts_on:
        raise Invalid("ends_on is before starts_on")
    for f in forces:
        if not known(store, f):
            raise Invalid(f"force {f!r} is neither a force of forces.csv nor registered")
    with store.write() as conn:
        done = conn.execute(
            insert(ta.weeks).values(
                name=name,
                starts_on=starts_on,
                ends_on=ends_on,
                forces=joined(forces),
                username=actor.user.username,
                force=actor.force,
                at=now(),
            )
        )
        wid = new_id(done)
        log(conn, store, actor, "week", str(wid), f"{name}: {starts_on} to {ends_on}")
        return week(conn, actor, wid)


def week(conn: Connection, actor: Actor, week_id: int) -> dict[str, Any]:
    """The week with its outcomes rolled up (a force user sees its own force's part)."""
    actor.may(READERS)
    w = conn.execute(select(ta.weeks).where(ta.weeks.c.id == week_id)).first()
    if w is None:
        raise Absent("week", str(week_id))
    forces = split(w.forces)
    if not actor.user.national and actor.force not in forces:
        raise Absent("week", str(week_id))
    mine = forces if actor.user.national else [actor.force]
    c = ta.outcomes.c
    rows = conn.execute(
        select(ta.outcomes).where(
            c.occurred_on >= w.starts_on, c.occurred_on <= w.ends_on, c.credited_force.in_(mine)
        )
    ).all()
    from crossline.act.performance import tally

    return {
        "week_id": w.id,
        "name": w.name,
        "starts_on": w.starts_on,
        "ends_on": w.ends_on,
        "forces": forces if actor.user.national else mine,
        "outcomes": tally(rows),
    }
