"""A user's alerts: those raised to their force (every force's for national roles), newest
first. An alert is a notice with the least it needs to say (an entity, a contact, a
number and a date); the records behind it stay where scoping keeps them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from crossline.act.common import READERS, Actor
from crossline.store import Store
from crossline.store import tables_act as ta


def list_alerts(
    store: Store, actor: Actor, kind: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    actor.may(READERS)
    c = ta.alerts.c
    where = [] if actor.user.national else [c.to_force == actor.force]
    if kind is not None:
        where.append(c.kind == kind)
    with store.read() as conn:
        total = int(
            conn.execute(select(func.count()).select_from(ta.alerts).where(*where)).scalar_one()
        )
        rows = conn.execute(
            select(ta.alerts).where(*where).order_by(c.id.desc()).limit(limit).offset(offset)
        )
        items = [
            {
                **json.loads(r.body),
                "alert_id": r.id,
                "at": r.at,
                "kind": r.kind,
                "to_force": r.to_force,
                "line_id": r.line_id,
            }
            for r in rows
        ]
    return items, total
