"""The safeguarding list: the children and vulnerable adults a line exploits, in front of
safeguarding leads, with reasons an officer can act on.

A child who runs drugs for a line is a victim first ("too often treated as criminals
rather than recognised as victims"). The list holds:
- every child (under 18 at the last event) whose phone is one of a line's runners, and
  every child whose phone is in touch with a line's deal phone or controller;
- every person reported missing whose phone, or whose stop by police, puts them in a line's
  importer area during or near the episode, away from the force that reported them, or
  whose phone is in touch with a line's deal phone or controller then;
- every person named in a cuckooing report, with the lines whose phones dwell near it, and
  every vulnerable adult whose own phone says a line's phones dwell at their home;
- vulnerable adults linked to a line (as a runner, a cuckooed householder or a customer).
Referral follows the National Referral Mechanism: a child needs no consent, so both the NRM
and statutory safeguarding; an exploited adult runner goes to the NRM (with consent); a
cuckooed or vulnerable adult to statutory (Care Act) safeguarding.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
from shapely import STRtree, box
from shapely.geometry import Point

from crossline.analyse.contacts import (
    cell_force_map,
    cell_table,
    contacts_between,
    own_cells,
    sightings_sql,
)
from crossline.analyse.geography import force_at
from crossline.analyse.lines.build import Line
from crossline.analyse.numbers import key_table
from crossline.analyse.safeguard.config import SafeguardingConfig
from crossline.engine.base import Engine
from crossline.model import schema as s
from crossline.model.vocab import EventType, NominalFlag, Referral, SafeguardReason

SEP = s.LIST_SEP
MISSING_NEAR = timedelta(days=2)  # "during or near" an episode
OPEN_EPISODE = timedelta(days=7)  # an episode with no found report
CUCKOO_RADIUS_KM = 1.0
DWELL_MIN = 3  # a cell serving a phone this often is where it dwells, not where it passed
# ... and this share of the phone's located contacts: over weeks a runner's phone is
# served three times by half the masts in town, but it lives at the address it works from
DWELL_SHARE = 0.1
# a vulnerable adult's home mast and a line's dwelling mast: the same site (sectors of one
# mast share its position), not the next one along
HOME_MAST_KM = 0.3
# contacts either way with a line's deal phone or controller that put a child on the list:
# one may be a wrong number; a second is a relationship a lead should know about
CHILD_CONTACT_MIN = 2
TRIP_MATCH = timedelta(days=1)  # a runner trip's ends against a missing episode's ends
# a silent phone left (or reached) the area somewhere between two sightings; past this
# long a gap says too little about when, and only the sighting itself counts
TRIP_GAP_MAX = timedelta(days=3)

# (person, reporting force, missing at, found at) of a missing episode
_Episode = tuple[str, str, datetime, datetime]


@dataclass
class Person:
    person_id: str
    forces: set[str] = field(default_factory=set)
    records: set[tuple[str, str]] = field(default_factory=set)
    dobs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    last_event: datetime | None = None
    reasons: set[str] = field(default_factory=set)
    lines: set[str] = field(default_factory=set)
    adult_runner: bool = False

    def dob(self) -> date | None:
        """The most precise, most often recorded date of birth."""
        full = [d for d in self.dobs if len(d) == 10]
        pool = full or [d for d in self.dobs if len(d) == 7] or self.dobs
        if not pool:
            return None
        best = max(set(pool), key=lambda d: (pool.count(d), d))
        parts = [int(x) for x in best.split("-")]
        if len(parts) == 1:
            return date(parts[0], 7, 1)
        if len(parts) == 2:
            return date(parts[0], parts[1], 15)
        return date(parts[0], parts[1], parts[2])

    def age_at(self, when: datetime | None) -> int | None:
        born = self.dob()
        if born is None or when is None:
            return None
        on = when.date()
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def child_at(self, when: datetime | None) -> bool:
        """Under 18 then; with no date of birth on any record, a looked-after child."""
        age = self.age_at(when)
        if age is None:
            return NominalFlag.CHILD_LOOKED_AFTER.value in self.flags
        return age < 18


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


def safeguarding(
    engine: Engine,
    lines: list[Line],
    persons: pa.Table,
    phone_persons: pa.Table,
    timings: dict[str, float] | None = None,
    cfg: SafeguardingConfig | None = None,
) -> pa.Table:
    """The safeguarding list in the contract's columns (safeguarding.csv). `timings`, when
    given, gets the seconds each rule took (bench/analyse.py reports them)."""
    people: dict[str, Person] = {}
    person_of: dict[tuple[str, str], str] = {}
    for r in persons.to_pylist():
        pid = r["person_id"]
        p = people.setdefault(pid, Person(pid))
        key = (r[s.FORCE], r[s.RECORD_ID])
        p.records.add(key)
        p.forces.add(key[0])
        person_of[key] = pid
    for r in engine.query(
        f'SELECT "{s.FORCE}", "{s.RECORD_ID}", "{s.DATE_OF_BIRTH}", "{s.FLAGS}" '
        f"FROM {s.NOMINALS.name}"
    ).to_pylist():
        pid = person_of.get((r[s.FORCE], r[s.RECORD_ID]))
        if pid is None:
            continue
        if r[s.DATE_OF_BIRTH]:
            people[pid].dobs.append(r[s.DATE_OF_BIRTH])
        people[pid].flags.update(r[s.FLAGS] or [])
    phones: dict[str, set[str]] = defaultdict(set)
    persons_of_phone: dict[str, set[str]] = defaultdict(set)
    for r in phone_persons.to_pylist():
        phones[r["person_id"]].add(r["number"])
        persons_of_phone[r["number"]].add(r["person_id"])

    events = engine.query(
        f'SELECT "{s.FORCE}", "{s.EVENT_TYPE}", "{s.OCCURRED_AT}", "{s.NOMINAL_RECORD_ID}", '
        f'"{s.PHONE_NUMBER}", "{s.LAT}", "{s.LON}" FROM {s.EVENTS.name} ORDER BY "{s.OCCURRED_AT}"'
    ).to_pylist()
    for e in events:
        pid = person_of.get((e[s.FORCE], e[s.NOMINAL_RECORD_ID] or ""))
        if pid:
            people[pid].last_event = _later(people[pid].last_event, e[s.OCCURRED_AT])

    took = timings if timings is not None else {}
    with _timed(took, "runners"):
        _runners(lines, people, persons_of_phone)
    with _timed(took, "children in touch"):
        _children_in_touch(engine, lines, people, phones)
    # read once, used by every missing-episode rule
    found, open_ = _episode_reports(person_of, events)
    windows = _windows(found, open_)
    force_of = cell_force_map(engine) if lines else {}
    with _timed(took, "missing, placed in the area"):
        _missing(engine, lines, people, person_of, phones, events, windows, force_of)
    with _timed(took, "missing, a runner trip"):
        _missing_with_a_trip(engine, lines, people, phones, found, force_of)
    with _timed(took, "missing, in touch"):
        _missing_in_touch(engine, lines, people, phones, windows)
    with _timed(took, "cuckooed"):
        dwell = _dwell(engine, lines, force_of)
        _cuckooed(lines, people, person_of, events, dwell)
        _line_phones_at_home(engine, lines, people, phones, dwell)
    _vulnerable_customers(lines, people, persons_of_phone)
    return _table(people)


@contextmanager
def _timed(timings: dict[str, float], rule: str) -> Iterator[None]:
    t0 = time.perf_counter()
    try:
        yield
    finally:
        timings[rule] = timings.get(rule, 0.0) + time.perf_counter() - t0


def _runners(
    lines: list[Line], people: dict[str, Person], persons_of_phone: dict[str, set[str]]
) -> None:
    for line in lines:
        last = max(d.last_seen for d in line.deals)
        # a person found with the deal phone (seizure, arrest) was grafting for the line
        holders = {pid for d in line.deals for pid in persons_of_phone.get(d.number, set())}
        runners = {pid for n in line.runners for pid in persons_of_phone.get(n, set())}
        for pid in sorted(runners | holders):
            p = people[pid]
            p.last_event = _later(p.last_event, last)
            age = p.age_at(p.last_event)
            if p.child_at(p.last_event):
                p.reasons.add(SafeguardReason.CHILD_RUNNER.value)
                p.lines.add(line.line_id)
            elif {
                NominalFlag.VULNERABLE_ADULT.value,
                NominalFlag.MODERN_SLAVERY_VICTIM.value,
            } & p.flags:
                p.reasons.add(SafeguardReason.VULNERABLE_ADULT.value)
                p.lines.add(line.line_id)
                p.adult_runner = True
            elif age is None:
                # no force knows their age: they may be a child, so a lead must check
                p.reasons.add(SafeguardReason.RUNNER_AGE_UNKNOWN.value)
                p.lines.add(line.line_id)


def _line_numbers(lines: list[Line]) -> dict[str, set[str]]:
    """Each line's deal numbers and controller -> the lines they serve."""
    line_of: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        for number in [d.number for d in line.deals] + [line.controller or ""]:
            if number:
                line_of[number].add(line.line_id)
    return line_of


