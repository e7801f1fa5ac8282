"""Fixtures for ingest tests: tiny datasets written byte-exactly into tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import ensure_tables, ingest_dataset

from .helpers import Loaded, write


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[DuckDBEngine]:
    e = DuckDBEngine(tmp_path / "store" / "x.duckdb")
    yield e
    e.close()


@pytest.fixture
def load(tmp_path: Path, engine: DuckDBEngine) -> Any:
    """load({'comms.csv': text}) -> Loaded, into one store per test."""
    counter = iter(range(1000))

    def _load(files: dict[str, str | bytes], dataset: Path | None = None) -> Loaded:
        ds = dataset or tmp_path / f"ds{next(counter)}"
        for name, content in files.items():
            write(ds / name, content)
        q = tmp_path / "quarantine"
        ensure_tables(engine)
        since = int(engine.scalar("SELECT COALESCE(max(load_id), 0) FROM ingest_loads"))
        return Loaded(ingest_dataset(engine, ds, q), engine, q, since)

    return _load
