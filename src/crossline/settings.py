"""One settings object for the whole house, read from CROSSLINE_* variables and an optional
crossline.toml, so the CLI, the API and tests agree on where things live."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


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

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # explicit arguments, then CROSSLINE_* variables, then crossline.toml
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @property
    def store_path(self) -> Path:
        return self.workspace / "crossline.duckdb"

    @property
    def quarantine_dir(self) -> Path:
        return self.workspace / "quarantine"

    @property
    def temp_dir(self) -> Path:
        return self.workspace / "tmp"
