"""Person linkage on DuckDB: Splink's DuckDB API on an in-memory connection opened here.

The connection is apart from the store so that Splink's many working tables stay out of
the workspace file and its threads and memory limit are its own; it is opened here, not by
Splink, so that its settings are set through a connection Crossline owns (Splink's is a
private attribute)."""

from __future__ import annotations

import duckdb
from splink import DuckDBAPI

from crossline.engine.base import SplinkBackend
from crossline.engine.dialect import literal


class DuckDBSplinkBackend(SplinkBackend):
    def __init__(self, *, threads: int, memory_limit: str) -> None:
        self._con = duckdb.connect(":memory:")
        self._con.execute(f"SET threads = {int(threads)}")
        self._con.execute(f"SET memory_limit = {literal(memory_limit)}")
        self._con.execute("SET enable_progress_bar = false")  # it writes to stdout
        self._api = DuckDBAPI(connection=self._con)

    @property
    def api(self) -> DuckDBAPI:
        return self._api

    def free_row_order(self) -> None:
        self._con.execute("SET preserve_insertion_order = false")
