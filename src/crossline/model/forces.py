"""Force reference data: the 43 territorial forces of England and Wales, BTP, Police
Scotland and PSNI, shipped with the package so that an offline laptop has them."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Force:
    force_id: str
    name: str
    lat: float
    lon: float
    territorial: bool


@cache
def forces() -> dict[str, Force]:
    text = resources.files("crossline.model").joinpath("data/forces.csv").read_text("utf-8")
    out: dict[str, Force] = {}
    for row in csv.DictReader(io.StringIO(text)):
        out[row["force_id"]] = Force(
            force_id=row["force_id"],
            name=row["name"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            territorial=row["territorial"].strip().lower() == "true",
        )
    return out


def force_ids() -> frozenset[str]:
    return frozenset(forces())
