"""Staging one sheet of an Excel workbook, as a delimited file would be staged.

Forces export nominals from spreadsheets; asking them to re-save as CSV loses leading zeros
and dates on the way. The sheet is read with python-calamine (Rust, no Excel needed) and
each cell written as the text a CSV export of it would hold: a whole number without `.0`,
a date as `YYYY-MM-DD`, a date-time as `YYYY-MM-DD hh:mm:ss`, so the same rules validate
it. Line numbers are the sheet's row numbers (header = row 1); a raw row is the cells
joined by commas as a CSV writer would.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from pathlib import Path

from crossline.engine.base import Engine
from crossline.ingest.columns import header_mapping
from crossline.ingest.csv_stage import BATCH_ROWS, _Batch
from crossline.ingest.mapping import FileMapping
from crossline.ingest.progress import ProgressCallback
from crossline.model.schema import FileSpec

CellValue = int | float | str | bool | date | datetime | time | timedelta | None


def cell_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(int(value.total_seconds()))
    return str(value)


def _raw(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def stage_xlsx(
    engine: Engine,
    table: str,
    spec: FileSpec,
    path: Path,
    sheet: str,
    source: str,
    progress: ProgressCallback,
    mapping: FileMapping | None = None,
) -> int:
    """Append one sheet's rows to the staging table; returns records staged."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    if not rows:
        return 0
    header = [cell_text(v) for v in rows[0]]
    positions = header_mapping(spec, header, source, mapping)
    names = list(positions)
    batch = _Batch(str(path), names, [positions[n] for n in names])
    staged = 0
    ncols = len(header)
    for i, values in enumerate(rows[1:], start=2):
        cells = [cell_text(v) for v in values]
        if not any(c.strip() for c in cells):
            continue  # an empty row
        cells = (cells + [""] * ncols)[:ncols] if len(cells) != ncols else cells
        batch.lines.append(i)
        batch.raws.append(_raw(cells))
        batch.rows.append(cells)
        if len(batch) >= BATCH_ROWS:
            staged += len(batch)
            batch.flush(engine, table)
    staged += len(batch)
    batch.flush(engine, table)
    progress.advance(path.stat().st_size)
    return staged
