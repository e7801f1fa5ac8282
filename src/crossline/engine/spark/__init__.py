"""Apache Spark implementation of the engine: the same house-dialect SQL, transpiled by
sqlglot, over Parquet tables in the workspace (engine/spark/warehouse.py) that a cluster
reads in place. Importing this package needs the `spark` extra (pyspark)."""

from crossline.engine.spark.engine import SparkEngine
from crossline.engine.spark.session import SparkOptions, spark_session

__all__ = ["SparkEngine", "SparkOptions", "spark_session"]