def _owners(
    phones: dict[str, set[str]], pids: Iterable[str], exclude: set[str] | None = None
) -> dict[str, set[str]]:
    """number -> which of `pids` it is linked to, leaving out the numbers in `exclude`."""
    owner: dict[str, set[str]] = defaultdict(set)
    for pid in pids:
        for number in phones.get(pid, set()) - (exclude or set()):
            owner[number].add(pid)
    return owner


def _children_in_touch(
    engine: Engine, lines: list[Line], people: dict[str, Person], phones: dict[str, set[str]]
) -> None:
    """A child whose phone is in touch with a line's deal phone or controller, though the
    register does not count it a runner (it was seldom seen in the importer area, or too
    briefly): a child in contact with a line is a child at risk of criminal exploitation,
    and a lead should know. Age is taken at the latest such contact."""
    line_of = _line_numbers(lines)
    if not line_of:
        return
    earliest = min(d.first_seen for ln in lines for d in ln.deals)
    # (a phone link to a person no resolved record holds is left out)
    children = [pid for pid in phones if pid in people and people[pid].child_at(earliest)]
    owner = _owners(phones, children, exclude=set(line_of))
    found = contacts_between(engine, sorted(owner), sorted(line_of)).to_pylist()
    for r in found:
        if r["n"] < CHILD_CONTACT_MIN:
            continue
        for pid in owner[r["num"]]:
            p = people[pid]
            if SafeguardReason.CHILD_RUNNER.value in p.reasons and line_of[r["other"]] <= p.lines:
                continue  # listed already as this line's runner
            if not p.child_at(r["last"]):
                continue
            p.last_event = _later(p.last_event, r["last"])
            p.reasons.add(SafeguardReason.CHILD_LINE_CONTACT.value)
            p.lines.update(line_of[r["other"]])


