"""The line register on a hand-made world whose answer is known by construction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crossline.analyse.lines.build import build_lines, line_id_for, register_table
from crossline.engine.base import Engine
from crossline.engine.duckdb import DuckDBEngine
from crossline.model import evidence as ev
from crossline.model import outputs as o
from tests.conftest import on_engine
from tests.contract import contract_columns, without_extras

from . import tinyworld as tw


@pytest.fixture
def engine(tmp_path: Path, engine_kind: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The tiny world on each engine (conftest.engine_kind): the same answers on both."""
    e = DuckDBEngine(tmp_path / "x.duckdb")
    tw.load(e)
    on = on_engine(e, engine_kind, tmp_path / "spark", request)
    yield on
    if on is not e:
        on.close()
    e.close()


def test_one_line_with_both_numbers_in_order(engine: Engine) -> None:
    lines = build_lines(engine)
    assert len(lines) == 1
    assert [d.number for d in lines[0].deals] == [tw.DEAL_1, tw.DEAL_2]


def test_lookalikes_are_not_reported(engine: Engine) -> None:
    found = {d.number for ln in build_lines(engine) for d in ln.deals}
    assert tw.SHOP not in found
    assert tw.TAXI not in found


def test_roles_and_forces(engine: Engine) -> None:
    (line,) = build_lines(engine)
    assert line.controller == tw.CONTROLLER
    assert sorted(line.runners) == sorted(tw.RUNNERS)
    assert line.customers == set(tw.CUSTOMERS)
    assert line.exporter_force == "west-midlands"
    assert line.importer_force == "west-mercia"


def test_register_has_exactly_the_contract_columns(engine: Engine) -> None:
    table = register_table(build_lines(engine))
    assert without_extras(table.column_names, o.LINE_REGISTER) == contract_columns("lines.csv")
    row = table.to_pylist()[0]
    assert row["line_id"] == line_id_for(tw.DEAL_1)
    assert row["deal_numbers"] == f"{tw.DEAL_1};{tw.DEAL_2}"
    assert row["customer_count"] == len(tw.CUSTOMERS)
    assert 0.5 < row["confidence"] <= 1.0
    assert "broadcast bursts" in row["evidence"] and "hand-over" in row["evidence"]
    assert row["line_scope"] == "county"  # west-midlands -> west-mercia


def test_register_evidence_is_factors_with_their_bars(engine: Engine) -> None:
    (row,) = register_table(build_lines(engine)).to_pylist()
    factors = {f.name: f for f in ev.from_json(row["evidence_factors"])}
    burst = factors["burst_rate"]
    assert isinstance(burst.value, float) and isinstance(burst.threshold, float)
    assert burst.value >= burst.threshold and burst.subject in (tw.DEAL_1, tw.DEAL_2)
    handover = factors["handover_share"]
    assert handover.subject == tw.DEAL_2 and "followed to" in handover.text
    assert factors["controller_links"].subject == tw.CONTROLLER
    runners = {
        f.subject for f in ev.from_json(row["evidence_factors"]) if f.name == "runner_contacts"
    }
    assert runners == set(tw.RUNNERS)
    assert factors["importer_concentration"].subject == "west-mercia"


def test_empty_store_gives_empty_register(
    tmp_path: Path, engine_kind: str, request: pytest.FixtureRequest
) -> None:
    e = DuckDBEngine(tmp_path / "empty.duckdb")
    from crossline.ingest import ensure_tables

    ensure_tables(e)
    on = on_engine(e, engine_kind, tmp_path / "spark", request)
    try:
        assert build_lines(on) == []
    finally:
        if on is not e:
            on.close()
        e.close()
    assert register_table([]).num_rows == 0
