"""Evidence as data: every line, role, person link and safeguarding entry says why, as a
list of typed factors, so a UI, a report or a risk score reads the reasons without parsing
prose. Each factor also carries one plain sentence an officer can read out; the CSV
exports keep the older prose beside it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Value = str | int | float | bool | None


@dataclass(frozen=True)
class Factor:
    """One reason. `threshold` is the bar `value` was held to (None when there is no bar);
    `weight` what the factor contributes to a score; `subject` the number, person or line
    the factor is about when that is not the row it is attached to."""

    name: str
    value: Value
    text: str
    threshold: Value = None
    weight: float | None = None
    subject: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "value": _plain(self.value)}
        if self.threshold is not None:
            out["threshold"] = _plain(self.threshold)
        if self.weight is not None:
            out["weight"] = self.weight
        if self.subject is not None:
            out["subject"] = self.subject
        out["text"] = self.text
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Factor:
        return cls(
            name=str(d["name"]),
            value=d.get("value"),
            text=str(d.get("text", "")),
            threshold=d.get("threshold"),
            weight=d.get("weight"),
            subject=d.get("subject"),
        )


def _plain(v: Any) -> Value:
    """Numbers as JSON numbers, whatever type the engine gave them (Decimal, numpy)."""
    if v is None or isinstance(v, str | bool | int | float):
        return v
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if hasattr(v, "item"):
        return _plain(v.item())
    return str(v)


def to_json(factors: Iterable[Factor]) -> str:
    """Stable text (keys in a fixed order, floats as Python writes them), so two runs on
    the same data store byte-identical evidence."""
    return json.dumps([f.to_dict() for f in factors], ensure_ascii=False)


def from_json(text: str | None) -> list[Factor]:
    if not text:
        return []
    return [Factor.from_dict(d) for d in json.loads(text)]
