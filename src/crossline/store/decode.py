"""Stored rows as a reader wants them: list columns as lists, JSON columns parsed, read
from the output spec's kinds so no column is named twice.

Every API read decodes its rows here (a page of lines is 50 rows of some 40 columns), so
the columns to decode are worked out once per spec, not once per row and column."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from crossline.model import schema as s
from crossline.model.outputs import OutKind, OutputSpec
from crossline.store.tables import RUN_ID

_Plan = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
_plans: dict[tuple[int, frozenset[str]], tuple[OutputSpec, _Plan]] = {}


def _plan(spec: OutputSpec, without: frozenset[str]) -> _Plan:
    """(every column in order, the list columns, the JSON columns), `without` left out;
    keyed by the spec's identity (specs are module constants), which it keeps alive."""
    key = (id(spec), without)
    found = _plans.get(key)
    if found is None:
        cols = [c for c in spec.columns if c.name not in without]
        names = tuple(c.name for c in cols)
        lists = tuple(c.name for c in cols if c.kind is OutKind.LIST)
        jsons = tuple(c.name for c in cols if c.kind is OutKind.JSON)
        found = _plans[key] = (spec, (names, lists, jsons))
    return found[1]


def decode(
    spec: OutputSpec, row: Mapping[Any, Any], without: frozenset[str] = frozenset()
) -> dict[str, Any]:
    names, lists, jsons = _plan(spec, without)
    get = row.get
    out: dict[str, Any] = {name: get(name) for name in names}
    for name in lists:
        v = out[name]
        out[name] = [x for x in str(v).split(s.LIST_SEP) if x] if v else []
    for name in jsons:
        v = out[name]
        out[name] = json.loads(v) if v else []
    if RUN_ID in row:
        out[RUN_ID] = row[RUN_ID]
    return out
