"""Loading a dataset folder into the store, one contract file at a time.

Bad input never stops a load: a bad row is quarantined, and a file that cannot be read at
all (missing columns, a broken gzip, a corrupt Parquet file or workbook) is refused with one
line while the other files still load.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from crossline.engine.base import Engine
from crossline.ingest.commit import commit_file, export_quarantine, fault_point
from crossline.ingest.csv_fast import Scan, fast_csv, fill_raw, scan_fast
from crossline.ingest.csv_stage import STAGE_META, create_stage, stage_csv
from crossline.ingest.discover import Source, discover
from crossline.ingest.errors import IngestError, UnreadableFileError
from crossline.ingest.mapping import FileMapping, Mapping
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
from crossline.ingest.xlsx_stage import stage_xlsx

STAGE_TABLE = "_ingest_stage"
# CROSSLINE_INGEST_EXACT_CSV=1 sends every delimited file down the exact path.
EXACT_CSV_ENV = "CROSSLINE_INGEST_EXACT_CSV"


def _cleanup(engine: Engine) -> None:
    engine.execute(f"DROP VIEW IF EXISTS {VALID_VIEW}")
    engine.execute(f"DROP VIEW IF EXISTS {CLEAN_VIEW}")
    for t in (PHONE_TABLE, STAGE_TABLE):
        engine.execute(f"DROP TABLE IF EXISTS {t}")


def exact_csv() -> bool:
    """Whether every delimited file takes the exact path (for tests that hold the two
    paths to each other)."""
    return os.environ.get(EXACT_CSV_ENV, "") == "1"


def _stage(
    engine: Engine, source: Source, progress: ProgressCallback, fm: FileMapping | None
) -> tuple[Staged, int]:
    """The staged file (Parquet, or a delimited file or workbook on the exact path) and its
    number of records."""
    spec = source.spec
    if source.format == "parquet":
        staged = stage_parquet(engine, spec, list(source.paths), source.label, fm)
        rows = parquet_rows(engine, list(source.paths))
        progress.start(source.label, rows, "rows")
        return staged, rows
    total = sum(p.stat().st_size for p in source.paths)
    progress.start(source.label, total, "bytes")
    create_stage(engine, STAGE_TABLE, spec)
    rows = 0
    for path in source.paths:
        shown = source.display(path)
        if source.format == "xlsx":
            assert source.sheet is not None
            rows += stage_xlsx(engine, STAGE_TABLE, spec, path, source.sheet, shown, progress, fm)
        else:
            rows += stage_csv(engine, STAGE_TABLE, spec, path, shown, progress, fm)
    values = {n: f"r.{ident(n)}" for n in spec.names}
    _path, _line, raw, err = STAGE_META
    return Staged(relation=STAGE_TABLE, values=values, raw=raw, err=f"r.{err}"), rows


def _prepare(
    engine: Engine,
    source: Source,
    progress: ProgressCallback,
    fm: FileMapping | None,
    today: date,
) -> tuple[Staged, int, bool, Scan | None]:
    """Stage the source and define the clean view: (staged, records, whether a key may
    repeat, the fast path's scan: None on the other paths). A delimited file the fast path
    cannot read exactly takes the exact path."""
    spec = source.spec
    values = fm.values if fm else None
    if source.format == "csv" and not exact_csv():
        fast = fast_csv(engine, spec, list(source.paths), source.label, fm)
        if fast is not None:
            staged, lines = fast
            build_clean_view(engine, spec, staged, values)
            scan = scan_fast(engine, spec, staged, lines, today)
            if scan is not None:
                total = sum(p.stat().st_size for p in source.paths)
                progress.start(source.label, total, "bytes")
                progress.advance(total)
                return staged, scan.records, scan.repeated, scan
    staged, rows = _stage(engine, source, progress, fm)
    build_clean_view(engine, spec, staged, values)
    return staged, rows, may_repeat_keys(engine, spec, staged), None


def load_source(
    engine: Engine,
    source: Source,
    progress: ProgressCallback,
    today: date | None = None,
    mapping: FileMapping | None = None,
) -> FileCounts:
    """Stage, validate and commit one source. Raises MissingColumnError before touching
    the store when a required column is absent."""
    spec = source.spec
    _cleanup(engine)
    try:
        day = today or date.today()
        staged, rows, repeated, scan = _prepare(engine, source, progress, mapping, day)
        # The fast path stages no raw text: the quarantine's is read back from the files.
        fill = (lambda load_id: fill_raw(engine, load_id)) if scan else None
        notes = scan.notes if scan else None
        fault_point(spec.name, "staged")
        paths = {str(p): source.display(p) for p in source.paths}

        def with_map() -> None:
            build_phone_map(engine, spec)
            build_validated(engine, spec, staged, day)

        if not repeated and common_numbers_only(engine, spec):
            # optimistic: validate without the phone map; it is built only if needed
            empty_phone_map(engine)
            build_validated(engine, spec, staged, day)
            counts = commit_file(engine, spec, paths, rows, repeated, with_map, fill, notes)
        else:
            with_map()
            counts = commit_file(engine, spec, paths, rows, repeated, fill_raw=fill, notes=notes)
        if source.format == "parquet":
            progress.advance(rows)
    finally:
        progress.done()
        _cleanup(engine)
    return counts


def _load_guarded(
    engine: Engine, source: Source, progress: ProgressCallback, mapping: FileMapping | None
) -> FileCounts:
    """load_source, with a file that cannot be read turned into a one-line refusal."""
    try:
        return load_source(engine, source, progress, mapping=mapping)
    except IngestError:
        raise
    except (OSError, EOFError, ValueError, LookupError) as exc:
        raise UnreadableFileError(source.spec.name, source.label, str(exc)) from exc
    except Exception as exc:
        # The engine's own errors (a corrupt Parquet file, a cast it refuses) are not
        # importable here; any of them refuses this file only. (A test of the exception's
        # module name missed them: DuckDB's are defined in `_duckdb`.)
        if not engine.is_engine_error(exc):
            raise
        raise UnreadableFileError(source.spec.name, source.label, str(exc)) from exc


def ingest_dataset(
    engine: Engine,
    dataset_dir: Path,
    quarantine_dir: Path,
    progress: ProgressCallback | None = None,
    mapping: Mapping | None = None,
) -> IngestReport:
    """Load every contract file found in `dataset_dir` into the store.

    Each file is committed on its own, all or nothing, and re-loading is idempotent. Bad
    rows go to the quarantine table and `quarantine_dir/<file>.csv`. A file missing a
    required column, or that cannot be read, is refused (`report.refused`) and the others
    still load; every entry of the folder that is not read is in `report.not_read`.
    """
    progress = progress or NoProgress()
    dataset_dir = Path(dataset_dir).resolve()
    mapping = mapping or Mapping()
    ensure_tables(engine)
    report = IngestReport()
    sources, report.not_read = discover(dataset_dir, mapping)
    for spec_name in dict.fromkeys(s.spec.name for s in sources):
        group = [s for s in sources if s.spec.name == spec_name]
        report.present.append(spec_name)
        done = False
        for source in group:
            try:
                report.files[spec_name] += _load_guarded(
                    engine, source, progress, mapping.get(spec_name)
                )
            except IngestError as exc:
                report.refuse(spec_name, exc)
                continue
            done = True
        if done:
            export_quarantine(engine, group[0].spec, quarantine_dir)
    return report
