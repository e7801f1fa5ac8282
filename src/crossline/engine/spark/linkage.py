"""Person linkage on Spark: Splink's Spark API on a session of its own.

Its own session keeps Splink's many working views apart from the engine's tables, as the
DuckDB backend's own connection does. The string-similarity functions the model uses
(jaro_winkler, damerau_levenshtein) are Splink's Scala UDFs, from the jar the shared
context was started with (session.SparkOptions); SparkAPI registers them on the session.
Threads and memory are the cluster's: a Spark session cannot set its own.
"""

from __future__ import annotations

from pyspark.sql import SparkSession
from splink.backends.spark import SparkAPI

from crossline.engine.base import SplinkBackend


class SparkSplinkBackend(SplinkBackend):
    def __init__(self, session: SparkSession) -> None:
        self._session = session
        # lineage is broken by writing each of Splink's intermediate tables as Parquet
        # under the context's checkpoint folder, as Splink advises for Spark
        self._api = SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=session, break_lineage_method="parquet"
        )

    @property
    def api(self) -> SparkAPI:
        return self._api

    def free_row_order(self) -> None:
        """Spark never promised an order."""

    def close(self) -> None:
        for table in self._session.catalog.listTables():
            if table.isTemporary:
                self._session.catalog.dropTempView(table.name)
