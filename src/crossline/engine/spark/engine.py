"""Spark backend: the analyses' house-dialect SQL, transpiled by sqlglot, run by Spark SQL
over the workspace's Parquet tables (engine/spark/warehouse.py).

Every table is a temporary view over its Parquet files, so a statement is planned and run
by Spark wherever its executors are; only a query's result comes back to the driver, as
Arrow, and the adapter counts those rows (`driver_rows`) so a test can hold the analyses
to returning register-sized results, never the comms.

DDL and DML are the adapter's to carry out, since the store is files, not a Spark
catalog: `execute` reads the house statement itself (CREATE TABLE, CREATE TABLE AS,
INSERT, DROP) and runs only its query part through the transpiler.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import sqlglot
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from sqlglot import exp

from crossline.engine.base import SQL_DIALECT, Engine, SplinkBackend
from crossline.engine.dialect import SPARK
from crossline.engine.spark.session import SparkOptions, spark_session
from crossline.engine.spark.translate import Schema, spark_sql
from crossline.engine.spark.types import arrow_type, from_spark, to_spark
from crossline.engine.spark.warehouse import Warehouse


@dataclass
class DriverRows:
    """Rows the adapter brought back to the driver: in all, and the most at once."""

    total: int = 0
    largest: int = 0
    largest_sql: str = ""

    def note(self, rows: int, sql: str) -> None:
        self.total += rows
        if rows > self.largest:
            self.largest, self.largest_sql = rows, sql


class SparkEngine(Engine):
    dialect = SPARK

    def __init__(
        self,
        warehouse: Path | str,
        *,
        options: SparkOptions | None = None,
        session: SparkSession | None = None,
    ) -> None:
        self._wh = Warehouse.open(Path(warehouse))
        self._options = options or SparkOptions()
        self._spark = session or spark_session(self._options)
        self._temp: dict[str, list[str]] = {}  # CREATE TEMP TABLE results, this engine's
        self._registered: set[str] = set()
        self.driver_rows = DriverRows()
        self._splink: list[SplinkBackend] = []
        self._schemas: dict[str, tuple[tuple[str, str], ...]] = {}
        self._schema_key: Schema | None = None
        for name in self._wh.tables:
            self._view(name)

    def translate(self, sql: str) -> str:
        """sqlglot's Spark SQL, with integer sums typed as DuckDB types them (translate.py),
        which needs the relations' column types."""
        if self._schema_key is None:
            self._schema_key = tuple(sorted(self._schemas.items()))
        return spark_sql(sql, self._schema_key)

    def _expose(self, name: str, df: DataFrame) -> None:
        df.createOrReplaceTempView(name)
        self._schemas[name] = tuple((f.name, f.dataType.simpleString()) for f in df.schema)
        self._schema_key = None

    def _hide(self, name: str) -> None:
        self._spark.catalog.dropTempView(name)
        self._schemas.pop(name, None)
        self._schema_key = None

    @property
    def session(self) -> SparkSession:
        return self._spark

    @property
    def warehouse(self) -> Path:
        return self._wh.root

    # --- queries ---------------------------------------------------------------------------

    def _df(self, sql: str, params: Sequence[Any] | None) -> DataFrame:
        return self._spark.sql(sql, args=list(params)) if params else self._spark.sql(sql)

    def _query(self, sql: str, params: Sequence[Any] | None) -> pa.Table:
        table = from_spark(self._df(sql, params).toArrow())
        self.driver_rows.note(table.num_rows, sql)
        return table

    def _scalar(self, sql: str, params: Sequence[Any] | None) -> Any:
        rows = self._df(sql, params).take(1)
        self.driver_rows.note(len(rows), sql)
        return rows[0][0] if rows else None

    def _execute(self, sql: str, params: Sequence[Any] | None) -> None:
        self._df(sql, params).collect()  # a statement Spark runs itself (SET, ...)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """DDL and DML on the Parquet store, by reading the house statement; anything
        else goes to Spark transpiled."""
        tree = sqlglot.parse_one(sql, read=SQL_DIALECT)
        if isinstance(tree, exp.Create) and tree.kind == "TABLE":
            self._create(tree, params)
        elif isinstance(tree, exp.Drop) and tree.kind in ("TABLE", "VIEW"):
            for table in tree.find_all(exp.Table):
                self._drop(table.name, missing_ok=bool(tree.args.get("exists")))
        elif isinstance(tree, exp.Insert):
            self._insert(tree, params)
        else:
            self._execute(self.translate(sql), params)

    def _create(self, tree: exp.Create, params: Sequence[Any] | None) -> None:
        target = tree.this
        name = target.this.name if isinstance(target, exp.Schema) else target.name
        temporary = any(isinstance(p, exp.TemporaryProperty) for p in _properties(tree))
        if tree.args.get("exists") and self.has_table(name):
            return
        if not tree.args.get("replace") and not tree.args.get("exists") and self.has_table(name):
            raise ValueError(f"table {name} already exists")
        query = tree.expression
        if query is not None:  # CREATE TABLE name AS query: Spark writes it, in parallel
            df = self._df(self.translate(query.sql(SQL_DIALECT)), params)
            self._write_df(name, df, temporary)
            return
        assert isinstance(target, exp.Schema)
        schema = pa.schema(
            [(c.name, arrow_type(c.args["kind"])) for c in target.expressions]  # ColumnDefs
        )
        self._write_arrow(name, schema.empty_table(), temporary, replace=True)

    def _insert(self, tree: exp.Insert, params: Sequence[Any] | None) -> None:
        target = tree.this
        name = target.this.name if isinstance(target, exp.Schema) else target.name
        columns = (
            [c.name for c in target.expressions]
            if isinstance(target, exp.Schema)
            else self.columns(name)
        )
        query = tree.expression
        if isinstance(query, exp.Values):
            query = exp.select("*").from_(exp.paren(query, copy=False).as_("v"))
        if name in self._temp or name in self._registered:
            raise ValueError(f"INSERT into temporary table {name} is not supported")
        df = self._df(self.translate(query.sql(SQL_DIALECT)), params).toDF(*columns)
        schema = self._spark.table(f"`{name}`").schema
        df = df.select(
            *[
                (F.col(f"`{f.name}`") if f.name in columns else F.lit(None))
                .cast(f.dataType)
                .alias(f.name)
                for f in schema.fields
            ]
        )
        rel = self._wh.new_path(name)
        df.write.parquet(str(self._wh.root / rel))
        self._wh.add(name, rel)
        self._view(name)

    def _drop(self, name: str, *, missing_ok: bool) -> None:
        if not self.has_table(name):
            if missing_ok:
                return
            raise ValueError(f"no table {name}")
        self._hide(name)
        if name in self._temp:
            self._temp.pop(name)
        elif name in self._registered:
            self._registered.discard(name)
        else:
            self._wh.drop(name)

    # --- writes from Arrow -----------------------------------------------------------------

    def append(self, table: str, data: pa.Table | pa.RecordBatch) -> None:
        if isinstance(data, pa.RecordBatch):
            data = pa.Table.from_batches([data])
        # every column takes nulls, as a DuckDB column does: a Parquet file whose values
        # were all present may say otherwise (found appending a provider's copies)
        schema = pa.schema([f.with_nullable(True) for f in self._schema(table)])
        full = pa.table(
            [
                data.column(f.name).cast(f.type)
                if f.name in data.schema.names
                else pa.nulls(data.num_rows, f.type)
                for f in schema
            ],
            schema=schema,
        )
        rel = self._wh.new_path(table)
        pq.write_table(full, self._wh.root / rel)
        self._wh.add(table, rel)
        self._view(table)

    def replace_table(self, name: str, data: pa.Table) -> None:
        self._write_arrow(name, data, temporary=False, replace=True)

    def _write_arrow(self, name: str, data: pa.Table, temporary: bool, *, replace: bool) -> None:
        if temporary:
            self._temp[name] = []
            self._expose(name, self._spark.createDataFrame(to_spark(data)))
            return
        rel = self._wh.new_path(name)
        pq.write_table(data, self._wh.root / rel)
        self._wh.set(name, [rel])
        self._view(name)

    def _write_df(self, name: str, df: DataFrame, temporary: bool) -> None:
        if temporary:  # materialised once, as DuckDB's temp table is: read many times
            tmp = self._wh.root / "tmp" / f"{name}-{id(df):x}.parquet"
            df.write.mode("overwrite").parquet(str(tmp))
            self._temp[name] = [str(tmp)]
            self._expose(name, self._spark.read.parquet(str(tmp)))
            return
        rel = self._wh.new_path(name)
        df.write.parquet(str(self._wh.root / rel))
        self._wh.set(name, [rel])
        self._view(name)

    def _view(self, name: str) -> None:
        self._expose(name, self._spark.read.parquet(*self._wh.paths(name)))

    def _schema(self, table: str) -> pa.Schema:
        paths = self._wh.paths(table)
        if not paths:
            raise ValueError(f"no table {table}")
        return ds.dataset(paths[0], format="parquet").schema

    # --- relations -------------------------------------------------------------------------

    def register(self, name: str, data: pa.Table) -> None:
        self._expose(name, self._spark.createDataFrame(to_spark(data)))
        self._registered.add(name)

    def unregister(self, name: str) -> None:
        self._hide(name)
        self._registered.discard(name)

    def has_table(self, name: str) -> bool:
        return name in self._wh.tables or name in self._temp or name in self._registered

    def columns(self, table: str) -> list[str]:
        return list(self._spark.table(f"`{table}`").columns)

    def table_names(self) -> list[str]:
        return sorted(self._wh.tables)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        before = set(self._wh.tables)
        try:
            with self._wh.transaction():
                yield
        except BaseException:
            # the views still read what the block wrote: point them back at the manifest
            for name in before | set(self._wh.tables):
                if name in self._wh.tables:
                    self._view(name)
                else:
                    self._hide(name)
            raise

    def parquet_source(self, paths: Sequence[str]) -> str:
        """A temporary view over the files (Spark SQL reads one path per FROM)."""
        name = f"__parquet_{len(self._registered)}"
        self._expose(name, self._spark.read.parquet(*paths))
        self._registered.add(name)
        return name

    def _copy_to_csv(self, sql: str, path: str) -> None:
        """One CSV with a header, written by the driver batch by batch (an export is a
        result the analyst asked for, register-sized)."""
        import pyarrow.csv as pcsv

        df = self._spark.sql(sql)
        with pcsv.CSVWriter(path, from_spark(df.limit(0).toArrow()).schema) as out:
            for batch in df.toArrow().to_batches():
                out.write(from_spark(pa.Table.from_batches([batch])))

    def splink_backend(self, *, threads: int, memory_limit: str) -> SplinkBackend:
        from crossline.engine.spark.linkage import SparkSplinkBackend

        backend = SparkSplinkBackend(spark_session(self._options))
        self._splink.append(backend)
        return backend

    def splink_training_backend(self, *, threads: int, memory_limit: str) -> SplinkBackend | None:
        from crossline.engine.duckdb.linkage import DuckDBSplinkBackend

        # samples drawn as DuckDB draws them: the same trained model on both engines
        return DuckDBSplinkBackend(threads=threads, memory_limit=memory_limit)

    def close(self) -> None:
        for name in [*self._temp, *self._registered, *self._wh.tables]:
            self._hide(name)
        self._temp.clear()
        self._registered.clear()
        for backend in self._splink:
            backend.close()  # type: ignore[attr-defined]


def _properties(tree: exp.Create) -> list[exp.Expression]:
    props = tree.args.get("properties")
    return list(props.expressions) if props is not None else []
