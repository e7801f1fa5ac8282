"""The one SparkSession a process uses, and the settings that make Spark answer as DuckDB
does.

A JVM is dear to start (seconds) and a process can hold only one SparkContext, so every
SparkEngine (and Splink's Spark backend) opens its own *session* on a shared context:
sessions keep their temporary views apart, so two engines open at once (a test's
fixtures) never see each other's tables.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[*]"

# Spark settings that are semantics, not tuning: without them the same SQL means
# something else than on DuckDB.
SEMANTICS: dict[str, str] = {
    # timestamps in the store are UTC without a zone (DuckDB TIMESTAMP): Spark's
    # TIMESTAMP_NTZ is that type, and sqlglot writes DuckDB's TIMESTAMP as TIMESTAMP_NTZ;
    # any conversion that does need a zone (from_utc_timestamp) reads UTC
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    # DuckDB returns NULL for x / 0 and for an out-of-range list index, as Spark does
    # with ANSI mode off (Spark 4 turns it on by default and raises instead)
    "spark.sql.ansi.enabled": "false",
    # CREATE TEMP TABLE x and a later reference to x share one case-sensitive name
    "spark.sql.caseSensitive": "false",
}


@dataclass(frozen=True)
class SparkOptions:
    """How to reach Spark: `master` is local[N] on one machine, spark://host:7077, yarn or
    k8s://... on a cluster. Memory is the driver's (results the adapter collects: at
    most register-sized) and each executor's; in local mode the driver is the executor."""

    master: str = DEFAULT_MASTER
    driver_memory: str = "2g"
    executor_memory: str = "2g"
    shuffle_partitions: int = 8
    temp_dir: str | None = None
    extra: tuple[tuple[str, str], ...] = ()

    def conf(self) -> dict[str, str]:
        conf = {
            "spark.master": self.master,
            "spark.app.name": "crossline",
            "spark.driver.memory": self.driver_memory,
            "spark.executor.memory": self.executor_memory,
            "spark.sql.shuffle.partitions": str(self.shuffle_partitions),
            "spark.default.parallelism": str(self.shuffle_partitions),
            # adaptive execution coalesces small shuffle partitions and splits skewed ones
            "spark.sql.adaptive.enabled": "true",
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            # the Scala string-similarity UDFs Splink's Spark backend registers
            # (jaro_winkler, damerau_levenshtein, ...), shipped inside the splink wheel
            "spark.jars": similarity_jar(),
            **SEMANTICS,
        }
        if self.temp_dir:
            conf["spark.local.dir"] = self.temp_dir
        conf.update(dict(self.extra))
        return conf


def similarity_jar() -> str:
    from splink.backends.spark import similarity_jar_location

    return str(similarity_jar_location())


_lock = threading.Lock()
_root: SparkSession | None = None


def spark_session(options: SparkOptions | None = None) -> SparkSession:
    """A new session on the process's SparkContext, started with `options` the first
    time (later options are ignored but for the session-level semantics: a context's
    master and memory are fixed when its JVM starts)."""
    global _root
    with _lock:
        if _root is None:
            options = options or SparkOptions()
            os.environ.setdefault("PYSPARK_PYTHON", _python())
            builder: Any = SparkSession.builder
            for key, value in options.conf().items():
                builder = builder.config(key, value)
            _root = builder.getOrCreate()
            _root.sparkContext.setLogLevel("ERROR")
            checkpoints = Path(options.temp_dir or str(_root.conf.get("spark.local.dir", "/tmp")))
            _root.sparkContext.setCheckpointDir(str(checkpoints / "crossline-checkpoints"))
        session = _root.newSession()
    for key, value in SEMANTICS.items():
        session.conf.set(key, value)
    register_similarity_functions(session)
    return session


def register_similarity_functions(session: SparkSession) -> None:
    """Splink's Scala string-similarity UDFs (SparkDialect.registered_functions: the
    house dialect's damerau_levenshtein, which Spark lacks) on `session`: functions are
    per session."""
    from splink.internals.spark.jar_location import get_scala_udfs

    udfs = get_scala_udfs()  # type: ignore[no-untyped-call]
    by_name = {name: (cls, returns) for name, cls, returns in udfs}
    for name, cls, returns in udfs:
        session.udf.registerJavaFunction(name, cls, returns)
    for house, splink_name in SPARK_SPELLINGS.items():
        session.udf.registerJavaFunction(house, *by_name[splink_name])


# Functions the house dialect calls that sqlglot writes for Spark under a name Spark lacks,
# and the Splink UDF that computes them: the model's levels say DuckDB's
# jaro_winkler_similarity, which sqlglot writes as jarowinkler_similarity
SPARK_SPELLINGS: dict[str, str] = {"jarowinkler_similarity": "jaro_winkler"}


def stop() -> None:
    """Stop the shared context (the end of a test run or a benchmark)."""
    global _root
    with _lock:
        if _root is not None:
            _root.stop()
            _root = None


def _python() -> str:
    import sys

    return sys.executable
