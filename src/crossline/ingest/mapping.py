"""Mapping files: a provider's own export read as the contract, without editing it.

A mapping file (TOML) says, per contract file, which of the delivery's files are that file
(`files`, name patterns), which of their header names are which contract column
(`[comms.columns]`) and which of their values are which contract value
(`[comms.values.kind]`). Header names and values are matched trimmed and
case-insensitively. Everything in it is checked against the contract before anything is
loaded: a wrong mapping would load wrong data silently, so it is refused with one line.
See docs/ingest.md for an example.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crossline.ingest.errors import MappingError
from crossline.model.schema import INPUT_BY_NAME


@dataclass(frozen=True)
class FileMapping:
    files: tuple[str, ...] = ()  # name patterns, e.g. "CDR_*.csv"
    columns: dict[str, str] = field(default_factory=dict)  # lower header -> contract column
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> lower -> value

    def names_file(self, name: str) -> bool:
        return any(fnmatch.fnmatch(name.lower(), p.lower()) for p in self.files)


@dataclass(frozen=True)
class Mapping:
    files: dict[str, FileMapping] = field(default_factory=dict)

    def get(self, spec_name: str) -> FileMapping | None:
        return self.files.get(spec_name)

    def file_for(self, name: str) -> str | None:
        """The contract file a delivery's file is mapped to by name, if any."""
        for spec_name, fm in self.files.items():
            if fm.names_file(name):
                return spec_name
        return None


def _strings(where: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise MappingError(f'{where} must be a table of "name" = "name" lines')
    return {k.strip().lower(): v.strip() for k, v in value.items()}


def parse_mapping(doc: dict[str, Any], where: str = "mapping") -> Mapping:
    out: dict[str, FileMapping] = {}
    for name, body in doc.items():
        spec = INPUT_BY_NAME.get(name)
        if spec is None:
            raise MappingError(
                f"{where}: [{name}] is not a contract file (one of {', '.join(INPUT_BY_NAME)})"
            )
        if not isinstance(body, dict):
            raise MappingError(f"{where}: [{name}] must be a table")
        unknown = set(body) - {"files", "columns", "values"}
        if unknown:
            raise MappingError(f"{where}: [{name}] has unknown keys: {', '.join(sorted(unknown))}")
        files = body.get("files", [])
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise MappingError(f"{where}: {name}.files must be a list of file name patterns")
        columns = _strings(f"{where}: [{name}.columns]", body.get("columns", {}))
        for header, col in columns.items():
            if col not in spec.names:
                raise MappingError(
                    f"{where}: [{name}.columns] maps {header!r} to {col!r}, "
                    f"which is not a {name} column"
                )
        raw_values = body.get("values", {})
        if not isinstance(raw_values, dict):
            raise MappingError(f"{where}: [{name}.values] must hold one table per column")
        values: dict[str, dict[str, str]] = {}
        for col, table in raw_values.items():
            if col not in spec.names:
                raise MappingError(f"{where}: [{name}.values.{col}]: not a {name} column")
            values[col] = _strings(f"{where}: [{name}.values.{col}]", table)
        out[name] = FileMapping(files=tuple(files), columns=columns, values=values)
    return Mapping(out)


def load_mapping(path: Path) -> Mapping:
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        raise MappingError(f"mapping file not found: {path}") from None
    except IsADirectoryError:
        raise MappingError(f"mapping file is a folder: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise MappingError(f"{path}: not UTF-8 text") from None
    return parse_mapping(doc, str(path))