def _windows(found: list[_Episode], open_: dict[str, tuple[str, datetime]]) -> list[_Episode]:
    """Each missing episode as the time an analysis looks in: missing report to the next
    found report (or a week, if never found), widened by MISSING_NEAR either side."""
    episodes = [(pid, f, t0 - MISSING_NEAR, t1 + MISSING_NEAR) for pid, f, t0, t1 in found]
    episodes += [(pid, f, t0 - MISSING_NEAR, t0 + OPEN_EPISODE) for pid, (f, t0) in open_.items()]
    return episodes


def _missing_in_touch(
    engine: Engine,
    lines: list[Line],
    people: dict[str, Person],
    phones: dict[str, set[str]],
    episodes: list[_Episode],
) -> None:
    """A person reported missing whose phone is in touch with a line's deal phone or
    controller during or near the episode: a line calling a child who has just gone
    missing is how a trip begins, even when the phone is never placed in the importer
    area (a phone seldom used, or served by no recorded cell). Most of the phone's
    contact with the line must fall in its episodes."""
    line_of = _line_numbers(lines)
    if not line_of or not episodes:
        return
    windows: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for pid, _, t0, t1 in episodes:
        windows[pid].append((t0, t1))
    owner = _owners(phones, windows, exclude=set(line_of))
    # a line's customers call its deal phone every day, missing or not: only a phone that
    # is not one of the line's customers counts (and any phone the controller calls)
    controllers = {ln.controller for ln in lines if ln.controller}
    customers = {ln.line_id: set(ln.customers) for ln in lines}
    for r in contacts_between(engine, sorted(owner), sorted(line_of)).to_pylist():
        linked = {
            lid
            for lid in line_of[r["other"]]
            if r["other"] in controllers or r["num"] not in customers[lid]
        }
        if not linked:
            continue
        for pid in owner[r["num"]]:
            inside = sum(any(t0 <= t <= t1 for t0, t1 in windows[pid]) for t in r["times"])
            # a friend or relative of the holder talks to him missing or not: the contact
            # must come with the episodes, not merely fall in them
            if inside and inside >= len(r["times"]) - inside:
                p = people[pid]
                p.reasons.add(SafeguardReason.MISSING_EPISODE_LINKED.value)
                p.lines.update(linked)


