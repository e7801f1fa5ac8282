"""The line register on a simulated world no parameter was tuned on, scored against truth."""

from __future__ import annotations

from crossline.analyse.lines.build import build_lines, register_table
from crossline.simulate.evaluate import evaluate_lines

from ..conftest import Ingested


def test_register_meets_the_quality_bar(ingested_world: Ingested) -> None:
    register = register_table(build_lines(ingested_world.engine))
    result = evaluate_lines(register, ingested_world.dataset / "truth")
    assert result.lookalikes_reported == []
    assert result.deal_numbers.precision >= 0.98
    assert result.deal_numbers.recall >= 0.98
    assert result.grouping.f1 >= 0.95
    assert result.controller_top1 >= 0.8
    assert result.exporter_accuracy >= 0.8
    assert result.importer_accuracy >= 0.95
    assert result.runners.recall >= 0.8
