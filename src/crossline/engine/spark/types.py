"""Arrow types across the Spark boundary, so that a result reads the same from either
engine: Arrow in (registered sets, stored results) and Arrow out (query results)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from sqlglot import exp

# House (DuckDB) column types in DDL, as Arrow types (ingest's and provenance's tables)
_SCALARS: dict[Any, pa.DataType] = {  # sqlglot DataType.Type -> Arrow
    exp.DataType.Type.VARCHAR: pa.string(),
    exp.DataType.Type.TEXT: pa.string(),
    exp.DataType.Type.BIGINT: pa.int64(),
    exp.DataType.Type.INT: pa.int32(),
    exp.DataType.Type.SMALLINT: pa.int16(),
    exp.DataType.Type.DOUBLE: pa.float64(),
    exp.DataType.Type.FLOAT: pa.float32(),
    exp.DataType.Type.BOOLEAN: pa.bool_(),
    exp.DataType.Type.DATE: pa.date32(),
    exp.DataType.Type.TIMESTAMP: pa.timestamp("us"),
    exp.DataType.Type.TIMESTAMPNTZ: pa.timestamp("us"),
}


def arrow_type(dtype: exp.DataType) -> pa.DataType:
    """The Arrow type of a column declared in house DDL (ValueError if not one we use)."""
    if dtype.this == exp.DataType.Type.ARRAY:
        return pa.list_(arrow_type(dtype.expressions[0]))
    if dtype.this in _SCALARS:
        return _SCALARS[dtype.this]
    raise ValueError(f"no Arrow type for column type {dtype.sql('duckdb')}")


def to_spark(table: pa.Table) -> pa.Table:
    """A table as Spark takes it from Arrow: large strings and lists made plain, and
    dictionary columns decoded (Spark's Arrow reader has neither)."""
    return table.cast(pa.schema([_for_spark(f) for f in table.schema]))


def _for_spark(f: pa.Field) -> pa.Field:
    t = f.type
    if pa.types.is_dictionary(t):
        t = t.value_type
    if pa.types.is_large_string(t):
        t = pa.string()
    if pa.types.is_large_list(t):
        t = pa.list_(t.value_type)
    if pa.types.is_timestamp(t) and t.unit == "ns":
        t = pa.timestamp("us", t.tz)
    return f.with_type(t)


def from_spark(table: pa.Table) -> pa.Table:
    """A Spark result as DuckDB would have returned it: timestamps without a zone (a
    Spark TIMESTAMP, as from_utc_timestamp returns, comes out marked UTC)."""
    fields = [_from_spark(f) for f in table.schema]
    schema = pa.schema(fields)
    if schema.equals(table.schema):
        return table
    return table.cast(schema)


def _from_spark(f: pa.Field) -> pa.Field:
    t = f.type
    if pa.types.is_timestamp(t) and t.tz is not None:
        t = pa.timestamp(t.unit)
    if pa.types.is_list(t):
        t = pa.list_(_from_spark(t.value_field).type)
    return f.with_type(t)
