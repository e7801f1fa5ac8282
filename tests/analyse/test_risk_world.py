"""Risk and supply through run_all on the end-to-end world (no weight was set on it):
every line scored, ranked and explained, the components stored, the supply counted the
way the method says, and the same inputs give the same rank."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crossline.analyse.pipeline import Results, run_all
from crossline.analyse.risk import RiskConfig
from crossline.analyse.risk import components as c
from crossline.model import evidence as ev
from crossline.simulate.evaluate_risk import evaluate_risk

from ..conftest import Ingested


@pytest.fixture(scope="module")
def results(ingested_world: Ingested) -> Iterator[Results]:
    yield run_all(ingested_world.engine)


def test_every_line_is_ranked_and_explained(results: Results) -> None:
    rows = results.register.to_pylist()
    assert rows
    assert [r["priority_rank"] for r in rows] == list(range(1, len(rows) + 1))
    scores = [r["thr_score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    stamp = RiskConfig().stamp()
    for r in rows:
        names = {f.name for f in ev.from_json(r["evidence_factors"])}
        assert {"risk_thr_score", "risk_detection_confidence", "supply_caveats"} <= names
        summary = next(f for f in ev.from_json(r["evidence_factors"]) if f.name == "risk_thr_score")
        assert stamp in summary.text
    risk = results.risk.to_pylist()
    assert len(risk) == len(rows) * len(c.COMPONENTS)
    assert {x["weights_version"] for x in risk} == {stamp}
    assert all(x["rationale"] for x in risk)


def test_supply_is_per_line_and_day_confirmed_within_potential(results: Results) -> None:
    rows = results.supply.to_pylist()
    lines = {r["line_id"] for r in results.register.to_pylist()}
    assert {r["line_id"] for r in rows} == lines
    assert all(0 <= r["confirmed_transactions"] <= r["potential_transactions"] for r in rows)
    assert len({(r["line_id"], r["day"]) for r in rows}) == len(rows)
    assert sum(r["confirmed_transactions"] for r in rows) > 0


def test_same_inputs_same_rank(ingested_world: Ingested, results: Results) -> None:
    again = run_all(ingested_world.engine)
    keep = ["line_id", "thr_score", "priority_rank"]
    assert again.register.select(keep).equals(results.register.select(keep))
    assert again.supply.equals(results.supply)


def test_rank_follows_true_harm(ingested_world: Ingested, results: Results) -> None:
    score = evaluate_risk(results.register, ingested_world.dataset / "truth")
    assert score.found == score.lines
    assert score.kendall_tau >= 0.5