def _missing(
    engine: Engine,
    lines: list[Line],
    people: dict[str, Person],
    person_of: dict[tuple[str, str], str],
    phones: dict[str, set[str]],
    events: list[dict[str, Any]],
    episodes: list[_Episode],
    force_of: dict[str, str],
) -> None:
    by_importer: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        if line.importer_force:
            by_importer[line.importer_force].append(line)
    if not by_importer:
        return
    if not episodes:
        return

    def flag(pid: str, force: str) -> None:
        p = people[pid]
        p.reasons.add(SafeguardReason.MISSING_EPISODE_LINKED.value)
        mine = [ln for ln in by_importer[force] if set(ln.runners) & phones[pid]]
        p.lines.update(ln.line_id for ln in (mine or by_importer[force]))

    # a stop, arrest or other event placing the person in an importer area elsewhere
    located = [e for e in events if e[s.LAT] is not None and e[s.LON] is not None]
    if located:
        where, _ = force_at(
            np.array([float(str(e[s.LAT])) for e in located]),
            np.array([float(str(e[s.LON])) for e in located]),
        )
        for e, force in zip(located, where, strict=True):
            pid = person_of.get((str(e[s.FORCE]), str(e[s.NOMINAL_RECORD_ID] or "")))
            if not pid or force not in by_importer:
                continue
            when = e[s.OCCURRED_AT]
            for epid, rep_force, t0, t1 in episodes:
                if epid == pid and force != rep_force and t0 <= when <= t1:
                    flag(pid, str(force))
    # the person's phone served by cells in an importer area elsewhere during the episode
    rows = []
    for pid, rep_force, t0, t1 in episodes:
        for number in phones.get(pid, set()):
            rows.append(
                {"num": s.number_key(number), "pid": pid, "rep": rep_force, "t0": t0, "t1": t1}
            )
    if not rows:
        return
    engine.register("__episodes", pa.Table.from_pylist(rows))
    try:
        seen = engine.query(f"""
            SELECT DISTINCT e.pid, e.rep, c.cell FROM __episodes e JOIN {sightings_sql()} c
                ON c.num = e.num AND c.t BETWEEN e.t0 AND e.t1
            WHERE c.cell IS NOT NULL
        """).to_pylist()
    finally:
        engine.unregister("__episodes")
    for r in seen:
        cell_force = force_of.get(r["cell"])
        if cell_force and cell_force in by_importer and cell_force != r["rep"]:
            flag(r["pid"], cell_force)


def _episode_reports(
    person_of: dict[tuple[str, str], str], events: list[dict[str, Any]]
) -> tuple[list[_Episode], dict[str, tuple[str, datetime]]]:
    """Missing episodes from the reports (events in time order): (person, reporting force,
    missing at, found at) for each closed by a found report, and person -> (force, missing
    at) for those still open."""
    found: list[_Episode] = []
    open_: dict[str, tuple[str, datetime]] = {}
    for e in events:
        pid = person_of.get((str(e[s.FORCE]), str(e[s.NOMINAL_RECORD_ID] or "")))
        if not pid or not isinstance(e[s.OCCURRED_AT], datetime):
            continue
        if e[s.EVENT_TYPE] == EventType.MISSING_EPISODE.value:
            open_[pid] = (str(e[s.FORCE]), e[s.OCCURRED_AT])
        elif e[s.EVENT_TYPE] == EventType.FOUND_AFTER_MISSING.value and pid in open_:
            force, start = open_.pop(pid)
            found.append((pid, force, start, e[s.OCCURRED_AT]))
    return found, open_


