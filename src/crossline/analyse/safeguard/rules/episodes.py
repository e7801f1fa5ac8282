"""Where a person's own phones were served while they were missing. Three rules read it:
one places the person in a line's area by it, one finds them at the cells a line's
customers use, the third refuses a runner number's trip that their own phone contradicts
(a child whose phone is in Surrey all episode did not travel to Durham on an unidentified
number that happened to make the trip that day)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa

from crossline.analyse.contacts import sightings_sql
from crossline.analyse.safeguard.people import Context, Episode
from crossline.model import schema as s

PHONES = "__phones_missing"


@contextmanager
def phones_while_missing(ctx: Context, episodes: list[Episode]) -> Iterator[str | None]:
    """A registered relation (i, pid, num, t0, t1): each phone of each episode's person,
    with the episode's index in `episodes` and its start and end; None when no one
    reported missing has a phone. Unregistered after the block."""
    rows = [
        {"i": i, "pid": pid, "num": s.number_key(number), "t0": t0, "t1": t1}
        for i, (pid, _, t0, t1) in enumerate(episodes)
        for number in sorted(ctx.phones.get(pid, set()))
    ]
    if not rows:
        yield None
        return
    ctx.engine.register(PHONES, pa.Table.from_pylist(rows))
    try:
        yield PHONES
    finally:
        ctx.engine.unregister(PHONES)


def cells_while_missing(ctx: Context, episodes: list[Episode]) -> dict[int, set[str]]:
    """Index in `episodes` -> the cells that served one of the person's phones between the
    episode's start and end (episodes whose phones were never served are left out)."""
    with phones_while_missing(ctx, episodes) as phones:
        if phones is None:
            return {}
        seen = ctx.engine.query(f"""
            SELECT DISTINCT e.i, c.cell FROM {phones} e JOIN {sightings_sql()} c
                ON c.num = e.num AND c.t BETWEEN e.t0 AND e.t1
            WHERE c.cell IS NOT NULL
        """).to_pylist()
    out: dict[int, set[str]] = defaultdict(set)
    for r in seen:
        out[int(r["i"])].add(str(r["cell"]))
    return dict(out)
