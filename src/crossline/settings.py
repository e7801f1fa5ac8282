"""One settings object for the whole house, read from CROSSLINE_* variables and an optional
crossline.toml, so the CLI, the API and tests agree on where things live."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CROSSLINE_", toml_file="crossline.toml", extra="ignore"
    )

    workspace: Path = Field(
        default=Path("crossline-workspace"),
        description="Folder holding the analytical store, quarantine and exports.",
    )
    engine: str = Field(default="duckdb", description="Analytical engine: duckdb (default).")
    memory_limit: str = Field(
        default="4GB", description="Memory the analytical engine may use before spilling."
    )
    threads: int = Field(default=2, ge=1, description="Worker threads for the engine.")

    @property
    def store_path(self) -> Path:
        return self.workspace / "crossline.duckdb"

    @property
    def quarantine_dir(self) -> Path:
        return self.workspace / "quarantine"

    @property
    def temp_dir(self) -> Path:
        return self.workspace / "tmp"
