"""Session-wide fixtures: one small simulated world, ingested once, for end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import IngestReport, ingest_dataset
from crossline.simulate.config import WorldConfig
from crossline.simulate.world import World
from crossline.simulate.writer import write_world

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
