"""The risk weights as a typed configuration ([risk] in crossline.toml).

The values live in the shipped weights.toml (package data, versioned), not here: a
workspace overrides any of them under [risk], [risk.harm], [risk.reach] ..., and whatever
it leaves out keeps the shipped value, so an override of one weight never silently
resets the rest. Every score is stamped with `stamp()`: the version and a digest of the
weights actually used, so two scores made under different weights never pass as one.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HarmWeights(_Section):
    child_exploited: float = Field(ge=0)
    runner_age_unknown: float = Field(ge=0)
    vulnerable_adult: float = Field(ge=0)
    cuckooed_address: float = Field(ge=0)
    violence_incident: float = Field(ge=0)
    weapon_seizure: float = Field(ge=0)
    firearm: float = Field(ge=0)
    modern_slavery_offence: float = Field(ge=0)
    missing_episode: float = Field(ge=0)
    max_items: int = Field(ge=1)


class SupplyWeights(_Section):
    per_confirmed_transaction_day: float = Field(ge=0)
    drugs_seizure: float = Field(ge=0)
    cash_seizure: float = Field(ge=0)
    max_points: float = Field(ge=0)


class LikelihoodWeights(_Section):
    floor: float = Field(ge=0, le=1)
    grading: float = Field(ge=0)
    corroborated: float = Field(ge=0)
    no_intelligence: float = Field(ge=0, lt=1)
    source: dict[str, float]
    assessment: dict[str, float]


class ReachWeights(_Section):
    county: float = Field(ge=0)
    unknown_scope: float = Field(ge=0)
    extra_area: float = Field(ge=0)
    per_30_days: float = Field(ge=0)
    max_longevity: float = Field(ge=0)
    number_change: float = Field(ge=0)
    max_number_changes: int = Field(ge=0)
    reemerged: float = Field(ge=0)


class OrganisationWeights(_Section):
    per_other_line_held: float = Field(ge=0)
    per_linked_line: float = Field(ge=0)
    max_links: int = Field(ge=0)


@cache
def shipped() -> dict[str, Any]:
    """The weights Crossline ships (weights.toml beside this module)."""
    text = resources.files("crossline.analyse.risk").joinpath("weights.toml").read_text("utf-8")
    return tomllib.loads(text)


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


class RiskConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(
        default_factory=lambda: str(shipped()["version"]),
        description="The weights' version, stamped on every score.",
    )
    scale: float = Field(
        default_factory=lambda: float(shipped()["scale"]),
        gt=0,
        description="Points at which thr_score reads 63 (1 - 1/e).",
    )
    harm: HarmWeights = Field(default_factory=lambda: HarmWeights(**shipped()["harm"]))
    supply: SupplyWeights = Field(default_factory=lambda: SupplyWeights(**shipped()["supply"]))
    likelihood: LikelihoodWeights = Field(
        default_factory=lambda: LikelihoodWeights(**shipped()["likelihood"])
    )
    reach: ReachWeights = Field(default_factory=lambda: ReachWeights(**shipped()["reach"]))
    organisation: OrganisationWeights = Field(
        default_factory=lambda: OrganisationWeights(**shipped()["organisation"])
    )

    @model_validator(mode="before")
    @classmethod
    def _over_shipped(cls, data: Any) -> Any:
        """What the workspace gives, laid over the shipped weights."""
        if isinstance(data, BaseModel):
            data = data.model_dump()
        return _merged(shipped(), data if isinstance(data, dict) else {})

    def stamp(self) -> str:
        """`version+digest`: the digest of every weight, so an override shows."""
        body = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return f"{self.version}+{hashlib.sha256(body.encode()).hexdigest()[:8]}"
