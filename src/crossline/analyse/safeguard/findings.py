"""What a rule finds, and how the findings of all rules become one list.

A rule returns findings and changes nothing; `combine` is the one place where findings
meet, so the list is the same whatever order the rules ran in. Two reconciliations live
here, each stated once:
- a child's contact with a line they already run for is part of running for it, not a
  second reason (the contact finding is dropped);
- a cuckooing report that no line's phones are seen near is put against the lines selling
  in the reporting force's area only when nothing else names a line for that person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from crossline.analyse.safeguard.people import Person, later
from crossline.model import schema as s
from crossline.model.evidence import Factor
from crossline.model.vocab import Referral, SafeguardReason

SEP = s.LIST_SEP


@dataclass(frozen=True)
class Finding:
    """One rule's reason to list one person. `reason` None: no reason, but the person's
    phone was active for a line at `seen_at` (their age is taken then). `fallback_lines`
    are a guess used only when no finding names a line."""

    rule: str
    person_id: str
    reason: str | None
    line_ids: frozenset[str] = frozenset()
    factors: tuple[Factor, ...] = ()
    seen_at: datetime | None = None
    adult_runner: bool = False
    fallback_lines: frozenset[str] = frozenset()


def child_age(age: int | None, when: str, year_only: bool = False) -> Factor:
    """The factor that says a listed person is a child: their age `when` (a phrase such
    as "at the latest contact"), or, with no date of birth on any record, that they are
    looked after (the only way a child without one is listed). `year_only`: the records
    give only a year (or a 1 January), so the age is taken from mid-year and a lead must
    check it."""
    text = f"aged {age} {when}" if age is not None else LOOKED_AFTER
    if age is not None and year_only:
        text += " (only the year of birth is recorded: the age may be a year out)"
    return Factor("age", age, text, threshold=18)


LOOKED_AFTER = "no date of birth recorded; a looked-after child"


@dataclass
class Entry:
    """A listed person as `combine` builds them."""

    person: Person
    last_event: datetime | None
    reasons: set[str] = field(default_factory=set)
    lines: set[str] = field(default_factory=set)
    factors: list[Factor] = field(default_factory=list)
    adult_runner: bool = False
    # line -> the share of the person's line-naming findings that point to it (sums to 1)
    shares: dict[str, float] = field(default_factory=dict)


def _redundant(f: Finding, runner_reasons: set[str], runner_lines: set[str]) -> bool:
    return (
        f.reason == SafeguardReason.CHILD_LINE_CONTACT.value
        and SafeguardReason.CHILD_RUNNER.value in runner_reasons
        and f.line_ids <= runner_lines
    )


def combine(
    people: dict[str, Person],
    findings: list[Finding],
    runner_rule: str,
    attribution: Mapping[str, int] | None = None,
) -> list[Entry]:
    """Findings -> one entry per listed person, in person_id order. `runner_rule` names
    the rule whose findings make a person a line's runner; `attribution` ranks rules by
    how directly they tie a person to a line (0 most), and the shares come from the
    most direct findings that name lines (every finding alike when not given)."""
    tier_of = attribution or {}
    by_person: dict[str, list[Finding]] = defaultdict(list)
    # by rule name, each rule's own order kept: the same order whichever rule ran first
    for f in sorted(findings, key=lambda f: f.rule):
        by_person[f.person_id].append(f)
    out: list[Entry] = []
    for pid in sorted(by_person):
        mine = by_person[pid]
        runner = [f for f in mine if f.rule == runner_rule]
        runner_reasons = {f.reason for f in runner if f.reason}
        runner_lines = {lid for f in runner for lid in f.line_ids}
        kept = [f for f in mine if not _redundant(f, runner_reasons, runner_lines)]
        p = people[pid]
        entry = Entry(p, p.last_event)
        points: dict[str, float] = defaultdict(float)
        direct = min((tier_of.get(f.rule, 9) for f in kept if f.reason and f.line_ids), default=9)
        for f in kept:
            entry.last_event = later(entry.last_event, f.seen_at)
            if f.reason is None:
                continue
            entry.reasons.add(f.reason)
            entry.lines.update(f.line_ids)
            if tier_of.get(f.rule, 9) == direct:  # each such finding one vote, split
                for lid in f.line_ids:
                    points[lid] += 1 / len(f.line_ids)
            entry.factors.extend(x for x in f.factors if x not in entry.factors)
            entry.adult_runner = entry.adult_runner or f.adult_runner
        # the engine returns rows in no set order: evidence in a fixed one
        entry.factors.sort(key=lambda x: (x.name, x.subject or "", x.text))
        if not entry.lines:
            guess = next((f.fallback_lines for f in kept if f.fallback_lines), frozenset())
            entry.lines.update(guess)
            points = defaultdict(float, dict.fromkeys(guess, 1.0))
        total = sum(points.values())
        entry.shares = {lid: points[lid] / total for lid in sorted(points)} if total else {}
        if entry.reasons:
            out.append(entry)
    return out


def referral(e: Entry, age: int | None) -> str:
    """National Referral Mechanism: a child needs no consent, so both the NRM and
    statutory safeguarding; an exploited adult runner the NRM (with consent); a cuckooed
    or vulnerable adult statutory (Care Act) safeguarding."""
    child = bool(
        {
            SafeguardReason.CHILD_RUNNER.value,
            SafeguardReason.CHILD_LINE_CONTACT.value,
            SafeguardReason.CHILD_NAMED_HOLDER.value,
        }
        & e.reasons
    ) or (age is not None and age < 18)
    if child:
        return Referral.BOTH.value
    if e.adult_runner:
        return Referral.NRM.value
    return Referral.STATUTORY_SAFEGUARDING.value
