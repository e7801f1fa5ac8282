"""Where a person's own phones were served while they were missing. Two rules read it:
one places the person in a line's area by it, the other refuses a runner number's trip
that their own phone contradicts (a child whose phone is in Surrey all episode did not
travel to Durham on an unidentified number that happened to make the trip that day)."""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa

from crossline.analyse.contacts import sightings_sql
from crossline.analyse.safeguard.people import Context, Episode
from crossline.model import schema as s


def cells_while_missing(ctx: Context, episodes: list[Episode]) -> dict[int, set[str]]:
    """Index in `episodes` -> the cells that served one of the person's phones between the
    episode's start and end (episodes whose phones were never served are left out)."""
    rows = [
        {"i": i, "num": s.number_key(number), "t0": t0, "t1": t1}
        for i, (pid, _, t0, t1) in enumerate(episodes)
        for number in sorted(ctx.phones.get(pid, set()))
    ]
    if not rows:
        return {}
    ctx.engine.register("__phones_missing", pa.Table.from_pylist(rows))
    try:
        seen = ctx.engine.query(f"""
            SELECT DISTINCT e.i, c.cell FROM __phones_missing e JOIN {sightings_sql()} c
                ON c.num = e.num AND c.t BETWEEN e.t0 AND e.t1
            WHERE c.cell IS NOT NULL
        """).to_pylist()
    finally:
        ctx.engine.unregister("__phones_missing")
    out: dict[int, set[str]] = defaultdict(set)
    for r in seen:
        out[int(r["i"])].add(str(r["cell"]))
    return dict(out)