@dataclass(frozen=True)
class Trip:
    """A run of a number's consecutive located contacts in one force area, with the
    sightings elsewhere just before and after it (None at the ends of the data): the
    number arrived between `before` and `first` and left between `last` and `after`."""

    before: datetime | None
    first: datetime
    last: datetime
    after: datetime | None

    def arrived_near(self, when: datetime) -> bool:
        lo = self.first if self.before is None else max(self.before, self.first - TRIP_GAP_MAX)
        return lo - TRIP_MATCH <= when <= self.first + TRIP_MATCH

    def left_near(self, when: datetime) -> bool:
        hi = self.last if self.after is None else min(self.after, self.last + TRIP_GAP_MAX)
        return self.last - TRIP_MATCH <= when <= hi + TRIP_MATCH


def _trips(
    engine: Engine, numbers: dict[str, str], force_of: dict[str, str]
) -> dict[str, list[Trip]]:
    """number -> its trips into a force area (`numbers`: number -> area); a contact served
    in any other area ends a trip."""
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
    trips: dict[str, list[Trip]] = defaultdict(list)
    run: dict[str, tuple[datetime | None, datetime, datetime]] = {}
    elsewhere: dict[str, datetime] = {}  # the number's latest sighting outside the area
    for r in rows:
        number = s.number_text(int(r["num"]))
        if force_of.get(r["cell"]) == numbers[number]:
            before, first, _ = run.get(number, (elsewhere.get(number), r["t"], r["t"]))
            run[number] = (before, first, r["t"])
        else:
            if number in run:
                trips[number].append(Trip(*run.pop(number), r["t"]))
            elsewhere[number] = r["t"]
    for number, (before, first, last) in run.items():
        trips[number].append(Trip(before, first, last, None))
    return trips


def _missing_with_a_trip(
    engine: Engine,
    lines: list[Line],
    people: dict[str, Person],
    phones: dict[str, set[str]],
    episodes: list[_Episode],
    force_of: dict[str, str],
) -> None:
    """A person reported missing from a line's exporter area whose episode is one of the
    line's runner trips: a runner number no record attributes to anyone arrives in the
    importer area when the child goes missing and leaves it when the child is found, each
    within TRIP_MATCH of the sightings that bound the arrival and the departure (a phone
    used now and then is seen a day or more after it arrives, or before it leaves). Both
    ends must agree (an open episode gives only one). This is how an analyst ties a child
    who went missing without a phone on record to an unidentified runner number; it lists
    the child for a lead to check, it does not give them the number. A person whose own
    phone is already one of a line's runners has their trips on that number: another
    line's unidentified number travelling on the same days (children from one city go
    missing together) is not theirs."""
    known = {n for numbers in phones.values() for n in numbers}
    runner_numbers = {n for ln in lines for n in ln.runners}
    unknown = {
        n: ln.importer_force
        for ln in lines
        if ln.importer_force and ln.importer_force != ln.exporter_force
        for n in ln.runners
        if n not in known
    }
    if not episodes or not unknown:
        return
    trips = _trips(engine, unknown, force_of)
    for pid, force, missing_at, found_at in episodes:
        if phones.get(pid, set()) & runner_numbers:
            continue
        for line in lines:
            if line.exporter_force != force or line.importer_force == force:
                continue
            if any(
                trip.arrived_near(missing_at) and trip.left_near(found_at)
                for n in line.runners
                if n in unknown
                for trip in trips.get(n, [])
            ):
                p = people[pid]
                p.reasons.add(SafeguardReason.MISSING_EPISODE_LINKED.value)
                p.lines.add(line.line_id)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = (lat2 - lat1) * 111.0
    dx = (lon2 - lon1) * 111.0 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


