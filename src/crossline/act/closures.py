"""Line closures as the Home Office county lines programme counts them.

- Type 1: the line holder arrested and charged. It is not counted closed when recorded:
  scheduled check-backs must first confirm the number stays out of use. New
  communications data answers a due check-back by itself (after each publish: the data
  reaches past the due date, and the number was or was not active after the closure);
  an officer may answer one too. All answered "out of use": confirmed, and counted from
  the last check-back; any "in use": failed, never counted.
- Type 2: the number, handset or SIM deactivated (by a DDTRO or the provider); counted
  when recorded.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from crossline.act.common import (
    ACTORS,
    SYSTEM,
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
from crossline.act.reemergence import remember_numbers
from crossline.ingest.normalise import try_normalise_phone
from crossline.store import Store, audit
from crossline.store import tables_act as ta

CHECK_BACK_DAYS = (14, 28)  # after the closure: the programme's check-backs


class Status(StrEnum):
    PENDING = "pending_check_back"
    CONFIRMED = "confirmed"
    FAILED = "failed"


class Result(StrEnum):
    OUT_OF_USE = "out_of_use"
    IN_USE = "in_use"


def record(
    store: Store,
    actor: Actor,
    line_id: str,
    closure_type: int,
    closed_on: date,
    reason: str,
    numbers: list[str] | None = None,
) -> dict[str, Any]:
    actor.may(ACTORS)
    if closure_type not in (1, 2):
        raise Invalid("closure_type is 1 (holder arrested and charged) or 2 (deactivated)")
    with store.read() as conn:
        line = line_in_scope(conn, actor, line_id)
    lid = str(line["line_id"])
    nums: list[str] = []
    for raw in numbers or []:
        e164, _ = try_normalise_phone(raw)
        if e164 is None:
            raise Invalid(f"numbers: {raw!r} is not a phone number")
        nums.append(e164)
    if not nums:  # the number in use when it closed: the line's latest
        deals = split(line.get("deal_numbers"))
        nums = deals[-1:]
    status = Status.PENDING if closure_type == 1 else Status.CONFIRMED
    with store.write() as conn:
        done = conn.execute(
            insert(ta.closures).values(
                line_id=lid,
                closure_type=closure_type,
                numbers=joined(nums),
                closed_on=closed_on,
                status=status.value,
                confirmed_on=None if closure_type == 1 else closed_on,
                reason=reason,
                username=actor.user.username,
                force=actor.force,
                at=now(),
            )
        )
        cid = new_id(done)
        if closure_type == 1:
            conn.execute(
                insert(ta.check_backs),
                [
                    {"closure_id": cid, "due_on": closed_on + timedelta(days=d)}
                    for d in CHECK_BACK_DAYS
                ],
            )
        remember_numbers(conn, lid, nums)
        log(
            conn,
            store,
            actor,
            "closure",
            str(cid),
            f"line {lid}; type {closure_type}; closed {closed_on}; {status.value}; why: {reason}",
        )
        return get(conn, cid)


def get(conn: Connection, closure_id: int) -> dict[str, Any]:
    r = conn.execute(select(ta.closures).where(ta.closures.c.id == closure_id)).first()
    if r is None:
        raise Absent("closure", str(closure_id))
    cb = ta.check_backs.c
    checks = [
        {
            "check_back_id": c.id,
            "due_on": c.due_on,
            "answered_on": c.answered_on,
            "result": c.result,
            "source": c.source,
        }
        for c in conn.execute(
            select(ta.check_backs).where(cb.closure_id == closure_id).order_by(cb.due_on)
        )
    ]
    return {
        "closure_id": r.id,
        "line_id": r.line_id,
        "closure_type": r.closure_type,
        "numbers": split(r.numbers),
        "closed_on": r.closed_on,
        "status": r.status,
        "counted": r.status == Status.CONFIRMED.value,
        "confirmed_on": r.confirmed_on,
        "reason": r.reason,
        "check_backs": checks,
        "recorded_by": r.username,
        "force": r.force,
    }


def _settle(conn: Connection, closure_id: int) -> None:
    """A Type 1 closure's status from its check-backs."""
    results = list(
        conn.execute(
            select(ta.check_backs.c.result, ta.check_backs.c.due_on).where(
                ta.check_backs.c.closure_id == closure_id
            )
        )
    )
    status, confirmed = Status.PENDING, None
    if any(r.result == Result.IN_USE.value for r in results):
        status = Status.FAILED
    elif results and all(r.result == Result.OUT_OF_USE.value for r in results):
        status, confirmed = Status.CONFIRMED, max(r.due_on for r in results)
    conn.execute(
        update(ta.closures)
        .where(ta.closures.c.id == closure_id)
        .values(status=status.value, confirmed_on=confirmed)
    )


def answer(
    store: Store, actor: Actor, closure_id: int, check_back_id: int, result: Result, on: date
) -> dict[str, Any]:
    """An officer answers a check-back (the number called, the provider asked)."""
    actor.may(ACTORS)
    with store.read() as conn:
        closure = get(conn, closure_id)
        line_in_scope(conn, actor, closure["line_id"])
    if check_back_id not in [c["check_back_id"] for c in closure["check_backs"]]:
        raise Absent("check_back", str(check_back_id))
    with store.write() as conn:
        conn.execute(
            update(ta.check_backs)
            .where(ta.check_backs.c.id == check_back_id)
            .values(
                answered_on=on,
                result=result.value,
                source="officer",
                answered_by=actor.user.username,
            )
        )
        _settle(conn, closure_id)
        log(
            conn,
            store,
            actor,
            "closure",
            str(closure_id),
            f"check-back {check_back_id}: {result.value} on {on}",
        )
        return get(conn, closure_id)


def _day(v: object) -> date:
    return v.date() if isinstance(v, datetime) else v  # type: ignore[return-value]


def answer_from_data(conn: Connection, store: Store) -> int:
    """After a publish: every due check-back the data now reaches past is answered by it.
    The number is in use if it was active after the closure day. How many answered."""
    na = ta.number_activity.c
    end = conn.execute(select(func.max(na.last_seen))).scalar()
    if end is None:
        return 0
    data_end = _day(end)
    cb, cl = ta.check_backs.c, ta.closures.c
    due = list(
        conn.execute(
            select(cb.id, cb.closure_id, cb.due_on, cl.numbers, cl.closed_on, cl.line_id)
            .join(ta.closures, cl.id == cb.closure_id)
            .where(cb.result.is_(None), cb.due_on <= data_end)
        )
    )
    for r in due:
        last = conn.execute(
            select(func.max(na.last_seen)).where(na.number.in_(split(r.numbers)))
        ).scalar()
        used = last is not None and _day(last) > r.closed_on
        result = Result.IN_USE if used else Result.OUT_OF_USE
        conn.execute(
            update(ta.check_backs)
            .where(cb.id == r.id)
            .values(answered_on=data_end, result=result.value, source="data")
        )
        _settle(conn, int(r.closure_id))
        audit.append_in(
            conn,
            store,
            audit.Entry(
                operation=audit.Operation.ALTERATION,
                username=SYSTEM,
                force="local",
                client="cli",
                entity_kind="closure",
                entity_id=str(r.closure_id),
                detail=f"check-back {r.id} (due {r.due_on}) answered by the data to {data_end}: "
                f"{result.value}",
            ),
        )
    return len(due)


def for_line(conn: Connection, line_id: str) -> list[dict[str, Any]]:
    ids = conn.execute(
        select(ta.closures.c.id).where(ta.closures.c.line_id == line_id).order_by(ta.closures.c.id)
    ).scalars()
    return [get(conn, int(i)) for i in ids]
