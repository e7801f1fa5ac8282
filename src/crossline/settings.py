"""One settings object for the whole house, so the CLI, the API and tests agree on where
things live.

Where the workspace is: `--workspace` (an explicit argument), else $CROSSLINE_WORKSPACE,
else `workspace = "..."` in ./crossline.toml, else ./crossline-workspace. Everything
else comes from explicit arguments, then CROSSLINE_* variables, then the workspace's own
crossline.toml (WORKSPACE/crossline.toml), then the defaults: a workspace carries its
configuration with it, whatever folder a command runs in. Nested values take a double
underscore in a variable: CROSSLINE_LINES__BURST_GAP_S=200 sets burst_gap_s in [lines].
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Self, cast

from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

CONFIG_FILE = "crossline.toml"
DEFAULT_WORKSPACE = Path("crossline-workspace")
ENV_PREFIX = "CROSSLINE_"


class ConfigError(ValueError):
    """The configuration cannot be used: said in one line, naming the file or variable."""


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict ({} when absent); a malformed one is a ConfigError."""
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path} cannot be read: {exc.strerror}") from exc


def locate_workspace(explicit: Path | None = None) -> Path:
    if explicit is not None:
        return explicit
    if env := os.environ.get(f"{ENV_PREFIX}WORKSPACE"):
        return Path(env)
    here = read_toml(Path(CONFIG_FILE)).get("workspace")
    if here is not None:
        if not isinstance(here, str):
            raise ConfigError(f"{CONFIG_FILE}: workspace must be a folder name (a string)")
        return Path(here)
    return DEFAULT_WORKSPACE


def one_line(exc: ValidationError) -> str:
    """A validation error as one line: where, and what is wrong."""
    parts = []
    for e in exc.errors():
        where = ".".join(str(x) for x in e["loc"]) or "(top level)"
        parts.append(f"{where}: {e['msg']}")
    return "; ".join(parts)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="ignore"
    )

    workspace: Path = Field(
        default=DEFAULT_WORKSPACE,
        description="Folder holding the analytical store, quarantine and exports.",
    )
    engine: str = Field(
        default="duckdb",
        description="Analytical engine: duckdb (default, one machine) or spark (the "
        "`spark` extra; ingest still validates on DuckDB and the tables are mirrored as "
        "Parquet that Spark reads in place).",
    )
    spark_master: str = Field(
        default="local[*]",
        description="Where Spark runs (engine spark): local[N] on this machine, "
        "spark://host:7077, yarn or k8s://https://host:443 for a cluster.",
    )
    spark_driver_memory: str = Field(
        default="2g",
        description="Spark driver memory: it holds only results (register-sized), never the comms.",
    )
    spark_executor_memory: str = Field(default="2g", description="Memory of each Spark executor.")
    spark_shuffle_partitions: int = Field(
        default=8,
        ge=1,
        description="Partitions of each shuffle; a cluster wants about 2-3 per executor core "
        "(adaptive execution merges small ones).",
    )
    memory_limit: str = Field(
        default="4GB", description="Memory the analytical engine may use before spilling."
    )
    threads: int = Field(default=2, ge=1, description="Worker threads for the engine.")
    database_url: str | None = Field(
        default=None,
        description="The shared service's operational store, as a SQLAlchemy URL "
        "(postgresql://...); default: a SQLite file in the workspace.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # explicit arguments, then CROSSLINE_* variables, then the bound crossline.toml
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @classmethod
    def for_workspace(cls, workspace: Path | None = None, **overrides: Any) -> Self:
        """The settings of a workspace (located as the module says), its crossline.toml
        read once; ConfigError, in one line, for a malformed file or a bad value.
        `overrides` (a command-line flag such as --engine) win over both."""
        ws = locate_workspace(workspace)
        toml = ws / CONFIG_FILE
        read_toml(toml)  # a syntax error is reported as such, not as a validation error
        bound = cast(
            type[Self],
            type(cls.__name__, (cls,), {"model_config": {**cls.model_config, "toml_file": toml}}),
        )
        try:
            return bound(workspace=ws, **overrides)
        except ValidationError as exc:
            raise ConfigError(f"{toml} or {ENV_PREFIX}* variables: {one_line(exc)}") from exc

    @property
    def config_file(self) -> Path:
        return self.workspace / CONFIG_FILE

    @property
    def store_path(self) -> Path:
        return self.workspace / "crossline.duckdb"

    @property
    def spark_warehouse(self) -> Path:
        """The Parquet tables the Spark engine reads and writes (engine/spark)."""
        return self.workspace / "spark"

    @property
    def quarantine_dir(self) -> Path:
        return self.workspace / "quarantine"

    @property
    def temp_dir(self) -> Path:
        return self.workspace / "tmp"
