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
Each rule is a module of rules/; findings.combine merges what they find.
"""

from __future__ import annotations

import time

import pyarrow as pa

from crossline.analyse.lines.build import Line
from crossline.analyse.outputs import table_of
from crossline.analyse.safeguard.config import SafeguardingConfig
from crossline.analyse.safeguard.findings import Entry, Finding, combine, referral
from crossline.analyse.safeguard.people import Person, load_context
from crossline.analyse.safeguard.rules import ATTRIBUTION, RULES, RUNNER_RULE
from crossline.engine.base import Engine
from crossline.model import evidence
from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.model.evidence import Factor
from crossline.model.vocab import SafeguardReason

SEP = s.LIST_SEP
EVIDENCE_FACTORS = o.EVIDENCE_FACTORS.name


def safeguarding(
    engine: Engine,
    lines: list[Line],
    persons: pa.Table,
    phone_persons: pa.Table,
    timings: dict[str, float] | None = None,
    cfg: SafeguardingConfig | None = None,
    rules: list[str] | None = None,
    known: tuple[dict[str, Person], dict[tuple[str, str], str]] | None = None,
) -> pa.Table:
    """The safeguarding list in the contract's columns (safeguarding.csv), with each
    entry's evidence as factors beside them. `timings`, when given, gets the seconds each
    rule took (bench/analyse.py reports them); `rules` the order to run them in (all, in
    their declared order, by default: the order changes nothing); `known` the persons as
    people.load_people read them, if the caller has them."""
    ctx = load_context(engine, lines, persons, phone_persons, cfg or SafeguardingConfig(), known)
    took = timings if timings is not None else {}
    findings: list[Finding] = []
    for name in rules or list(RULES):
        t0 = time.perf_counter()
        findings += RULES[name](ctx)
        took[name] = took.get(name, 0.0) + time.perf_counter() - t0
    return table(combine(ctx.people, findings, RUNNER_RULE, ATTRIBUTION))


# reasons that are leads to check, not findings: an entry with no other reason is weak
WEAK_REASONS = frozenset(
    {
        SafeguardReason.LINE_PHONES_AT_HOME.value,
        SafeguardReason.CHILD_LINE_CONTACT.value,
        SafeguardReason.RUNNER_AGE_UNKNOWN.value,
    }
)


def _share_factors(e: Entry) -> list[Factor]:
    """Which of several lines the evidence points to most: a person named near three
    lines' phones and served by the mast where one of them dwells belongs mostly to that
    one, and a child whose own phone is one line's runner phone to that line, whatever
    else places them near others (rules.ATTRIBUTION). Risk counts the person's harm
    against each line by these shares."""
    if len(e.lines) < 2:
        return []
    return [
        Factor(
            "line_share",
            round(e.shares.get(lid, 0.0), 3),
            f"{e.shares.get(lid, 0.0):.0%} of the most direct findings naming a line "
            f"point to {lid}",
            subject=lid,
        )
        for lid in sorted(e.lines)
    ]


def table(entries: list[Entry]) -> pa.Table:
    rows = []
    for e in entries:
        age = e.person.age_at(e.last_event)
        weak = e.reasons <= WEAK_REASONS
        rows.append(
            {
                "person_id": e.person.person_id,
                "age_at_last_event": age,
                "reasons": SEP.join(sorted(e.reasons)),
                "line_ids": SEP.join(sorted(e.lines)),
                "forces": SEP.join(sorted(e.person.forces)),
                "record_ids": SEP.join(f"{f}:{r}" for f, r in sorted(e.person.records)),
                "recommended_referral": referral(e, age),
                "support": "weak" if weak else "strong",
                EVIDENCE_FACTORS: evidence.to_json([*e.factors, *_share_factors(e)]),
            }
        )
    return table_of(o.SAFEGUARDING, rows)
