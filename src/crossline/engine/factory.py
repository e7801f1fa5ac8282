"""Choose the engine named in settings. Lives in engine/ so that the faces (CLI, API) never
import a backend module directly."""

from __future__ import annotations

from crossline.engine.base import Engine
from crossline.settings import Settings

ENGINES = ("duckdb", "spark")


def open_store(settings: Settings) -> Engine:
    """The DuckDB store, whatever the analytical engine: ingest validates, quarantines and
    commits there (the Spark engine reads what it committed, mirrored as Parquet)."""
    from crossline.engine.duckdb import DuckDBEngine

    if settings.engine not in ENGINES:
        raise ValueError(_unknown(settings.engine))
    return DuckDBEngine(
        settings.store_path,
        memory_limit=settings.memory_limit,
        threads=settings.threads,
        temp_dir=settings.temp_dir,
    )


def open_engine(settings: Settings) -> Engine:
    """The analytical engine of the workspace. For Spark, the store is mirrored to Parquet
    first if it changed since the last mirror (an ingest run with another engine)."""
    if settings.engine == "duckdb":
        return open_store(settings)
    if settings.engine == "spark":
        return _open_spark(settings)
    raise ValueError(_unknown(settings.engine))


def _unknown(engine: str) -> str:
    return f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}"


def publish(settings: Settings) -> None:
    """After an ingest: make the committed data readable by the workspace's engine."""
    if settings.engine == "spark":
        _mirror(settings)


def _mirror(settings: Settings) -> None:
    try:
        from crossline.engine.spark.export import export_store, is_current
    except ImportError as exc:  # pyspark is an extra
        raise ValueError(
            "engine 'spark' needs the spark extra: pip install 'crossline[spark]'"
        ) from exc
    if settings.store_path.is_file() and not is_current(
        settings.store_path, settings.spark_warehouse
    ):
        export_store(settings.store_path, settings.spark_warehouse, threads=settings.threads)


def _open_spark(settings: Settings) -> Engine:
    _mirror(settings)
    from crossline.engine.spark import SparkEngine, SparkOptions

    options = SparkOptions(
        master=settings.spark_master,
        driver_memory=settings.spark_driver_memory,
        executor_memory=settings.spark_executor_memory,
        shuffle_partitions=settings.spark_shuffle_partitions,
        temp_dir=str(settings.temp_dir / "spark"),
    )
    return SparkEngine(settings.spark_warehouse, options=options)
