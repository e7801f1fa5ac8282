"""Loading a dataset folder into the store, one contract file at a time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crossline.engine.base import Engine
from crossline.ingest.commit import commit_file, export_quarantine, fault_point
from crossline.ingest.csv_stage import STAGE_META, create_stage, stage_csv
from crossline.ingest.discover import Source, discover
from crossline.ingest.errors import MissingColumnError
from crossline.ingest.parquet_stage import parquet_rows, stage_parquet
from crossline.ingest.phones import build_phone_map, common_numbers_only, empty_phone_map
from crossline.ingest.progress import NoProgress, ProgressCallback
from crossline.ingest.report import FileCounts, IngestReport
from crossline.ingest.sql import ident
from crossline.ingest.store import ensure_tables
from crossline.ingest.validate import (
    CLEAN_VIEW,
    PHONE_TABLE,
    VALID_VIEW,
    Staged,
    build_clean_view,
    build_validated,
    may_repeat_keys,
)

STAGE_TABLE = "_ingest_stage"


def _cleanup(engine: Engine) -> None:
    engine.execute(f"DROP VIEW IF EXISTS {VALID_VIEW}")
    engine.execute(f"DROP VIEW IF EXISTS {CLEAN_VIEW}")
    for t in (PHONE_TABLE, STAGE_TABLE):
        engine.execute(f"DROP TABLE IF EXISTS {t}")


def _stage(engine: Engine, source: Source, progress: ProgressCallback) -> tuple[Staged, int]:
    """The staged file and its number of records."""
    spec = source.spec
    if source.format == "parquet":
        staged = stage_parquet(engine, spec, list(source.paths), source.label)
        rows = parquet_rows(engine, list(source.paths))
        progress.start(source.label, rows, "rows")
        return staged, rows
    total = sum(p.stat().st_size for p in source.paths)
    progress.start(source.label, total, "bytes")
    create_stage(engine, STAGE_TABLE, spec)
    rows = 0
    for path in source.paths:
        rows += stage_csv(engine, STAGE_TABLE, spec, path, source.display(path), progress)
    values = {n: f"r.{ident(n)}" for n in spec.names}
    _path, _line, raw, err = STAGE_META
    return Staged(relation=STAGE_TABLE, values=values, raw=raw, err=f"r.{err}"), rows


def load_source(
    engine: Engine, source: Source, progress: ProgressCallback, today: date | None = None
) -> FileCounts:
    """Stage, validate and commit one source. Raises MissingColumnError before touching
    the store when a required column is absent."""
    spec = source.spec
    _cleanup(engine)
    try:
        staged, rows = _stage(engine, source, progress)
        fault_point(spec.name, "staged")
        build_clean_view(engine, spec, staged)
        day = today or date.today()
        repeated = may_repeat_keys(engine, spec, staged)
        paths = {str(p): source.display(p) for p in source.paths}

        def with_map() -> None:
            build_phone_map(engine, spec)
            build_validated(engine, spec, staged, day)

        if not repeated and common_numbers_only(engine, spec):
            # optimistic: validate without the phone map; it is built only if needed
            empty_phone_map(engine)
            build_validated(engine, spec, staged, day)
            counts = commit_file(engine, spec, paths, rows, repeated, with_map)
        else:
            with_map()
            counts = commit_file(engine, spec, paths, rows, repeated)
        if source.format == "parquet":
            progress.advance(rows)
    finally:
        progress.done()
        _cleanup(engine)
    return counts


def ingest_dataset(
    engine: Engine,
    dataset_dir: Path,
    quarantine_dir: Path,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Load every contract file found in `dataset_dir` into the store.

    Each file is committed on its own, all or nothing, and re-loading is idempotent. Bad
    rows go to the quarantine table and `quarantine_dir/<file>.csv`. A file missing a
    required column is refused (recorded in `report.refused`) and the others still load.
    """
    progress = progress or NoProgress()
    dataset_dir = Path(dataset_dir).resolve()
    ensure_tables(engine)
    report = IngestReport()
    sources = discover(dataset_dir)
    for spec_name in dict.fromkeys(s.spec.name for s in sources):
        group = [s for s in sources if s.spec.name == spec_name]
        report.present.append(spec_name)
        done_paths: list[str] = []
        for source in group:
            try:
                report.files[spec_name] += load_source(engine, source, progress)
            except MissingColumnError as exc:
                report.refused[spec_name] = exc
                continue
            done_paths += [str(p) for p in source.paths]
        if done_paths:
            export_quarantine(engine, group[0].spec, done_paths, quarantine_dir)
    return report
