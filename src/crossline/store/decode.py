"""Stored rows as a reader wants them: list columns as lists, JSON columns parsed, read
from the output spec's kinds so no column is named twice."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from crossline.model import schema as s
from crossline.model.outputs import OutKind, OutputSpec
from crossline.store.tables import RUN_ID


def decode(
    spec: OutputSpec, row: Mapping[Any, Any], without: frozenset[str] = frozenset()
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in spec.columns:
        if c.name in without:
            continue
        v = row.get(c.name)
        if c.kind is OutKind.LIST:
            out[c.name] = [x for x in str(v).split(s.LIST_SEP) if x] if v else []
        elif c.kind is OutKind.JSON:
            out[c.name] = json.loads(v) if v else []
        else:
            out[c.name] = v
    if RUN_ID in row:
        out[RUN_ID] = row[RUN_ID]
    return out
