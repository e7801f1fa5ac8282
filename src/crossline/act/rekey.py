"""After a publish, the forces' records follow merged ids: when a run merges two lines
(or two persons), the retired id becomes an alias of the one kept (runs/ids.py), and
every act row recorded under the retired id is moved to the kept one — so a tasking,
an order or a closure stays with the line, its forces keep seeing it, and re-emergence
and breaches read it. Where both ids held a tasking, the kept line's own stands and the
retired one's is in its history.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, delete, select, update

from crossline.store import tables as t
from crossline.store import tables_act as ta

LINE_KEYED: tuple[Table, ...] = (
    ta.tasking_changes,
    ta.closures,
    ta.tros,
    ta.outcomes,
    ta.alerts,
    ta.referrals,
)
PERSON_KEYED: tuple[Table, ...] = (ta.referrals, ta.orders)


def _aliases(conn: Connection, kind: str) -> dict[str, str]:
    rows = conn.execute(select(t.aliases.c.alias, t.aliases.c.id).where(t.aliases.c.kind == kind))
    return {str(r.alias): str(r.id) for r in rows}


def _unique(conn: Connection, table: Table, old: str, new: str, key: str = "line_id") -> None:
    """Move rows of a table whose primary key includes the id, dropping the ones the kept
    id already has."""
    other = [c for c in table.primary_key.columns if c.name != key]
    for r in conn.execute(select(table).where(table.c[key] == old)).all():
        clash = conn.execute(
            select(table.c[key]).where(
                table.c[key] == new, *(c == r._mapping[c.name] for c in other)
            )
        ).first()
        match = [table.c[key] == old, *(c == r._mapping[c.name] for c in other)]
        if clash is not None:
            conn.execute(delete(table).where(*match))
        else:
            conn.execute(update(table).where(*match).values({key: new}))


def rekey(conn: Connection) -> int:
    """Move act rows from retired ids to the ids they resolve to; how many ids moved."""
    moved = 0
    for old, new in _aliases(conn, "line").items():
        if old == new:
            continue
        had = conn.execute(select(ta.tasking.c.line_id).where(ta.tasking.c.line_id == old)).first()
        if had is None and not any(
            conn.execute(select(tb.c.line_id).where(tb.c.line_id == old).limit(1)).first()
            for tb in LINE_KEYED
        ):
            continue
        moved += 1
        keeps = conn.execute(
            select(ta.tasking.c.line_id).where(ta.tasking.c.line_id == new)
        ).first()
        if had is not None and keeps is not None:  # the kept line's tasking stands
            conn.execute(delete(ta.tasking).where(ta.tasking.c.line_id == old))
            conn.execute(delete(ta.tasking_forces).where(ta.tasking_forces.c.line_id == old))
        elif had is not None:
            conn.execute(update(ta.tasking).where(ta.tasking.c.line_id == old).values(line_id=new))
            _unique(conn, ta.tasking_forces, old, new)
        for tb in LINE_KEYED:
            conn.execute(update(tb).where(tb.c.line_id == old).values(line_id=new))
        _unique(conn, ta.line_numbers_seen, old, new)
    for old, new in _aliases(conn, "person").items():
        for tb in PERSON_KEYED:
            done = conn.execute(update(tb).where(tb.c.person_id == old).values(person_id=new))
            moved += int(bool(done.rowcount))
    return moved
