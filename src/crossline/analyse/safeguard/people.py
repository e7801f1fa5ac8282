"""What every safeguarding rule reads: the resolved persons with their dates of birth,
flags and last recorded event, the phones linked to them, and the missing episodes from
the reports. Built once per run and never changed by a rule, so the rules can run in any
order (or in parallel) and give the same list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from crossline.analyse.contacts import cell_force_map
from crossline.analyse.lines.build import Line
from crossline.analyse.safeguard.config import SafeguardingConfig
from crossline.engine.base import Engine
from crossline.model import schema as s
from crossline.model.vocab import EventType, NominalFlag

# (person, reporting force, start, end) of a missing episode
Episode = tuple[str, str, datetime, datetime]


@dataclass
class Person:
    person_id: str
    forces: set[str] = field(default_factory=set)
    records: set[tuple[str, str]] = field(default_factory=set)
    dobs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    # force -> the flags its own records of the person carry (what each force knows)
    force_flags: dict[str, set[str]] = field(default_factory=dict)
    last_event: datetime | None = None  # the latest event a force recorded for them

    def dob(self) -> date | None:
        """The most precise, most often recorded date of birth. A 1 January is read as a
        year only: it is the placeholder systems write when only the year is known (the
        "administrative birthday" of school, asylum and police records), and reading it
        as a true date ages a 17-year-old born in November as 18 all spring."""
        dobs = [year_only(d) for d in self.dobs]
        full = [d for d in dobs if len(d) == 10]
        pool = full or [d for d in dobs if len(d) == 7] or dobs
        if not pool:
            return None
        best = max(set(pool), key=lambda d: (pool.count(d), d))
        parts = [int(x) for x in best.split("-")]
        if len(parts) == 1:
            return date(parts[0], 7, 1)
        if len(parts) == 2:
            return date(parts[0], parts[1], 15)
        return date(parts[0], parts[1], parts[2])

    def year_only(self) -> bool:
        """The date of birth taken (dob) is a year, or a year and month, not a full date."""
        dobs = [year_only(d) for d in self.dobs]
        return bool(dobs) and not any(len(d) == 10 for d in dobs)

    def age_at(self, when: datetime | None) -> int | None:
        born = self.dob()
        if born is None or when is None:
            return None
        on = when.date()
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def may_be_child_at(self, when: datetime | None) -> bool:
        """Under 18 then by the age taken (child_at), or by the youngest date of birth any
        of their records gives: where records of a child and a relative are merged, the
        child must not vanish behind the adult's date."""
        if self.child_at(when):
            return True
        if when is None:
            return False
        on = when.date()
        for d in self.dobs:
            try:
                y = int(d[:4])
                m, day = (int(d[5:7]), int(d[8:10])) if len(d) == 10 else (1, 1)
            except ValueError:
                continue
            if on.year - y - ((on.month, on.day) < (m, day)) < 18:
                return True
        return False

    def child_at(self, when: datetime | None) -> bool:
        """Under 18 then; with no date of birth on any record, a looked-after child."""
        age = self.age_at(when)
        if age is None:
            return NominalFlag.CHILD_LOOKED_AFTER.value in self.flags
        return age < 18


def year_only(dob: str) -> str:
    """A date of birth on 1 January as its year (see Person.dob); any other as given."""
    return dob[:4] if len(dob) == 10 and dob.endswith("-01-01") else dob


