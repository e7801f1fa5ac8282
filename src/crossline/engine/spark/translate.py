"""The transpile step for Spark, where sqlglot's plain output would answer with another
type than DuckDB does.

DuckDB sums integers into a 128-bit integer (HUGEINT, an Arrow decimal128(38, 0)); Spark
sums them into a 64-bit one. The analyses' arithmetic on such a sum then runs in Decimal
on one engine and in float on the other, and evidence reads `1` on DuckDB and `1.0` on
Spark. So a SUM whose argument is an integer (known from the tables' schemas, by sqlglot's
type annotation) is cast to DECIMAL(38, 0) for Spark; everything else is sqlglot's own
transpilation (engine.base.transpile).
"""

from __future__ import annotations

from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify
from sqlglot.schema import MappingSchema

from crossline.engine.base import SQL_DIALECT, transpile

Schema = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # table -> (column, Spark type)

INTEGRAL = {
    exp.DataType.Type.TINYINT,
    exp.DataType.Type.SMALLINT,
    exp.DataType.Type.INT,
    exp.DataType.Type.BIGINT,
}
HUGEINT = "DECIMAL(38, 0)"  # DuckDB's integer sum, as Arrow carries it


@lru_cache(maxsize=4096)
def spark_sql(sql: str, schema: Schema) -> str:
    """One house-dialect statement as Spark SQL, integer sums typed as DuckDB types them.
    Cached per statement text and schema (a run issues few distinct texts)."""
    if "sum(" not in sql.lower():
        return transpile(sql, "spark")
    tree = sqlglot.parse_one(sql, read=SQL_DIALECT)
    mapping = MappingSchema({t: dict(cols) for t, cols in schema}, dialect="spark", normalize=False)
    try:
        typed = annotate_types(
            qualify(
                tree.copy(),
                schema=mapping,
                dialect=SQL_DIALECT,
                validate_qualify_columns=False,
                identify=False,
            ),
            schema=mapping,
            dialect=SQL_DIALECT,
        )
    except sqlglot.errors.SqlglotError:
        return transpile(sql, "spark")
    wrapped = False
    for node in list(typed.find_all(exp.Sum)):
        arg = node.this
        if arg is None or arg.type is None or arg.type.this not in INTEGRAL:
            continue
        outer: exp.Expression = node.parent if isinstance(node.parent, exp.Window) else node
        if isinstance(outer.parent, exp.Cast):
            continue  # the statement types it itself
        outer.replace(exp.cast(outer.copy(), exp.DataType.build(HUGEINT)))
        wrapped = True
    if not wrapped:
        return transpile(sql, "spark")
    return typed.sql("spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
