"""Parquet files are validated straight from the engine's Parquet reader: no Python row
loop and no staging copy. Line numbers are the row index within each file plus one."""

from __future__ import annotations

from pathlib import Path

from crossline.engine.base import Engine
from crossline.ingest.errors import MissingColumnError
from crossline.ingest.sql import ident
from crossline.ingest.validate import LINE, PATH, Staged
from crossline.model.schema import FileSpec


def stage_parquet(engine: Engine, spec: FileSpec, paths: list[Path], source: str) -> Staged:
    """Describe the Parquet files as a Staged relation (raises MissingColumnError)."""
    src = engine.parquet_source([str(p) for p in paths])
    names: list[str] = engine.query(f"SELECT * FROM {src} LIMIT 0").schema.names
    wanted = set(spec.names)
    mapping: dict[str, str] = {}
    for n in names:
        key = n.strip().lower()
        if key in wanted and key not in mapping:
            mapping[key] = n
    for col in spec.required:
        if col not in mapping:
            raise MissingColumnError(spec.name, col, source)
    relation = (
        f"(SELECT filename AS {PATH}, file_row_number + 1 AS {LINE}, "
        f"{', '.join(ident(n) for n in names)} FROM {src})"
    )
    values = {c: f"CAST(r.{ident(orig)} AS VARCHAR)" for c, orig in mapping.items()}
    raw = "to_json(struct_pack(" + ", ".join(f"{ident(n)} := {ident(n)}" for n in names) + "))"
    return Staged(relation=relation, values=values, raw=raw, err="CAST(NULL AS VARCHAR)")


def parquet_rows(engine: Engine, paths: list[Path]) -> int:
    src = engine.parquet_source([str(p) for p in paths])
    return int(engine.scalar(f"SELECT count(*) FROM {src}"))
