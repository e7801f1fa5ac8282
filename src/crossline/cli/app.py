"""`crossline` commands. Each maps one-to-one to a page of the user guide in docs/."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from crossline.engine.base import Engine
from crossline.engine.factory import open_engine
from crossline.settings import Settings
from crossline.simulate.config import PRESETS
from crossline.simulate.writer import write_world

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Crossline: one shared picture of county lines across forces.",
    rich_markup_mode="rich",
)
console = Console()
err = Console(stderr=True)


def settings_of(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


@app.callback()
def main(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace folder (default: $CROSSLINE_WORKSPACE or ./crossline-workspace).",
        ),
    ] = None,
) -> None:
    ctx.obj = Settings(workspace=workspace) if workspace is not None else Settings()


@app.command()
def simulate(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the dataset and truth/ to.")],
    size: Annotated[str, typer.Option(help="Preset: small, medium or large.")] = "small",
    lines: Annotated[int | None, typer.Option(help="County lines (overrides the preset).")] = None,
    people: Annotated[int | None, typer.Option(help="Population size.")] = None,
    days: Annotated[int | None, typer.Option(help="Days of traffic.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed: same seed, same world.")] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="csv, parquet, or auto (parquet above 50k people).")
    ] = "auto",
) -> None:
    """Generate a synthetic county-lines world with its ground truth."""
    if size not in PRESETS:
        raise typer.BadParameter(f"size must be one of {', '.join(PRESETS)}", param_hint="--size")
    if fmt not in ("auto", "csv", "parquet"):
        raise typer.BadParameter("format must be auto, csv or parquet", param_hint="--format")
    cfg = PRESETS[size]
    cfg = replace(
        cfg,
        lines=cfg.lines if lines is None else lines,
        people=cfg.people if people is None else people,
        days=cfg.days if days is None else days,
        seed=cfg.seed if seed is None else seed,
    )
    for name, value, least in (
        ("lines", cfg.lines, 1),
        ("people", cfg.people, 200),
        ("days", cfg.days, 7),
    ):
        if value < least:
            raise typer.BadParameter(f"must be at least {least}", param_hint=f"--{name}")
    from crossline.cli.progress import StageBars

    with StageBars(console) as bars:
        world = write_world(cfg, out_dir, fmt=fmt, progress=bars)
    console.print(
        f"[green]Simulated[/] {cfg.lines} lines, {cfg.people:,} people, {cfg.days} days "
        f"(seed {cfg.seed}) into [bold]{out_dir}[/]; ground truth in {out_dir / 'truth'}"
    )
    console.print(
        f"Exporter areas: {', '.join(sorted({world.places[x.exporter].name for x in world.lines}))}"
    )


@app.command()
def ingest(
    ctx: typer.Context,
    dataset_dir: Annotated[Path, typer.Argument(help="A dataset folder (data contract).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print counts as JSON.")] = False,
    mapping_file: Annotated[
        Path | None,
        typer.Option("--mapping", help="A TOML file mapping a provider's header names and values."),
    ] = None,
) -> None:
    """Load a dataset into the workspace: normalise, validate, quarantine bad rows."""
    from rich.markup import escape

    from crossline.cli.errors import (
        EXIT_BUSY,
        busy_message,
        dataset_problem,
        ingest_marker,
        is_busy,
    )
    from crossline.cli.progress import IngestBars
    from crossline.cli.views import ingest_table
    from crossline.ingest import IngestError, ingest_dataset
    from crossline.ingest.mapping import Mapping, load_mapping

    problem = dataset_problem(dataset_dir)
    if problem:
        err.print(f"[red]{escape(problem)}[/]", soft_wrap=True)
        raise typer.Exit(2)
    try:
        mapping = load_mapping(mapping_file) if mapping_file is not None else Mapping()
    except IngestError as exc:
        err.print(f"[red]Bad mapping file:[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2) from None
    st = settings_of(ctx)
    try:
        engine = open_engine(st)
    except Exception as exc:
        if not is_busy(exc):
            raise
        err.print(busy_message(exc, st.workspace), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_BUSY) from None
    try:
        quiet = Console(stderr=True, quiet=as_json)
        with ingest_marker(st.workspace), IngestBars(quiet) as bars:
            report = ingest_dataset(
                engine, dataset_dir, st.quarantine_dir, progress=bars, mapping=mapping
            )
    finally:
        engine.close()
    if as_json:
        print(json.dumps(report.to_json()))
    else:
        console.print(ingest_table(report, f"Loaded {dataset_dir}"))
        for name, c in report.files.items():
            if c.conflict or c.with_notes:
                console.print(
                    f"{name}: {c.conflict:,} conflicts (same key, other contents: quarantined), "
                    f"{c.with_notes:,} rows loaded with notes (an invalid optional value left "
                    "empty)"
                )
        if any(c.quarantined or c.conflict or c.with_notes for c in report.files.values()):
            console.print(
                f"Quarantined rows and notes, with reasons: {st.quarantine_dir}/<file>.csv"
            )
        for n in report.not_read:
            console.print(
                f"[yellow]Not read:[/] {escape(n.path)}: {escape(n.reason)}", soft_wrap=True
            )
    for refusal in report.errors:
        err.print(f"[red]Refused:[/] {escape(str(refusal))}", soft_wrap=True)
    if report.errors:
        raise typer.Exit(1)


@app.command()
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Show what the workspace holds, per file and per force or provider."""
    from crossline.ingest import status as store_status

    st = settings_of(ctx)
    with store(ctx) as engine:
        info = store_status(engine)
    if as_json:
        print(json.dumps(info, default=str))
        return
    table = Table(title=f"Workspace {st.workspace} ({info['loads']} file loads)")
    table.add_column("file")
    table.add_column("rows", justify="right")
    table.add_column("quarantined", justify="right")
    table.add_column("by force / provider", overflow="fold")
    for name, rows in info["tables"].items():
        groups = {**info["by_force"].get(name, {}), **info["by_provider"].get(name, {})}
        parts = ", ".join(f"{k or '(none)'}: {v:,}" for k, v in groups.items())
        table.add_row(name, f"{rows:,}", f"{info['quarantine'].get(name, 0):,}", parts)
    console.print(table)


