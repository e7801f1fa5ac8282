"""What the data links to each line, gathered once before any scoring: the people it
exploits (from the safeguarding list), the events and intelligence recorded against its
numbers and people, and its ties to other lines. Scoring (components.py) reads only
these facts, so a weight changed in weights.toml never changes what was found."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa

from crossline.analyse.supply import LineSupply
from crossline.engine.base import Engine
from crossline.engine.dialect import quote as q
from crossline.ingest.normalise import try_normalise_phone
from crossline.model import evidence
from crossline.model import schema as s
from crossline.model.outputs import EVIDENCE_FACTORS
from crossline.model.vocab import EventType, SafeguardReason, SubjectKind

SEP = s.LIST_SEP
R = SafeguardReason
CHILD_REASONS = {R.CHILD_RUNNER.value, R.CHILD_LINE_CONTACT.value}
ADULT_REASONS = {R.VULNERABLE_ADULT.value, R.CUCKOOED_ADDRESS.value, R.LINE_PHONES_AT_HOME.value}
E = EventType
EVENT_TYPES = (
    E.VIOLENCE_INCIDENT,
    E.WEAPON_SEIZURE,
    E.CHARGE_MODERN_SLAVERY,
    E.MISSING_EPISODE,
    E.DRUGS_SEIZURE,
    E.CASH_SEIZURE,
    E.LINE_CLOSURE,
    E.TRO_GRANTED,
)
FIREARM_WORDS = ("firearm", "gun", "pistol", "revolver", "shotgun", "rifle", "ammunition")


@dataclass(frozen=True)
class Report:
    """One intelligence report on the line: who made it and how it is graded."""

    force: str
    source: str
    assessment: str


@dataclass
class LineFacts:
    line_id: str
    confidence: float
    scope: str
    first_seen: str
    last_seen: str
    deals: list[str]
    numbers: set[str]  # deal numbers, controller and runners
    holders: set[str]
    runner_persons: set[str]
    children: set[str] = field(default_factory=set)
    age_unknown: set[str] = field(default_factory=set)
    vulnerable: set[str] = field(default_factory=set)
    cuckooed: set[str] = field(default_factory=set)
    # victims listed against several lines: this line's share of them (1 when listed
    # against it alone), as the safeguarding evidence divides them (`line_share` factors:
    # each finding naming lines is one vote, split among the lines it names)
    share: dict[str, float] = field(default_factory=dict)
    events: Counter[str] = field(default_factory=Counter)  # event type -> linked events
    firearms: int = 0
    child_missing: int = 0
    child_missing_share: float = 0.0  # the same, each episode divided as its child is
    reemerged: bool = False
    reports: list[Report] = field(default_factory=list)
    supply: LineSupply | None = None
    other_lines_held: int = 0
    linked_lines: set[str] = field(default_factory=set)

    @property
    def persons(self) -> set[str]:
        return self.holders | self.runner_persons | self.children | self.vulnerable

    def days_active(self) -> float:
        try:
            t0 = datetime.fromisoformat(self.first_seen.rstrip("Z"))
            t1 = datetime.fromisoformat(self.last_seen.rstrip("Z"))
        except ValueError:
            return 0.0
        return max(0.0, (t1 - t0).total_seconds() / 86400)


def _split(v: object) -> list[str]:
    return [x for x in str(v or "").split(SEP) if x]


def _base(register: pa.Table, persons_of: dict[str, set[str]]) -> list[LineFacts]:
    out = []
    for r in register.to_pylist():
        deals = _split(r["deal_numbers"])
        runners = _split(r["runner_numbers"])
        ctrl = [r["controller_number"]] if r["controller_number"] else []
        out.append(
            LineFacts(
                line_id=r["line_id"],
                confidence=float(r["confidence"] or 0.0),
                scope=str(r["line_scope"] or ""),
                first_seen=str(r["first_seen"] or ""),
                last_seen=str(r["last_seen"] or ""),
                deals=deals,
                numbers=set(deals) | set(runners) | set(ctrl),
                holders=set(_split(r["holder_nominal_ids"])),
                runner_persons={p for n in runners for p in persons_of.get(n, ())},
            )
        )
    return out


def line_shares(factors_json: object, lids: list[str]) -> dict[str, float]:
    """Each line's share of a listed person, from their `line_share` factors; equal
    shares when the evidence gives none (one line, or a list written before shares)."""
    given = {
        str(x.subject): float(x.value)
        for x in evidence.from_json(str(factors_json or "[]"))
        if x.name == "line_share" and x.subject in lids and isinstance(x.value, int | float)
    }
    total = sum(given.get(lid, 0.0) for lid in lids)
    if not total:
        return {lid: 1 / len(lids) for lid in lids}
    return {lid: given.get(lid, 0.0) / total for lid in lids}


def _victims(facts: list[LineFacts], listed: pa.Table) -> None:
    by_line = {f.line_id: f for f in facts}
    for r in listed.to_pylist():
        reasons = set(_split(r["reasons"]))
        age = r["age_at_last_event"]
        lids = [lid for lid in _split(r["line_ids"]) if lid in by_line]
        shares = line_shares(r[EVIDENCE_FACTORS.name], lids)
        for lid in lids:
            if not shares[lid]:  # listed against it, but the direct evidence is elsewhere
                continue
            f = by_line[lid]
            pid = r["person_id"]
            f.share[pid] = shares[lid]
            if reasons & CHILD_REASONS or (age is not None and age < 18):
                f.children.add(pid)
            elif R.RUNNER_AGE_UNKNOWN.value in reasons:
                f.age_unknown.add(pid)
            elif reasons & ADULT_REASONS:
                f.vulnerable.add(pid)
                if R.CUCKOOED_ADDRESS.value in reasons:
                    f.cuckooed.add(pid)


def _events(engine: Engine, facts: list[LineFacts], person_of: dict[tuple[str, str], str]) -> None:
    types = ", ".join(f"'{t.value}'" for t in EVENT_TYPES)
    cols = (s.FORCE, s.EVENT_ID, s.EVENT_TYPE, s.OCCURRED_AT, s.NOMINAL_RECORD_ID)
    rows = engine.query(
        f"SELECT {', '.join(q(c) for c in cols)}, {q(s.PHONE_NUMBER)}, {q(s.DETAIL)} "
        f"FROM {s.EVENTS.name} WHERE {q(s.EVENT_TYPE)} IN ({types})"
    ).to_pylist()
    lines_of_person: dict[str, set[int]] = defaultdict(set)
    lines_of_number: dict[str, set[int]] = defaultdict(set)
    for i, f in enumerate(facts):
        for p in f.persons:
            lines_of_person[p].add(i)
        for n in f.numbers:
            lines_of_number[n].add(i)
    for e in rows:
        pid = person_of.get((e[s.FORCE], e[s.NOMINAL_RECORD_ID] or ""))
        hit = lines_of_person.get(pid or "", set()) | lines_of_number.get(
            e[s.PHONE_NUMBER] or "", set()
        )
        kind = e[s.EVENT_TYPE]
        for i in hit:
            f = facts[i]
            if kind == E.MISSING_EPISODE.value:
                if pid in f.children:
                    f.child_missing += 1
                    f.child_missing_share += f.share.get(pid, 1.0)
                continue
            if kind in (E.LINE_CLOSURE.value, E.TRO_GRANTED.value):
                # the line went on trading after this number was closed
                f.reemerged |= bool(f.deals) and e[s.PHONE_NUMBER] in f.deals[:-1]
                continue
            f.events[kind] += 1
            detail = str(e[s.DETAIL] or "").lower()
            if kind == E.WEAPON_SEIZURE.value and any(w in detail for w in FIREARM_WORDS):
                f.firearms += 1


def _reports(engine: Engine, facts: list[LineFacts], persons: pa.Table) -> None:
    """Reports on a line's numbers, on its holders' and runners' records, and on the
    addresses those records and its vulnerable adults' records give."""
    records: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in persons.select(["person_id", s.FORCE, s.RECORD_ID]).to_pylist():
        records[r["person_id"]].add((r[s.FORCE], r[s.RECORD_ID]))
    wanted = sorted({k for f in facts for p in f.persons for k in records.get(p, ())})
    address_of: dict[tuple[str, str], str] = {}
    if wanted:
        engine.register(
            "__risk_records",
            pa.table({"force": [w[0] for w in wanted], "record_id": [w[1] for w in wanted]}),
        )
        try:
            got = engine.query(
                f"SELECT n.{q(s.FORCE)} AS {q('force')}, n.{q(s.RECORD_ID)} AS record_id, "
                f"n.{q(s.ADDRESS)} AS address FROM {s.NOMINALS.name} n "
                f"JOIN __risk_records w ON n.{q(s.FORCE)} = w.{q('force')} "
                f"AND n.{q(s.RECORD_ID)} = w.{q('record_id')} WHERE n.{q(s.ADDRESS)} IS NOT NULL"
            ).to_pylist()
        finally:
            engine.unregister("__risk_records")
        address_of = {(g["force"], g["record_id"]): _addr(g["address"]) for g in got}
    keys_of: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, f in enumerate(facts):
        for n in f.numbers:
            keys_of[(SubjectKind.PHONE.value, n)].add(i)
        for p in f.persons:
            for force, rec in records.get(p, ()):
                keys_of[(SubjectKind.NOMINAL.value, f"{force}/{rec}")].add(i)
                if (force, rec) in address_of:
                    keys_of[(SubjectKind.ADDRESS.value, address_of[(force, rec)])].add(i)
    cols = (s.FORCE, s.SUBJECT_KIND, s.SUBJECT_REF, s.SOURCE_EVALUATION, s.INTELLIGENCE_ASSESSMENT)
    for r in engine.query(
        f"SELECT {', '.join(q(c) for c in cols)} FROM {s.INTELLIGENCE.name}"
    ).to_pylist():
        for i in keys_of.get(_subject(r), set()):
            facts[i].reports.append(
                Report(r[s.FORCE], r[s.SOURCE_EVALUATION], r[s.INTELLIGENCE_ASSESSMENT])
            )


