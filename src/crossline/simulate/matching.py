"""How every score meets the truth: files read the same way, lists split the same way,
and each true line matched to the register row holding most of its deal numbers, so the
line, holder, risk and safeguarding figures all judge the same row for a line."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

from crossline.model import schema as s


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def split(v: object) -> list[str]:
    return [x for x in str(v or "").split(s.LIST_SEP) if x]


def matched_rows(
    pred: list[dict[str, Any]], truth: list[dict[str, str]]
) -> list[dict[str, Any] | None]:
    """For each true line, the register row holding most of its deal numbers (None when
    the register holds none of them)."""
    pred_line = {n: p["line_id"] for p in pred for n in split(p["deal_numbers"])}
    by_id = {p["line_id"]: p for p in pred}
    out: list[dict[str, Any] | None] = []
    for t in truth:
        votes = Counter(pred_line[n] for n in split(t["deal_numbers"]) if n in pred_line)
        out.append(by_id[votes.most_common(1)[0][0]] if votes else None)
    return out
