"""The whole configuration of a run, loaded once: the house settings plus the analyses'
parameters ([lines], [persons], [safeguarding], [supply], [risk] of the workspace's
crossline.toml, each overridable by CROSSLINE_<SECTION>__<NAME> variables), validated together.

The analyses' parameters are hashed, so that a stored result says exactly which
parameters made it; where the engine lives and how many threads it uses is left out of
the hash, since it does not change a result.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, model_validator

from crossline.analyse.lines.config import LinesConfig
from crossline.analyse.persons.config import PersonsConfig
from crossline.analyse.risk.config import RiskConfig
from crossline.analyse.safeguard.config import SafeguardingConfig
from crossline.analyse.supply.config import SupplyConfig
from crossline.settings import ConfigError, Settings

SECTIONS: dict[str, type[BaseModel]] = {
    "lines": LinesConfig,
    "persons": PersonsConfig,
    "safeguarding": SafeguardingConfig,
    "supply": SupplyConfig,
    "risk": RiskConfig,
}


class Configuration(Settings):
    lines: LinesConfig = Field(default_factory=LinesConfig)
    persons: PersonsConfig = Field(default_factory=PersonsConfig)
    safeguarding: SafeguardingConfig = Field(default_factory=SafeguardingConfig)
    supply: SupplyConfig = Field(default_factory=SupplyConfig)
    risk: RiskConfig = Field(default_factory=RiskConfig)

    @model_validator(mode="before")
    @classmethod
    def _known_parameters(cls, data: Any) -> Any:
        """A misspelt parameter is an error in every section (some section models
        ignore unknown names on their own)."""
        if isinstance(data, dict):
            for name, model in SECTIONS.items():
                section = data.get(name)
                if isinstance(section, dict):
                    unknown = sorted(set(section) - set(model.model_fields))
                    if unknown:
                        raise ValueError(f"unknown parameter {name}.{unknown[0]}")
        return data

    def analysis_parameters(self) -> dict[str, Any]:
        return {name: getattr(self, name).model_dump(mode="json") for name in SECTIONS}

    def parameters_json(self) -> str:
        return json.dumps(self.analysis_parameters(), sort_keys=True, separators=(",", ":"))

    def config_hash(self) -> str:
        return hashlib.sha256(self.parameters_json().encode()).hexdigest()[:16]


def load_configuration(workspace: Path | None = None, **overrides: Any) -> Configuration:
    """Settings and parameters of a workspace; ConfigError (one line) when unusable.
    `overrides` are settings given on the command line (engine), above file and env."""
    return Configuration.for_workspace(workspace, **overrides)


__all__ = ["SECTIONS", "ConfigError", "Configuration", "load_configuration"]
