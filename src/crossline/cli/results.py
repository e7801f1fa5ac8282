"""How the CLI shows and writes what the run service stores: CSV in the data contract's
columns, one-line failures, and the stale-result warning. Running and storing live in
`crossline.runs`; nothing here computes a result."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import typer
from rich.console import Console
from rich.markup import escape

from crossline.model import outputs as o
from crossline.model.csv_safe import safe_cell
from crossline.runs import ConfigError, RunError, Stored
from crossline.runs.ids import ALIAS_COLUMNS
from crossline.runs.service import WorkspaceBusy

# what `export` writes -> its columns
EXPORTS: dict[str, tuple[str, ...]] = {
    **{name: spec.export_columns for name, spec in o.EXPORTS.items()},
    "aliases": ALIAS_COLUMNS,
}

err = Console(stderr=True)


def fail(message: str, code: int) -> typer.Exit:
    """Say what is wrong in one line (never wrapped, never a traceback)."""
    err.print(f"[red]Error:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def said_clearly() -> Iterator[None]:
    """Turns the service's refusals into one line and an exit code: 2 for a bad
    configuration, 1 for a workspace that holds no answer yet."""
    try:
        yield
    except ConfigError as exc:
        raise fail(f"bad configuration: {exc}", 2) from exc
    except WorkspaceBusy as exc:  # the line says it all: no "Error:" before it
        err.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from exc
    except RunError as exc:
        raise fail(str(exc), exc.exit_code) from exc


def warn_if_stale(stored: Stored, what: str) -> None:
    if stored.stale:
        err.print(
            f"[yellow]Warning:[/] {what} come from run {stored.run.run_id} "
            f"({_iso(stored.run.finished_at)}); data was loaded since. "
            "Run `crossline analyse` to bring them up to date.",
            soft_wrap=True,
        )


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _iso(value)
    return value


def write_csv(table: pa.Table, out: Path, columns: tuple[str, ...]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for r in table.select(list(columns)).to_pylist():
            w.writerow([safe_cell(_cell(r[c])) for c in columns])
