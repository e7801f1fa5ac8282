"""The safeguarding rules share no state: each reads the same context and returns findings,
so running them in any order gives the same list, evidence and all."""

from __future__ import annotations

import random

import pytest

from crossline.analyse.lines.build import build_lines
from crossline.analyse.persons.phones import phone_persons
from crossline.analyse.persons.resolve import resolve_persons
from crossline.analyse.safeguard import listing, safeguarding
from crossline.analyse.safeguard.findings import Finding, combine
from crossline.analyse.safeguard.people import Person
from crossline.analyse.safeguard.rules import RULES
from crossline.model import evidence as ev
from crossline.model.vocab import SafeguardReason
from tests.conftest import Ingested


def test_rules_in_shuffled_order_give_the_same_list(ingested_world: Ingested) -> None:
    engine = ingested_world.engine
    lines = build_lines(engine)
    persons = resolve_persons(engine)
    phones = phone_persons(engine, persons)
    first = safeguarding(engine, lines, persons, phones)
    assert first.num_rows > 0
    # the world exercises more than one rule, or shuffling proves little
    assert len({r for row in first.column("reasons").to_pylist() for r in row.split(";")}) >= 3
    names = list(RULES)
    for seed in (1, 2, 3):
        order = names[:]
        random.Random(seed).shuffle(order)
        assert order != names
        again = safeguarding(engine, lines, persons, phones, rules=order)
        assert again.equals(first), order
    for row in first.to_pylist():
        assert ev.from_json(row["evidence_factors"]), row["person_id"]


def test_a_childs_contact_with_the_line_they_run_for_is_not_a_second_reason() -> None:
    people = {"P1": Person("P1")}
    run = Finding("runners", "P1", SafeguardReason.CHILD_RUNNER.value, frozenset({"L1"}))
    same = Finding("children in touch", "P1", SafeguardReason.CHILD_LINE_CONTACT.value,
                   frozenset({"L1"}))  # fmt: skip
    other = Finding("children in touch", "P1", SafeguardReason.CHILD_LINE_CONTACT.value,
                    frozenset({"L2"}))  # fmt: skip
    for findings in ([run, same], [same, run]):
        (entry,) = combine(people, findings, "runners")
        assert entry.reasons == {SafeguardReason.CHILD_RUNNER.value}
    (entry,) = combine(people, [other, run], "runners")
    assert entry.reasons == {SafeguardReason.CHILD_RUNNER.value,
                             SafeguardReason.CHILD_LINE_CONTACT.value}  # fmt: skip
    assert entry.lines == {"L1", "L2"}


def test_an_area_guess_only_when_nothing_else_names_a_line() -> None:
    people = {"P1": Person("P1")}
    report = Finding("cuckooed", "P1", SafeguardReason.CUCKOOED_ADDRESS.value,
                     fallback_lines=frozenset({"L9"}))  # fmt: skip
    (alone,) = combine(people, [report], "runners")
    assert alone.lines == {"L9"}
    named = Finding("missing, in touch", "P1", SafeguardReason.MISSING_EPISODE_LINKED.value,
                    frozenset({"L1"}))  # fmt: skip
    (both,) = combine(people, [named, report], "runners")
    assert both.lines == {"L1"}


def test_each_finding_naming_lines_is_one_vote_split_among_them() -> None:
    people = {"P1": Person("P1")}
    near = Finding("cuckooed", "P1", SafeguardReason.CUCKOOED_ADDRESS.value,
                   frozenset({"A", "B", "C"}))  # fmt: skip
    home = Finding("line phones at home", "P1", SafeguardReason.LINE_PHONES_AT_HOME.value,
                   frozenset({"A"}))  # fmt: skip
    (entry,) = combine(people, [near, home], "runners")
    assert entry.lines == {"A", "B", "C"}
    assert entry.shares == pytest.approx({"A": 2 / 3, "B": 1 / 6, "C": 1 / 6})
    table = listing.table([entry]).to_pylist()
    shares = {
        f.subject: f.value
        for f in ev.from_json(table[0]["evidence_factors"])
        if f.name == "line_share"
    }
    assert shares == {"A": 0.667, "B": 0.167, "C": 0.167}
    guess = Finding("cuckooed", "P1", SafeguardReason.CUCKOOED_ADDRESS.value,
                    fallback_lines=frozenset({"X", "Y"}))  # fmt: skip
    (guessed,) = combine(people, [guess], "runners")
    assert guessed.shares == {"X": 0.5, "Y": 0.5}


def test_the_most_direct_findings_decide_the_shares() -> None:
    """A child whose own phone is line A's runner phone, missing where four lines sell and
    in touch with none of the others' phones, is A's: the area names no line over another."""
    from crossline.analyse.safeguard.rules import ATTRIBUTION

    people = {"P1": Person("P1")}
    runs = Finding("runners", "P1", SafeguardReason.CHILD_RUNNER.value, frozenset({"A"}))
    area = Finding("missing, placed in the area", "P1",
                   SafeguardReason.MISSING_EPISODE_LINKED.value,
                   frozenset({"A", "B", "C", "D"}))  # fmt: skip
    trip = Finding("missing, a runner trip", "P1", SafeguardReason.MISSING_EPISODE_LINKED.value,
                   frozenset({"B", "C"}))  # fmt: skip
    (entry,) = combine(people, [runs, area, trip], "runners", ATTRIBUTION)
    assert entry.lines == {"A", "B", "C", "D"}  # still listed against every line named
    assert entry.shares == {"A": 1.0}
    shares = {
        f.subject: f.value
        for f in ev.from_json(listing.table([entry]).to_pylist()[0]["evidence_factors"])
        if f.name == "line_share"
    }
    assert shares == {"A": 1.0, "B": 0.0, "C": 0.0, "D": 0.0}
    # without the runner phone, the runner trip (a line phone's movements) outranks the area
    (entry,) = combine(people, [area, trip], "runners", ATTRIBUTION)
    assert entry.shares == {"B": 0.5, "C": 0.5}
    # every finding alike when no ranking is given
    (entry,) = combine(people, [runs, area], "runners")
    assert entry.shares == pytest.approx({"A": 1.25 / 2, "B": 0.125, "C": 0.125, "D": 0.125})


def test_every_rule_has_an_attribution_rank() -> None:
    from crossline.analyse.safeguard.rules import ATTRIBUTION

    assert set(ATTRIBUTION) == set(RULES)