@dataclass
class _Dwell:
    """Where each line's deal and runner phones dwell (cells serving them at least
    DWELL_MIN times and DWELL_SHARE of their located contacts), and every cell's position
    and force area. `near` answers "which
    lines dwell within r km of here" through a spatial index, so a national run (thousands
    of lines, many thousands of vulnerable adults) does not measure every pair."""

    points: list[tuple[str, str, float, float]]  # (line_id, cell, lat, lon)
    cells: dict[str, tuple[float, float]]
    force_of: dict[str, str]
    tree: STRtree = field(init=False)

    def __post_init__(self) -> None:
        self.tree = STRtree([Point(lon, lat) for _, _, lat, lon in self.points])

    def near(self, lat: float, lon: float, km: float, importer_of: dict[str, str]) -> set[str]:
        """Lines with a dwelling point within `km`; with `importer_of`, only points in the
        line's importer force area (where the line works, not where its runners live)."""
        dlat = km / 111.0
        dlon = km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
        hits = self.tree.query(box(lon - dlon, lat - dlat, lon + dlon, lat + dlat))
        out = set()
        for i in hits:
            line_id, cell, a, b = self.points[int(i)]
            if importer_of and self.force_of.get(cell) != importer_of.get(line_id):
                continue
            if _km(lat, lon, a, b) <= km:
                out.add(line_id)
        return out


def _dwell(engine: Engine, lines: list[Line], force_of: dict[str, str]) -> _Dwell:
    phone_line = {n: ln.line_id for ln in lines for n in ln.runners}
    phone_line.update({d.number: ln.line_id for ln in lines for d in ln.deals})
    cells = {r["cell_id"]: (r["lat"], r["lon"]) for r in cell_table(engine).to_pylist()}
    points: list[tuple[str, str, float, float]] = []
    if phone_line:
        served = own_cells(engine, sorted(phone_line)).to_pylist()
        total: dict[str, int] = defaultdict(int)
        for r in served:
            total[r["num"]] += int(r["n"])
        for r in served:
            if (
                r["cell"] in cells
                and r["n"] >= DWELL_MIN
                and r["n"] >= DWELL_SHARE * total[r["num"]]
            ):
                points.append((phone_line[r["num"]], r["cell"], *cells[r["cell"]]))
    return _Dwell(points, cells, force_of)


def _cuckooed(
    lines: list[Line],
    people: dict[str, Person],
    person_of: dict[tuple[str, str], str],
    events: list[dict[str, Any]],
    dwell: _Dwell,
) -> None:
    reports = [e for e in events if e[s.EVENT_TYPE] == EventType.CUCKOOING_REPORT.value]
    importer_of = {ln.line_id: ln.importer_force for ln in lines}
    for e in reports:
        pid = person_of.get((str(e[s.FORCE]), str(e[s.NOMINAL_RECORD_ID] or "")))
        if not pid:
            continue
        p = people[pid]
        p.reasons.add(SafeguardReason.CUCKOOED_ADDRESS.value)
        if NominalFlag.VULNERABLE_ADULT.value in p.flags:
            p.reasons.add(SafeguardReason.VULNERABLE_ADULT.value)
        if e[s.LAT] is not None and e[s.LON] is not None:
            lat, lon = float(str(e[s.LAT])), float(str(e[s.LON]))
            p.lines.update(dwell.near(lat, lon, CUCKOO_RADIUS_KM, {}))
        if not p.lines:
            p.lines.update(lid for lid, f in importer_of.items() if f == e[s.FORCE])


def _line_phones_at_home(
    engine: Engine,
    lines: list[Line],
    people: dict[str, Person],
    phones: dict[str, set[str]],
    dwell: _Dwell,
) -> None:
    """Cuckooing nobody reported: a vulnerable adult's own phone is served, most of the
    time, by the mast where a line's deal or runner phones dwell in its importer area. A
    line working from someone's home keeps its phones there day after day; the adult's
    phone says where home is (a force record rarely locates an address)."""
    vulnerable = {
        pid: p
        for pid, p in people.items()
        if NominalFlag.VULNERABLE_ADULT.value in p.flags and phones.get(pid)
    }
    if not vulnerable or not dwell.points:
        return
    owner = _owners(phones, vulnerable)
    served: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in own_cells(engine, sorted(owner)).to_pylist():
        for pid in owner[r["num"]]:
            served[pid][r["cell"]] += int(r["n"])
    importer_of = {ln.line_id: ln.importer_force for ln in lines}
    for pid, counts in served.items():
        home, times = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        if times < DWELL_MIN or home not in dwell.cells:
            continue
        at_home = dwell.near(*dwell.cells[home], HOME_MAST_KM, importer_of)
        if at_home:
            p = vulnerable[pid]
            p.reasons.update(
                {SafeguardReason.LINE_PHONES_AT_HOME.value, SafeguardReason.VULNERABLE_ADULT.value}
            )
            p.lines.update(at_home)


