"""Force reference data: the 43 territorial forces of England and Wales, BTP, Police
Scotland and PSNI, shipped with the package so that an offline laptop has them."""

from __future__ import annotations

import csv
import io
import re
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
    aliases: tuple[str, ...] = ()


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
            aliases=tuple(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()),
        )
    return out


def force_ids() -> frozenset[str]:
    return frozenset(forces())


def force_key(text: str) -> str:
    """How a force's written name is compared: forces and providers write `Greater
    Manchester Police`, `greater-manchester` or `Avon & Somerset`, so case, punctuation and
    `&` are not meaningful. validate.force_key_sql is its SQL twin."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " and ")).split())


@cache
def force_names() -> dict[str, str]:
    """force_key of every id, name and common name -> force_id. A key claimed by two
    forces is dropped rather than guessed."""
    seen: dict[str, set[str]] = {}
    for f in forces().values():
        for text in (f.force_id, f.name, *f.aliases):
            seen.setdefault(force_key(text), set()).add(f.force_id)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1 and k}
