"""Risk scoring on hand-made facts: each component says what it counted and what that
added, the weights are data (shipped, overridable, stamped), and the rank is a function
of the inputs alone."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pyarrow as pa
import pytest
from pydantic import ValidationError

from crossline.analyse.risk import RiskConfig, ranked
from crossline.analyse.risk import components as c
from crossline.analyse.risk.config import shipped
from crossline.analyse.risk.facts import LineFacts, Report
from crossline.analyse.supply import LineSupply
from crossline.model import evidence as ev
from crossline.model.vocab import EventType
from crossline.simulate.evaluate_risk import kendall_tau_b


def facts(line_id: str, **kw: object) -> LineFacts:
    f = LineFacts(
        line_id=line_id,
        confidence=0.9,
        scope="county",
        first_seen="2026-03-01T00:00:00Z",
        last_seen="2026-04-30T00:00:00Z",
        deals=["+447700900001"],
        numbers={"+447700900001"},
        holders={"PER-h"},
        runner_persons=set(),
    )
    for k, v in kw.items():
        setattr(f, k, v)
    return f


def test_harm_counts_victims_and_incidents_in_words() -> None:
    f = facts(
        "A",
        children={"c1", "c2"},
        events=Counter({EventType.VIOLENCE_INCIDENT.value: 3}),
    )
    harm = c.harm(f, RiskConfig())
    texts = [x.text for x in harm.factors]
    assert "2 children exploited (+20)" in texts
    assert "3 violence incidents linked (+18)" in texts
    assert harm.score == 38


def test_seizures_are_supply_not_harm() -> None:
    # the Crime Harm Index rule: what proactive policing finds is not harm to a victim
    f = facts("A", events=Counter({EventType.DRUGS_SEIZURE.value: 2}))
    assert c.harm(f, RiskConfig()).score == 0
    assert c.supply(f, RiskConfig()).score == 4


def test_grading_and_corroboration_multiply() -> None:
    strong = facts("A", reports=[Report("f1", "1", "A"), Report("f2", "1", "A")])
    weak = facts("B", reports=[Report("f1", "3", "E")])
    none = facts("C")
    cfg = RiskConfig()
    s, w, n = (c.likelihood(x, cfg) for x in (strong, weak, none))
    assert s.score > w.score > n.score
    assert s.factors[-1].text == "graded 1/A by two forces, 2 reports from two forces (x1.2)"


def test_more_harm_ranks_first_and_rank_is_stable() -> None:
    lines = [
        facts("A", children={"c1", "c2"}),
        facts("B", events=Counter({EventType.VIOLENCE_INCIDENT.value: 1})),
        facts("C"),
        facts("D", children={"c3"}, vulnerable={"v1"}, cuckooed={"v1"}),
    ]
    order = [r.line_id for r in ranked(lines)]
    assert order == ["A", "D", "B", "C"]
    shuffled = lines[:]
    random.Random(3).shuffle(shuffled)
    again = ranked(shuffled)
    assert [r.line_id for r in again] == order
    assert [r.rank for r in again] == [1, 2, 3, 4]
    assert all(0 <= r.thr_score < 100 for r in again)


def test_reasons_are_weighted_factors_with_the_stamp() -> None:
    sold = LineSupply("A", days={date(2026, 3, d): (10, 4 + d % 3) for d in range(1, 8)})
    [risk] = ranked([facts("A", supply=sold, children={"c1"})])
    fs = risk.factors()
    assert fs[0].name == "risk_thr_score" and risk.stamp in fs[0].text
    assert all(f.weight is not None for f in fs)
    supply = next(f for f in fs if f.name == "risk_supply_transactions")
    assert supply.value == sold.median(True) == 5.0


def test_weights_are_versioned_data_overridable_in_part() -> None:
    base = RiskConfig()
    assert base.version == shipped()["version"]
    over = RiskConfig.model_validate({"harm": {"violence_incident": 9.0}})
    assert over.harm.violence_incident == 9.0
    assert over.harm.child_exploited == base.harm.child_exploited  # the rest kept
    assert over.stamp() != base.stamp() and over.stamp().startswith(base.version)
    with pytest.raises(ValidationError):
        RiskConfig.model_validate({"harm": {"violense_incident": 9.0}})


def test_kendall_tau_b() -> None:
    assert kendall_tau_b([1, 2, 3, 4], [10, 20, 30, 40]) == 1.0
    assert kendall_tau_b([1, 2, 3, 4], [40, 30, 20, 10]) == -1.0
    # scipy.stats.kendalltau([1, 2, 2, 3], [1, 3, 2, 3]).statistic = 0.8 (tau-b)
    assert kendall_tau_b([1, 2, 2, 3], [1, 3, 2, 3]) == pytest.approx(0.8)
    assert kendall_tau_b([1, 1, 1], [1, 2, 3]) == 0.0


def test_a_victim_shared_between_lines_counts_by_the_evidence_shares() -> None:
    from crossline.analyse.risk.facts import line_shares

    factors = ev.to_json([
        ev.Factor("line_share", 0.75, "75% ... A", subject="A"),
        ev.Factor("line_share", 0.25, "25% ... B", subject="B"),
    ])  # fmt: skip
    assert line_shares(factors, ["A", "B"]) == {"A": 0.75, "B": 0.25}
    assert line_shares("[]", ["A", "B"]) == {"A": 0.5, "B": 0.5}  # no shares given: equal
    mostly = c.harm(facts("A", children={"c1"}, share={"c1": 0.75}), RiskConfig())
    partly = c.harm(facts("B", children={"c1"}, share={"c1": 0.25}), RiskConfig())
    assert mostly.score == 7.5 and partly.score == 2.5
    assert "1 child exploited, 1 shared with other lines (+7.5)" in [x.text for x in mostly.factors]


def test_a_victim_counts_nothing_on_a_line_the_direct_evidence_gives_no_share() -> None:
    from crossline.analyse.risk.facts import _victims

    factors = ev.to_json([
        ev.Factor("line_share", 1.0, "100% ... A", subject="A"),
        ev.Factor("line_share", 0.0, "0% ... B", subject="B"),
    ])  # fmt: skip
    listed = pa.table({
        "person_id": ["c1"], "reasons": ["child_runner"], "line_ids": ["A;B"],
        "age_at_last_event": [15], "evidence_factors": [factors],
    })  # fmt: skip
    a, b = facts("A"), facts("B")
    _victims([a, b], listed)
    assert a.children == {"c1"} and a.share == {"c1": 1.0}
    assert b.children == set() and c.harm(b, RiskConfig()).score == 0.0