def _vulnerable_customers(
    lines: list[Line], people: dict[str, Person], persons_of_phone: dict[str, set[str]]
) -> None:
    for line in lines:
        for number in line.customers:
            for pid in persons_of_phone.get(number, set()):
                p = people[pid]
                if NominalFlag.VULNERABLE_ADULT.value in p.flags:
                    p.reasons.add(SafeguardReason.VULNERABLE_ADULT.value)
                    p.lines.add(line.line_id)


def _referral(p: Person, age: int | None) -> str:
    child = bool(
        {SafeguardReason.CHILD_RUNNER.value, SafeguardReason.CHILD_LINE_CONTACT.value} & p.reasons
    ) or (age is not None and age < 18)
    if child:
        return Referral.BOTH.value
    if p.adult_runner:
        return Referral.NRM.value
    return Referral.STATUTORY_SAFEGUARDING.value


def _table(people: dict[str, Person]) -> pa.Table:
    rows = []
    for p in sorted(people.values(), key=lambda p: p.person_id):
        if not p.reasons:
            continue
        age = p.age_at(p.last_event)
        rows.append(
            {
                "person_id": p.person_id,
                "age_at_last_event": age,
                "reasons": SEP.join(sorted(p.reasons)),
                "line_ids": SEP.join(sorted(p.lines)),
                "forces": SEP.join(sorted(p.forces)),
                "recommended_referral": _referral(p, age),
            }
        )
    types = {"age_at_last_event": pa.int64()}
    return pa.table(
        {
            c: pa.array([r[c] for r in rows], types.get(c, pa.string()))
            for c in s.SAFEGUARDING_COLUMNS
        }
    )


def with_safeguarding(register: pa.Table, listed: pa.Table, phone_persons: pa.Table) -> pa.Table:
    """The register with holders filled and every child runner (and every runner whose age
    no force knows, or whom no record names) flagged in its evidence, so no view of a line
    shows an exploited child only as a runner."""
    reasons = {r["person_id"]: set(r["reasons"].split(SEP)) for r in listed.to_pylist()}
    persons_of: dict[str, set[str]] = defaultdict(set)
    for r in phone_persons.to_pylist():
        persons_of[r["number"]].add(r["person_id"])
    rows = register.to_pylist()
    for row in rows:
        row["holder_nominal_ids"] = SEP.join(sorted(persons_of.get(row["controller_number"], ())))
        numbers = [n for n in str(row["runner_numbers"] or "").split(SEP) if n]
        runners = [(n, pid) for n in numbers for pid in sorted(persons_of.get(n, ()))]
        notes = []
        children = [
            f"{n} ({pid})"
            for n, pid in runners
            if SafeguardReason.CHILD_RUNNER.value in reasons.get(pid, ())
        ]
        unknown = [
            f"{n} ({pid})"
            for n, pid in runners
            if SafeguardReason.RUNNER_AGE_UNKNOWN.value in reasons.get(pid, ())
        ]
        if children:
            notes.append(
                f"child runner(s) {', '.join(children)}: victims first, "
                f"referral {Referral.BOTH.value}"
            )
        if unknown:
            notes.append(f"runner(s) of unknown age {', '.join(unknown)}: may be children")
        nobody = [n for n in numbers if n not in persons_of]
        if nobody:
            notes.append(
                f"runner number(s) {', '.join(nobody)} on no one's record: may be children, "
                "to be identified"
            )
        if notes:
            row["evidence"] = "SAFEGUARDING: " + "; ".join(notes) + "; " + str(row["evidence"])
    return pa.Table.from_pylist(rows, schema=register.schema)
