"""Arrow tables in the shape model/outputs.py declares, so every analysis writes its
result the one way the exports and the store expect."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from crossline.model.outputs import OutKind, OutputSpec

_ARROW = {
    OutKind.TEXT: pa.string(),
    OutKind.INT: pa.int64(),
    OutKind.FLOAT: pa.float64(),
    OutKind.LIST: pa.string(),
    OutKind.TIME: pa.string(),
    OutKind.JSON: pa.string(),
}


def schema_of(spec: OutputSpec) -> pa.Schema:
    return pa.schema([(c.name, _ARROW[c.kind]) for c in spec.columns])


def table_of(spec: OutputSpec, rows: list[dict[str, Any]]) -> pa.Table:
    """`rows` as the spec's table; a JSON column a row leaves out is an empty list."""
    out = {}
    for c in spec.columns:
        default = "[]" if c.kind is OutKind.JSON else None
        out[c.name] = pa.array([r.get(c.name, default) for r in rows], _ARROW[c.kind])
    return pa.table(out, schema=schema_of(spec))
