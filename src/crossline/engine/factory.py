"""Choose the engine named in settings. Lives in engine/ so that the faces (CLI, API) never
import a backend module directly."""

from __future__ import annotations

from crossline.engine.base import Engine
from crossline.settings import Settings


def open_engine(settings: Settings) -> Engine:
    if settings.engine == "duckdb":
        from crossline.engine.duckdb import DuckDBEngine

        return DuckDBEngine(
            settings.store_path,
            memory_limit=settings.memory_limit,
            threads=settings.threads,
            temp_dir=settings.temp_dir,
        )
    raise ValueError(f"unknown engine {settings.engine!r}: choose 'duckdb'")
