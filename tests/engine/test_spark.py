"""The Spark engine: the adapter keeps the engine interface's promises on its Parquet
store, and the analyses give the same answers on Spark as on DuckDB, returning only
register-sized results to the driver."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from crossline.analyse.events import EVENTS, comms_events
from crossline.analyse.lines.build import build_lines
from crossline.analyse.lines.config import LinesConfig
from crossline.analyse.pipeline import Results, run_all
from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import ingest_dataset
from crossline.model import schema as s
from crossline.simulate.config import WorldConfig
from crossline.simulate.writer import write_world

from ..conftest import Ingested, on_engine

pytestmark = [pytest.mark.spark, pytest.mark.usefixtures("spark_context")]
spark = pytest.importorskip("pyspark")

from crossline.engine.spark import SparkEngine  # noqa: E402
from crossline.engine.spark.export import export_tables  # noqa: E402


@pytest.fixture
def engine(tmp_path: Path, spark_context: None) -> Iterator[SparkEngine]:
    e = SparkEngine(tmp_path / "wh")
    yield e
    e.close()


def test_ddl_dml_and_types_as_duckdb_gives_them(engine: SparkEngine) -> None:
    engine.execute('CREATE TABLE IF NOT EXISTS "t" ("a" VARCHAR, "b" VARCHAR[], c TIMESTAMP)')
    engine.execute('CREATE TABLE IF NOT EXISTS "t" ("a" VARCHAR)')  # exists: nothing
    engine.append("t", pa.table({"a": ["x"], "c": [datetime(2026, 6, 1, 21, 30)]}))
    engine.execute("INSERT INTO t VALUES (?, ?, ?)", ["y", None, datetime(2026, 1, 15, 21, 30)])
    assert engine.columns("t") == ["a", "b", "c"]
    local = engine.dialect.local_time("c", "Europe/London")
    got = engine.query(
        f"SELECT a, hour({local}) AS h, c, sum(1) AS n FROM t GROUP BY ALL ORDER BY a"
    )
    assert got.to_pylist() == [
        {"a": "x", "h": 22, "c": datetime(2026, 6, 1, 21, 30), "n": 1},
        {"a": "y", "h": 21, "c": datetime(2026, 1, 15, 21, 30), "n": 1},
    ]
    assert got.schema.field("c").type == pa.timestamp("us")  # zone-less, as DuckDB's
    assert got.schema.field("n").type == pa.decimal128(38, 0)  # DuckDB's integer sum
    engine.execute("CREATE OR REPLACE TEMP TABLE q AS SELECT a FROM t WHERE a = 'x'")
    engine.execute("CREATE OR REPLACE TEMP TABLE q AS SELECT a FROM t")
    assert engine.scalar("SELECT count(*) FROM q") == 2
    engine.execute("DROP TABLE IF EXISTS q")
    assert not engine.has_table("q") and engine.has_table("t")
    distance = engine.dialect.edit_distance("'kai'", "'kay'")
    assert engine.scalar(f"SELECT {distance}") == 1


def test_a_transaction_is_all_or_nothing_and_survives_a_reopen(
    engine: SparkEngine, tmp_path: Path
) -> None:
    with engine.transaction():
        engine.replace_table("r", pa.table({"x": [1]}))
        engine.replace_table("u", pa.table({"y": ["a"]}))
    with pytest.raises(RuntimeError), engine.transaction():
        engine.replace_table("r", pa.table({"x": [2]}))
        raise RuntimeError
    assert engine.query("SELECT * FROM r").to_pylist() == [{"x": 1}]
    again = SparkEngine(tmp_path / "wh")
    try:
        assert again.query("SELECT * FROM r").to_pylist() == [{"x": 1}]
        assert again.has_table("u")
    finally:
        again.close()


# --- the same answers ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def both(
    ingested_world: Ingested, tmp_path_factory: pytest.TempPathFactory, spark_context: None
) -> Iterator[tuple[Results, Results, SparkEngine]]:
    """run_all on DuckDB and on Spark over the Parquet mirror of the same store."""
    where = tmp_path_factory.mktemp("spark-e2e")
    export_tables(ingested_world.engine.connection, where)
    engine = SparkEngine(where)
    try:
        yield run_all(ingested_world.engine), run_all(engine), engine
    finally:
        engine.close()


@pytest.mark.parametrize("result", ["register", "persons", "safeguarding", "phone_persons"])
def test_spark_gives_the_same_answers_as_duckdb(
    both: tuple[Results, Results, SparkEngine], result: str
) -> None:
    duck, spark_, _ = both
    a, b = getattr(duck, result), getattr(spark_, result)
    assert a.num_rows > 0
    assert a.column_names == b.column_names
    assert a.to_pylist() == b.to_pylist()


def test_targets_are_the_same(both: tuple[Results, Results, SparkEngine]) -> None:
    duck, spark_, _ = both
    assert duck.targets.table.to_pylist() == spark_.targets.table.to_pylist()


def test_the_driver_gets_entity_sized_results_never_the_comms(
    both: tuple[Results, Results, SparkEngine], ingested_world: Ingested
) -> None:
    """No statement brings more rows to the driver than there are phone numbers (results
    are per number, record or person at most), and all of them together are a small
    fraction of the comms the executors read."""
    _, _, engine = both
    duck = ingested_world.engine
    comms = int(duck.scalar(f"SELECT count(*) FROM {s.COMMS.name}"))
    numbers = int(
        duck.scalar(
            f'SELECT count(DISTINCT n) FROM (SELECT "{s.SOURCE}" AS n FROM {s.COMMS.name} '
            f'UNION ALL SELECT "{s.TARGET}" FROM {s.COMMS.name})'
        )
    )
    rows = engine.driver_rows
    assert rows.largest <= numbers, rows.largest_sql
    assert rows.total < comms / 5, (rows.total, comms)


def test_status_says_which_engine_holds_the_data(
    ingested_world: Ingested, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crossline.runs.service import Service

    monkeypatch.setenv("CROSSLINE_ENGINE", "spark")
    service = Service.for_workspace(tmp_path / "ws")
    service.ingest(ingested_world.dataset)
    info: dict[str, Any] = json.loads(json.dumps(service.status(), default=str))
    assert info["engine"] == "spark"
    assert info["tables"][s.COMMS.name] == ingested_world.report.files["comms"].loaded
    assert (tmp_path / "ws" / "spark" / "catalog.json").is_file()
    monkeypatch.setenv("CROSSLINE_ENGINE", "duckdb")
    assert Service.for_workspace(tmp_path / "ws").status()["engine"] == "duckdb"


def test_on_engine_fixture_mirrors_a_store(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    from crossline.engine.duckdb import DuckDBEngine
    from crossline.ingest import ensure_tables

    duck = DuckDBEngine(tmp_path / "x.duckdb")
    ensure_tables(duck)
    sp = on_engine(duck, "spark", tmp_path / "wh", request)
    try:
        assert sp.scalar(f"SELECT count(*) FROM {s.COMMS.name}") == 0
        assert sp.columns(s.COMMS.name) == duck.columns(s.COMMS.name)
    finally:
        sp.close()
        duck.close()


def test_the_engine_flag_picks_spark_and_wins_over_the_environment(
    ingested_world: Ingested, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from crossline.cli import app

    ws = str(tmp_path / "ws")
    monkeypatch.setenv("CROSSLINE_ENGINE", "duckdb")
    runner = CliRunner()
    ingest = runner.invoke(app, ["--workspace", ws, "--engine", "spark", "ingest",
                                 str(ingested_world.dataset), "--json"])  # fmt: skip
    assert ingest.exit_code == 0, ingest.output
    status = runner.invoke(app, ["--workspace", ws, "--engine", "spark", "status", "--json"])
    assert status.exit_code == 0, status.output
    assert json.loads(status.output)["engine"] == "spark"
    assert (tmp_path / "ws" / "spark" / "catalog.json").is_file()


# a world of many lines, few days: the register is long, so a step that collected per
# line, or brought any relation bigger than the register back, would show here
MANY_LINES = WorldConfig(lines=40, people=6_000, days=14, seed=4141)


def test_many_lines_bring_register_sized_results_to_the_driver(
    tmp_path: Path, spark_context: None
) -> None:
    write_world(MANY_LINES, tmp_path / "data", fmt="csv")
    duck = DuckDBEngine(tmp_path / "ws" / "crossline.duckdb")
    try:
        ingest_dataset(duck, tmp_path / "data", tmp_path / "ws" / "quarantine")
        comms = int(duck.scalar(f"SELECT count(*) FROM {s.COMMS.name}"))
        numbers = int(
            duck.scalar(
                f'SELECT count(DISTINCT n) FROM (SELECT "{s.SOURCE}" AS n FROM {s.COMMS.name} '
                f'UNION ALL SELECT "{s.TARGET}" FROM {s.COMMS.name})'
            )
        )
        export_tables(duck.connection, tmp_path / "wh")
    finally:
        duck.close()
    engine = SparkEngine(tmp_path / "wh")
    try:
        with comms_events(engine, LinesConfig().duplicate_window_s):
            lines = build_lines(engine, None, EVENTS)
        rows = engine.driver_rows
    finally:
        engine.close()
    assert len(lines) >= 30  # many lines found: the register is long
    assert rows.largest <= numbers, rows.largest_sql
    assert rows.total < comms / 5, (rows.total, comms)
