"""The comms store keeps numbers as integers (model.schema.Kind.PHONE_DIGITS); analyses
speak E.164 text everywhere outside SQL. The two conversions at that boundary."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from crossline.model.schema import number_key


def e164_sql(expr: str) -> str:
    """SQL: the E.164 text of a stored comms number (schema.number_text in SQL)."""
    return f"('+' || CAST({expr} AS VARCHAR))"


def key_table(numbers: Iterable[str]) -> pa.Table:
    """E.164 numbers as a one-column (`num`) relation of stored keys, to join comms on."""
    return pa.table({"num": pa.array(sorted({number_key(n) for n in numbers}), pa.int64())})
