"""Re-emergence: a closed line, or one whose numbers are under a DDTRO, that the
continuity analysis links to a number it had never used before. Lines routinely move to
a new number after an arrest or an order (the customers are texted the new one); the
hand-over links the new number to the line, its stable id carries over, and this
module tells the lead and supporting forces, with the number and how many days after
the closure or order it appeared.

What the line had used is remembered across runs (`act_line_numbers_seen`), because
each run replaces the published register; the numbers an order or closure names are
remembered too. A number counts as a re-emergence only when its first activity is on
or after the closure or order: a number the new data reveals from before it (older data
delivered late) is history, not a comeback.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from crossline.act.common import alert, split, tasked_forces
from crossline.store import tables as t
from crossline.store import tables_act as ta

KIND = "line_re_emerged"


def _run_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(t.runs.c.run_id), 0))).scalar_one())


def seen(conn: Connection, line_id: str) -> set[str]:
    c = ta.line_numbers_seen.c
    return {str(n) for n in conn.execute(select(c.number).where(c.line_id == line_id)).scalars()}


def remember_numbers(conn: Connection, line_id: str, extra: Iterable[str] = ()) -> None:
    """Remember the numbers the line uses now, and `extra` (an order's numbers)."""
    now_on = {
        str(n)
        for n in conn.execute(
            select(t.line_numbers.c.number).where(t.line_numbers.c.line_id == line_id)
        ).scalars()
    }
    fresh = (now_on | set(extra)) - seen(conn, line_id)
    if fresh:
        run = _run_id(conn)
        conn.execute(
            insert(ta.line_numbers_seen),
            [{"line_id": line_id, "number": n, "first_run": run} for n in sorted(fresh)],
        )


def _events(conn: Connection) -> dict[str, list[tuple[date, str]]]:
    """Per line, the closures and orders in force: (date, what)."""
    out: dict[str, list[tuple[date, str]]] = {}
    for r in conn.execute(select(ta.closures)):
        out.setdefault(str(r.line_id), []).append((r.closed_on, f"type {r.closure_type} closure"))
    for r in conn.execute(select(ta.tros).where(ta.tros.c.discharged_on.is_(None))):
        out.setdefault(str(r.line_id), []).append((r.granted_on, "DDTRO"))
    return out


def _ordered_handsets(conn: Connection) -> dict[str, set[str]]:
    """Per line, the handsets (IMEIs) its DDTROs name."""
    out: dict[str, set[str]] = {}
    for r in conn.execute(select(ta.tros.c.line_id, ta.tros.c.imeis)):
        out.setdefault(str(r.line_id), set()).update(split(r.imeis))
    return out


def _day(v: object) -> date:
    return v.date() if isinstance(v, datetime) else v  # type: ignore[return-value]


def check(conn: Connection) -> list[dict[str, Any]]:
    """After a publish: alert every re-emerged line, then remember every line's numbers.
    Returns the alerts' bodies (one per line and new number)."""
    events = _events(conn)
    handsets = _ordered_handsets(conn)
    imei_of = {
        str(r.number): str(r.imei)
        for r in conn.execute(select(ta.handsets.c.number, ta.handsets.c.imei))
        if r.imei
    }
    found: list[dict[str, Any]] = []
    na = ta.number_activity.c
    lines = {str(r.line_id): dict(r._mapping) for r in conn.execute(select(t.lines))}
    for lid, evs in events.items():
        line = lines.get(lid)
        if line is None:
            continue
        known = seen(conn, lid)
        for r in conn.execute(
            select(na.number, na.first_seen).where(na.line_id == lid).order_by(na.first_seen)
        ):
            if r.number in known:
                continue
            first = _day(r.first_seen)
            before = [e for e in evs if e[0] <= first]
            if not before:
                continue
            on, what = max(before)
            body = {
                "line_id": lid,
                "number": r.number,
                "days_after": (first - on).days,
                "after": what,
                "after_date": on.isoformat(),
                "first_seen": r.first_seen.isoformat(),
                # the new number in a handset the order named: the order was not complied
                # with, or the SIM was swapped into a blocked handset
                "in_ordered_handset": imei_of.get(str(r.number)) in handsets.get(lid, set()),
                "message": f"line {lid} re-emerged on {r.number}, "
                f"{(first - on).days} days after its {what} of {on.isoformat()}",
            }
            alert(conn, KIND, tasked_forces(conn, line), body, f"{lid}|{r.number}", lid)
            found.append(body)
    for lid in lines:
        remember_numbers(conn, lid, split(lines[lid].get("deal_numbers")))
    return found
