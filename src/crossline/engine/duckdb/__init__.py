"""DuckDB implementation of the engine: a single file in the workspace."""

from crossline.engine.duckdb.engine import DuckDBEngine

__all__ = ["DuckDBEngine"]