def later(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


@dataclass(frozen=True)
class Context:
    """Read-only inputs of the rules."""

    engine: Engine
    cfg: SafeguardingConfig
    lines: list[Line]
    people: dict[str, Person]
    person_of: dict[tuple[str, str], str]  # (force, record_id) -> person
    phones: dict[str, set[str]]  # person -> numbers
    persons_of_phone: dict[str, set[str]]  # number -> persons
    events: list[dict[str, Any]]  # in time order
    found: list[Episode]  # episodes closed by a found report
    open_: dict[str, tuple[str, datetime]]  # person -> (force, missing at), never found
    windows: list[Episode]  # every episode widened by missing_near (see `windows`)
    force_of: dict[str, str]  # cell -> force area
    # derived data two rules share, computed once on first use (a pure function of the
    # fields above, so which rule asks first changes nothing)
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def person_of_event(self, e: dict[str, Any]) -> str | None:
        return self.person_of.get((str(e[s.FORCE]), str(e[s.NOMINAL_RECORD_ID] or "")))


def load_context(
    engine: Engine,
    lines: list[Line],
    persons: pa.Table,
    phone_persons: pa.Table,
    cfg: SafeguardingConfig,
    known: tuple[dict[str, Person], dict[tuple[str, str], str]] | None = None,
) -> Context:
    """`known`: load_people's answer, when the caller has it already (the nominals are
    then read once per run, not once per reader)."""
    people, person_of = known or load_people(engine, persons)
    phones: dict[str, set[str]] = defaultdict(set)
    persons_of_phone: dict[str, set[str]] = defaultdict(set)
    for r in phone_persons.select(["number", "person_id"]).to_pylist():
        phones[r["person_id"]].add(r["number"])
        persons_of_phone[r["number"]].add(r["person_id"])

    events = engine.query(
        f'SELECT "{s.FORCE}", "{s.EVENT_TYPE}", "{s.OCCURRED_AT}", "{s.NOMINAL_RECORD_ID}", '
        f'"{s.PHONE_NUMBER}", "{s.LAT}", "{s.LON}" FROM {s.EVENTS.name} ORDER BY "{s.OCCURRED_AT}"'
    ).to_pylist()
    for e in events:
        pid = person_of.get((e[s.FORCE], e[s.NOMINAL_RECORD_ID] or ""))
        if pid:
            people[pid].last_event = later(people[pid].last_event, e[s.OCCURRED_AT])
    found, open_ = episode_reports(person_of, events)
    return Context(
        engine=engine,
        cfg=cfg,
        lines=lines,
        people=people,
        person_of=person_of,
        phones=dict(phones),
        persons_of_phone=dict(persons_of_phone),
        events=events,
        found=found,
        open_=open_,
        windows=windows(found, open_, cfg),
        force_of=cell_force_map(engine) if lines else {},
    )


def load_people(
    engine: Engine, persons: pa.Table
) -> tuple[dict[str, Person], dict[tuple[str, str], str]]:
    """Resolved persons with their records' dates of birth and flags, and (force,
    record_id) -> person: what an age or a looked-after flag is read from."""
    people: dict[str, Person] = {}
    person_of: dict[tuple[str, str], str] = {}
    for r in persons.select(["person_id", s.FORCE, s.RECORD_ID]).to_pylist():
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
        people[pid].force_flags.setdefault(r[s.FORCE], set()).update(r[s.FLAGS] or [])
    return people, person_of


def episode_reports(
    person_of: dict[tuple[str, str], str], events: list[dict[str, Any]]
) -> tuple[list[Episode], dict[str, tuple[str, datetime]]]:
    """Missing episodes from the reports (events in time order): (person, reporting force,
    missing at, found at) for each closed by a found report, and person -> (force, missing
    at) for those still open."""
    found: list[Episode] = []
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


def windows(
    found: list[Episode], open_: dict[str, tuple[str, datetime]], cfg: SafeguardingConfig
) -> list[Episode]:
    """Each missing episode as the time an analysis looks in: missing report to the next
    found report (or `open_episode`, if never found), widened by `missing_near` either
    side."""
    near = cfg.missing_near
    episodes = [(pid, f, t0 - near, t1 + near) for pid, f, t0, t1 in found]
    episodes += [(pid, f, t0 - near, t0 + cfg.open_episode) for pid, (f, t0) in open_.items()]
    return episodes


def line_numbers(lines: list[Line]) -> dict[str, set[str]]:
    """Each line's deal numbers and controller -> the lines they serve."""
    line_of: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        for number in [d.number for d in line.deals] + [line.controller or ""]:
            if number:
                line_of[number].add(line.line_id)
    return line_of


def owners(
    phones: dict[str, set[str]], pids: Iterable[str], exclude: set[str] | None = None
) -> dict[str, set[str]]:
    """number -> which of `pids` it is linked to, leaving out the numbers in `exclude`."""
    owner: dict[str, set[str]] = defaultdict(set)
    for pid in pids:
        for number in phones.get(pid, set()) - (exclude or set()):
            owner[number].add(pid)
    return owner
