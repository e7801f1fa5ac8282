"""Where the CLI keeps analysis results: tables in the workspace's analytical store, so
export and evaluate read what `analyse` produced instead of recomputing it."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path
from typing import Any

import pyarrow as pa
from pydantic import ValidationError
from rich.console import Console

from crossline.analyse.lines.config import LinesConfig
from crossline.analyse.persons.config import PersonsConfig
from crossline.analyse.pipeline import STEPS, Results, run_all
from crossline.engine.base import Engine
from crossline.model import outputs as o

TABLES = {
    "lines": ("line_register", o.LINE_REGISTER.export_columns, "confidence DESC, line_id"),
    "persons": ("persons", o.PERSONS.export_columns, "person_id, force, record_id"),
    "safeguarding": ("safeguarding", o.SAFEGUARDING.export_columns, "person_id"),
}
PHONE_PERSONS = "phone_persons"
CONFIG_FILE = Path("crossline.toml")


def analysis_configs(path: Path = CONFIG_FILE) -> tuple[LinesConfig, PersonsConfig]:
    """[lines] and [persons] of crossline.toml, validated; defaults where absent."""
    doc: dict[str, Any] = {}
    if path.is_file():
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    try:
        return LinesConfig(**doc.get("lines", {})), PersonsConfig(**doc.get("persons", {}))
    except ValidationError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


class ConfigError(ValueError):
    """crossline.toml holds a parameter that is unknown or of the wrong type."""


def analyse_and_store(engine: Engine, console: Console) -> Results:
    lines_cfg, persons_cfg = analysis_configs()
    with console.status("Analysing...") as status:

        def step(name: str) -> None:
            status.update(f"Analysing: {name} ({STEPS.index(name) + 1}/{len(STEPS)})")

        results = run_all(engine, step, lines_cfg, persons_cfg)
    engine.replace_table(TABLES["lines"][0], results.register)
    engine.replace_table(TABLES["persons"][0], results.persons)
    engine.replace_table(TABLES["safeguarding"][0], results.safeguarding)
    engine.replace_table(PHONE_PERSONS, results.phone_persons)
    return results


def stored(engine: Engine, what: str, console: Console) -> pa.Table:
    """A stored result; runs the analyses first if the workspace has none yet."""
    table, _, order = TABLES[what]
    if not engine.has_table(table):
        analyse_and_store(engine, console)
    return engine.query(f"SELECT * FROM {table} ORDER BY {order}")


def write_csv(table: pa.Table, out: Path, columns: tuple[str, ...]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for r in table.select(list(columns)).to_pylist():
            w.writerow(["" if r[c] is None else r[c] for c in columns])
