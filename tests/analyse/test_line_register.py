"""The line register on a hand-made world whose answer is known by construction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crossline.analyse.lines.build import build_lines, line_id_for, register_table
from crossline.engine.duckdb import DuckDBEngine
from crossline.model import schema as s

from . import tinyworld as tw


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[DuckDBEngine]:
    e = DuckDBEngine(tmp_path / "x.duckdb")
    tw.load(e)
    yield e
    e.close()


def test_one_line_with_both_numbers_in_order(engine: DuckDBEngine) -> None:
    lines = build_lines(engine)
    assert len(lines) == 1
    assert [d.number for d in lines[0].deals] == [tw.DEAL_1, tw.DEAL_2]


def test_lookalikes_are_not_reported(engine: DuckDBEngine) -> None:
    found = {d.number for ln in build_lines(engine) for d in ln.deals}
    assert tw.SHOP not in found
    assert tw.TAXI not in found


def test_roles_and_forces(engine: DuckDBEngine) -> None:
    (line,) = build_lines(engine)
    assert line.controller == tw.CONTROLLER
    assert sorted(line.runners) == sorted(tw.RUNNERS)
    assert line.customers == set(tw.CUSTOMERS)
    assert line.exporter_force == "west-midlands"
    assert line.importer_force == "west-mercia"


def test_register_has_exactly_the_contract_columns(engine: DuckDBEngine) -> None:
    table = register_table(build_lines(engine))
    assert tuple(table.column_names) == s.LINE_REGISTER_COLUMNS
    row = table.to_pylist()[0]
    assert row["line_id"] == line_id_for(tw.DEAL_1)
    assert row["deal_numbers"] == f"{tw.DEAL_1};{tw.DEAL_2}"
    assert row["customer_count"] == len(tw.CUSTOMERS)
    assert 0.5 < row["confidence"] <= 1.0
    assert "broadcast bursts" in row["evidence"] and "hand-over" in row["evidence"]


def test_empty_store_gives_empty_register(tmp_path: Path) -> None:
    e = DuckDBEngine(tmp_path / "empty.duckdb")
    from crossline.ingest import ensure_tables

    ensure_tables(e)
    assert build_lines(e) == []
    assert register_table([]).num_rows == 0