def _addr(text: object) -> str:
    return " ".join(str(text or "").lower().replace(",", " ").split())


def _subject(r: dict[str, Any]) -> tuple[str, str]:
    kind, ref = r[s.SUBJECT_KIND], str(r[s.SUBJECT_REF] or "")
    if kind == SubjectKind.PHONE.value:
        return kind, try_normalise_phone(ref)[0] or ref
    if kind == SubjectKind.NOMINAL.value:
        return kind, f"{r[s.FORCE]}/{ref.strip()}"  # a force's report names its own records
    if kind == SubjectKind.ADDRESS.value:
        return kind, _addr(ref)
    return kind, ref


def _organisation(facts: list[LineFacts]) -> None:
    held: dict[str, set[str]] = defaultdict(set)
    shared: dict[str, set[str]] = defaultdict(set)
    for f in facts:
        for h in f.holders:
            held[h].add(f.line_id)
        for key in f.runner_persons | f.numbers:
            shared[key].add(f.line_id)
    for f in facts:
        mine = {lid for h in f.holders for lid in held[h]}
        f.other_lines_held = len(mine - {f.line_id})
        linked = {lid for k in f.runner_persons | f.numbers for lid in shared[k]}
        f.linked_lines = linked - mine - {f.line_id}


def gather(
    engine: Engine,
    register: pa.Table,
    listed: pa.Table,
    persons: pa.Table,
    phone_persons: pa.Table,
    supply: dict[str, LineSupply],
) -> list[LineFacts]:
    """Every line's facts, in register order."""
    persons_of: dict[str, set[str]] = defaultdict(set)
    for r in phone_persons.select(["number", "person_id"]).to_pylist():
        persons_of[r["number"]].add(r["person_id"])
    person_of = {
        (r[s.FORCE], r[s.RECORD_ID]): r["person_id"]
        for r in persons.select(["person_id", s.FORCE, s.RECORD_ID]).to_pylist()
    }
    facts = _base(register, persons_of)
    if not facts:
        return facts
    _victims(facts, listed)
    _events(engine, facts, person_of)
    _reports(engine, facts, persons)
    _organisation(facts)
    for f in facts:
        f.supply = supply.get(f.line_id)
    return facts
