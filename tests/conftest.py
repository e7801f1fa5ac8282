"""Session-wide fixtures: one small simulated world, ingested once, for end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from crossline.engine.base import Engine
from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import IngestReport, ingest_dataset
from crossline.simulate.config import WorldConfig
from crossline.simulate.world import World
from crossline.simulate.writer import write_world

# No property test is timed: speed is measured in bench/, beside a peer, never by a
# deadline that a busy CI machine misses (a first call that starts DuckDB took 380 ms).
settings.register_profile("crossline", deadline=None)
settings.load_profile("crossline")


def _spark_options() -> object:
    from crossline.engine.spark import SparkOptions

    return SparkOptions(
        master="local[2]", driver_memory="1g", executor_memory="1g", shuffle_partitions=4
    )


# Not a preset and not the demo seed: end-to-end figures are checked on a world nobody tuned on.
E2E_WORLD = WorldConfig(lines=5, people=3_000, days=35, seed=2024)


@dataclass
class Ingested:
    world: World
    dataset: Path
    engine: DuckDBEngine
    report: IngestReport


@pytest.fixture(scope="session")
def ingested_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ingested]:
    root = tmp_path_factory.mktemp("e2e")
    world = write_world(E2E_WORLD, root / "data", fmt="csv")
    engine = DuckDBEngine(root / "ws" / "crossline.duckdb")
    report = ingest_dataset(engine, root / "data", root / "ws" / "quarantine")
    yield Ingested(world, root / "data", engine, report)
    engine.close()


# --- the engines the analysis tests run on ---------------------------------------------------
# An analysis test that takes `engine_kind` runs once per engine: the data is loaded into
# DuckDB as ingest loads it, then (for spark) mirrored to Parquet and analysed by the Spark
# engine, as `CROSSLINE_ENGINE=spark` does. One small Spark context serves the whole run.

try:
    import pyspark  # noqa: F401

    HAVE_SPARK = True
except ImportError:  # the spark extra is not installed
    HAVE_SPARK = False

ENGINE_KINDS = [
    "duckdb",
    pytest.param(
        "spark",
        marks=[pytest.mark.spark, pytest.mark.skipif(not HAVE_SPARK, reason="no pyspark")],
    ),
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "spark: runs on the Spark engine (the spark extra)")


@pytest.fixture(scope="session")
def spark_context() -> Iterator[None]:
    """The run's one Spark context: local[2], small memory, few shuffle partitions, no UI
    (other jobs share the machine)."""
    from crossline.engine.spark import session

    session.spark_session(_spark_options())  # type: ignore[arg-type]
    yield
    session.stop()


@pytest.fixture(params=ENGINE_KINDS)
def engine_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def on_engine(duck: DuckDBEngine, kind: str, where: Path, request: pytest.FixtureRequest) -> Engine:
    """The store `duck` holds, as engine `kind` sees it (DuckDB itself, or Spark over its
    Parquet mirror in `where`)."""
    if kind == "duckdb":
        return duck
    from crossline.engine.spark import SparkEngine
    from crossline.engine.spark.export import export_tables

    request.getfixturevalue("spark_context")
    export_tables(duck.connection, where)
    return SparkEngine(where, options=_spark_options())  # type: ignore[arg-type]