@contextmanager
def store(ctx: typer.Context) -> Iterator[Engine]:
    """The workspace's analytical store, refusing clearly when nothing was ingested yet."""
    st = settings_of(ctx)
    if not st.store_path.exists():
        err.print(f"Workspace {st.workspace} is empty: run `crossline ingest DATASET_DIR` first.")
        raise typer.Exit(1)
    engine = open_engine(st)
    try:
        yield engine
    finally:
        engine.close()


@app.command()
def analyse(ctx: typer.Context) -> None:
    """Run every analysis built so far: line register, persons, safeguarding."""
    from crossline.cli.results import ConfigError, analyse_and_store
    from crossline.cli.views import lines_table, safeguarding_summary

    with store(ctx) as engine:
        try:
            results = analyse_and_store(engine, console)
        except ConfigError as exc:
            err.print(f"[red]Bad configuration:[/] {exc}")
            raise typer.Exit(2) from exc
    console.print(lines_table(results.register))
    console.print(safeguarding_summary(results.safeguarding))
    console.print(
        f"{results.register.num_rows} lines, {results.persons.num_rows} nominal records "
        f"resolved. Export with `crossline export lines|persons|safeguarding FILE.csv`."
    )


@app.command()
def export(
    ctx: typer.Context,
    what: Annotated[str, typer.Argument(help="lines, persons or safeguarding.")],
    out: Annotated[Path, typer.Argument(help="CSV file to write.")],
) -> None:
    """Write an analysis result as CSV in the data contract's columns."""
    from crossline.cli.results import TABLES, stored, write_csv

    if what not in TABLES:
        raise typer.BadParameter(f"choose one of: {', '.join(TABLES)}", param_hint="WHAT")
    with store(ctx) as engine:
        table = stored(engine, what, console)
    write_csv(table, out, TABLES[what][1])
    console.print(f"Wrote {table.num_rows} rows to {out}")


