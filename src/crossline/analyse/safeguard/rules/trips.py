"""Runner trips: the runs of a number's located contacts inside one area, with the
sightings elsewhere that bound them, so an analysis can say when the phone arrived and
when it left."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from crossline.analyse.contacts import sightings_sql
from crossline.analyse.numbers import key_table
from crossline.engine.base import Engine
from crossline.model import schema as s


@dataclass(frozen=True)
class Trip:
    """A run of a number's consecutive located contacts in one force area, with the
    sightings elsewhere just before and after it (None at the ends of the data): the
    number arrived between `before` and `first` and left between `last` and `after`.
    `match` is how close an episode's end must be; `gap_max` how long a silent gap still
    says when the phone moved."""

    before: datetime | None
    first: datetime
    last: datetime
    after: datetime | None
    match: timedelta = timedelta(days=1)
    gap_max: timedelta = timedelta(days=3)

    def arrived_near(self, when: datetime) -> bool:
        lo = self.first if self.before is None else max(self.before, self.first - self.gap_max)
        return lo - self.match <= when <= self.first + self.match

    def left_near(self, when: datetime) -> bool:
        hi = self.last if self.after is None else min(self.after, self.last + self.gap_max)
        return self.last - self.match <= when <= hi + self.match


def trips(
    engine: Engine,
    numbers: Mapping[str, Collection[str]],
    match: timedelta = timedelta(days=1),
    gap_max: timedelta = timedelta(days=3),
    ends: Mapping[str, Collection[str]] | None = None,
) -> dict[str, list[Trip]]:
    """number -> its trips into an area (`numbers`: number -> the cells of the area: a
    force area's cells, or, where no cell has a position, the cells serving the line's
    customers); a contact served by any other cell ends a trip, or, for a number in
    `ends`, only one served by the cells given there (without positions, a cell that is
    not the customers' may still be in their town: only a cell known to be elsewhere says
    the phone left)."""
    if not numbers:
        return {}
    engine.register("__trip_numbers", key_table(numbers))
    try:
        rows = engine.query(f"""
            SELECT num, t, cell FROM {sightings_sql()} c SEMI JOIN __trip_numbers x USING (num)
            WHERE cell IS NOT NULL
            ORDER BY num, t
        """).to_pylist()
    finally:
        engine.unregister("__trip_numbers")
    out: dict[str, list[Trip]] = defaultdict(list)
    run: dict[str, tuple[datetime | None, datetime, datetime]] = {}
    elsewhere: dict[str, datetime] = {}  # the number's latest sighting outside the area
    for r in rows:
        number = s.number_text(int(r["num"]))
        if r["cell"] in numbers[number]:
            before, first, _ = run.get(number, (elsewhere.get(number), r["t"], r["t"]))
            run[number] = (before, first, r["t"])
        elif ends is None or number not in ends or r["cell"] in ends[number]:
            if number in run:
                out[number].append(Trip(*run.pop(number), r["t"], match, gap_max))
            elsewhere[number] = r["t"]
    for number, (before, first, last) in run.items():
        out[number].append(Trip(before, first, last, None, match, gap_max))
    return out