@app.command()
def evaluate(
    ctx: typer.Context,
    dataset_dir: Annotated[Path, typer.Argument(help="A simulated dataset with truth/.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Score the workspace's analyses against DATASET_DIR/truth (precision, recall, F1)."""
    from crossline.cli.results import stored
    from crossline.cli.views import measures_table
    from crossline.simulate.evaluate import evaluate_all

    truth = dataset_dir / "truth"
    if not (truth / "lines.csv").is_file():
        err.print(f"No ground truth in {truth}: evaluate needs a simulated dataset.")
        raise typer.Exit(2)
    with store(ctx) as engine:
        tables = {
            what: stored(engine, what, console) for what in ("lines", "persons", "safeguarding")
        }
    result = evaluate_all(tables["lines"], tables["persons"], tables["safeguarding"], truth)
    if as_json:
        print(json.dumps(result.to_json()))
        return
    console.print(measures_table(f"Against {truth}", result.rows()))


DEMO_MARKER = ".crossline-demo"


def _fresh_demo_workspace(st: Settings) -> None:
    """The demo starts from an empty workspace every time, so two runs never mix worlds; it
    only ever clears a workspace it created itself (marked), never one holding real data."""
    marker = st.workspace / DEMO_MARKER
    if st.store_path.exists() and not marker.exists():
        err.print(
            f"[red]{st.workspace} already holds a store that the demo did not create.[/] "
            "Run the demo with another --workspace (make demo uses ./demo-workspace)."
        )
        raise typer.Exit(2)
    if marker.exists():
        shutil.rmtree(st.workspace)
    st.workspace.mkdir(parents=True, exist_ok=True)
    marker.write_text("created by `crossline demo`; cleared on each demo run\n", "utf-8")


@app.command()
def demo(
    ctx: typer.Context,
    data: Annotated[Path, typer.Option(help="Where to write the demo world.")] = Path("demo-data"),
    seed: Annotated[int, typer.Option(help="Seed of the demo world.")] = 7,
) -> None:
    """Simulate a small world, load it and show what Crossline finds."""
    from crossline.cli.progress import IngestBars, StageBars
    from crossline.cli.results import analyse_and_store
    from crossline.cli.views import (
        ingest_table,
        lines_table,
        measures_table,
        safeguarding_summary,
    )
    from crossline.ingest import ingest_dataset

    st = settings_of(ctx)
    _fresh_demo_workspace(st)
    cfg = replace(PRESETS["small"], seed=seed)
    console.rule("[bold]1. Simulate a small county-lines world")
    with StageBars(console) as bars:
        write_world(cfg, data, fmt="csv", progress=bars)
    console.print(f"{cfg.lines} lines, {cfg.people:,} people, {cfg.days} days -> {data}")
    console.rule("[bold]2. Ingest it")
    engine = open_engine(st)
    try:
        with IngestBars(console) as ibars:
            report = ingest_dataset(engine, data, st.quarantine_dir, progress=ibars)
        console.print(ingest_table(report, "Loaded"))
        console.rule("[bold]3. Analyse: line register, persons, safeguarding")
        results = analyse_and_store(engine, console)
        console.print(lines_table(results.register))
        console.print(safeguarding_summary(results.safeguarding))
    finally:
        engine.close()
    console.rule("[bold]4. Score against the simulator's ground truth")
    from crossline.simulate.evaluate import evaluate_all

    score = evaluate_all(results.register, results.persons, results.safeguarding, data / "truth")
    console.print(measures_table("Measured against truth", score.rows()))
    console.print(
        f"Workspace: {st.workspace}. Next: `.venv/bin/crossline --workspace {st.workspace} "
        "export lines lines.csv` (or persons, safeguarding)"
    )
