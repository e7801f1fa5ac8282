"""`crossline` commands. Each maps one-to-one to a page of the user guide in docs/."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer
from rich.console import Console
from rich.table import Table

from crossline.engine.base import Engine
from crossline.engine.factory import open_engine
from crossline.model import schema as s
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


def engine_of(ctx: typer.Context) -> Engine:
    return open_engine(settings_of(ctx))


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
) -> None:
    """Load a dataset into the workspace: normalise, validate, quarantine bad rows."""
    from crossline.cli.progress import IngestBars
    from crossline.ingest import ingest_dataset

    if not dataset_dir.is_dir():
        err.print(f"[red]No such dataset folder:[/] {dataset_dir}")
        raise typer.Exit(2)
    st = settings_of(ctx)
    engine = open_engine(st)
    try:
        quiet = Console(stderr=True, quiet=as_json)
        with IngestBars(quiet) as bars:
            report = ingest_dataset(engine, dataset_dir, st.quarantine_dir, progress=bars)
    finally:
        engine.close()
    if as_json:
        print(json.dumps(report.to_json()))
    else:
        table = Table(title=f"Loaded {dataset_dir}")
        for col in ("file", "loaded", "quarantined", "duplicate"):
            table.add_column(col, justify="left" if col == "file" else "right")
        for name, c in report.files.items():
            if name in report.present or c.loaded or c.quarantined or c.duplicate:
                table.add_row(name, f"{c.loaded:,}", f"{c.quarantined:,}", f"{c.duplicate:,}")
        console.print(table)
        if any(c.quarantined for c in report.files.values()):
            console.print(f"Quarantined rows, with reasons: {st.quarantine_dir}/<file>.csv")
    for refusal in report.refused.values():
        err.print(f"[red]Refused:[/] {refusal}")
    if report.refused:
        raise typer.Exit(1)


@app.command()
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Show what the workspace holds, per file and per force or provider."""
    from crossline.ingest import status as store_status

    st = settings_of(ctx)
    if not st.store_path.exists():
        err.print(f"Workspace {st.workspace} is empty: run `crossline ingest DATASET_DIR`.")
        raise typer.Exit(1)
    engine = open_engine(st)
    try:
        info = store_status(engine)
    finally:
        engine.close()
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


REGISTER_TABLE = "line_register"


def _analyse(engine: Engine) -> pa.Table:
    from crossline.analyse.register import build_lines, register_table

    with console.status("Finding deal lines, linking numbers, assigning roles..."):
        table = register_table(build_lines(engine))
    engine.replace_table(REGISTER_TABLE, table)
    return table


def _register(engine: Engine) -> pa.Table:
    if not engine.has_table(REGISTER_TABLE):
        return _analyse(engine)
    return engine.query(f"SELECT * FROM {REGISTER_TABLE} ORDER BY confidence DESC, line_id")


def _require_store(st: Settings) -> None:
    if not st.store_path.exists():
        err.print(f"Workspace {st.workspace} is empty: run `crossline ingest DATASET_DIR` first.")
        raise typer.Exit(1)


def lines_table(register: pa.Table, limit: int = 10) -> Table:
    n = register.num_rows
    table = Table(title=f"Line register: top {min(limit, n)} of {n} lines")
    table.add_column("line", no_wrap=True)
    table.add_column("deal number (numbers)", no_wrap=True)
    table.add_column("controller", no_wrap=True)
    table.add_column("run.", justify="right")
    table.add_column("cust.", justify="right")
    table.add_column("exporter -> importer", overflow="fold")
    table.add_column("conf.", justify="right")
    for r in register.slice(0, limit).to_pylist():
        deals = [x for x in r["deal_numbers"].split(s.LIST_SEP) if x]
        runners = [x for x in r["runner_numbers"].split(s.LIST_SEP) if x]
        table.add_row(
            r["line_id"],
            f"{deals[-1]} ({len(deals)})",
            r["controller_number"] or "-",
            str(len(runners)),
            str(r["customer_count"]),
            f"{r['exporter_force'] or '?'} -> {r['importer_force'] or '?'}",
            f"{r['confidence']:.2f}",
        )
    return table


@app.command()
def analyse(ctx: typer.Context) -> None:
    """Run every analysis built so far on the workspace (today: the line register)."""
    st = settings_of(ctx)
    _require_store(st)
    engine = open_engine(st)
    try:
        register = _analyse(engine)
    finally:
        engine.close()
    console.print(lines_table(register))
    console.print(f"{register.num_rows} lines. Export with `crossline export lines lines.csv`.")


@app.command()
def export(
    ctx: typer.Context,
    what: Annotated[str, typer.Argument(help="What to export: lines.")],
    out: Annotated[Path, typer.Argument(help="CSV file to write.")],
) -> None:
    """Write an analysis result as CSV in the data contract's columns."""
    if what != "lines":
        raise typer.BadParameter("choose: lines", param_hint="WHAT")
    st = settings_of(ctx)
    _require_store(st)
    engine = open_engine(st)
    try:
        register = _register(engine)
    finally:
        engine.close()
    write_csv(register, out, s.LINE_REGISTER_COLUMNS)
    console.print(f"Wrote {register.num_rows} lines to {out}")


def write_csv(table: pa.Table, out: Path, columns: tuple[str, ...]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for r in table.select(list(columns)).to_pylist():
            w.writerow(["" if r[c] is None else r[c] for c in columns])


@app.command()
def evaluate(
    ctx: typer.Context,
    dataset_dir: Annotated[Path, typer.Argument(help="A simulated dataset with truth/.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Score the workspace's analyses against DATASET_DIR/truth (precision, recall, F1)."""
    from crossline.simulate.evaluate import evaluate_lines

    truth = dataset_dir / "truth"
    if not (truth / "lines.csv").is_file():
        err.print(f"No ground truth in {truth}: evaluate needs a simulated dataset.")
        raise typer.Exit(2)
    st = settings_of(ctx)
    _require_store(st)
    engine = open_engine(st)
    try:
        register = _register(engine)
    finally:
        engine.close()
    result = evaluate_lines(register, truth)
    if as_json:
        print(json.dumps({"lines": result.to_json()}))
        return
    table = Table(title=f"Line register against {truth}")
    table.add_column("measure")
    table.add_column("value")
    for k, v in result.rows():
        table.add_row(k, v)
    console.print(table)


@app.command()
def demo(
    ctx: typer.Context,
    data: Annotated[Path, typer.Option(help="Where to write the demo world.")] = Path("demo-data"),
    seed: Annotated[int, typer.Option(help="Seed of the demo world.")] = 7,
) -> None:
    """Simulate a small world, load it and show what Crossline finds."""
    from crossline.cli.progress import IngestBars, StageBars
    from crossline.ingest import ingest_dataset

    st = settings_of(ctx)
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
        table = Table(title="Loaded")
        for col in ("file", "loaded", "quarantined", "duplicate"):
            table.add_column(col, justify="left" if col == "file" else "right")
        for name, c in report.files.items():
            table.add_row(name, f"{c.loaded:,}", f"{c.quarantined:,}", f"{c.duplicate:,}")
        console.print(table)
        console.rule("[bold]3. Analyse: the line register")
        register = _analyse(engine)
        console.print(lines_table(register))
    finally:
        engine.close()
    console.rule("[bold]4. Score against the simulator's ground truth")
    from crossline.simulate.evaluate import evaluate_lines

    result = evaluate_lines(register, data / "truth")
    score = Table()
    score.add_column("measure")
    score.add_column("value")
    for k, v in result.rows():
        score.add_row(k, v)
    console.print(score)
    console.print(
        f"Workspace: {st.workspace}. Next: `crossline --workspace {st.workspace} export lines "
        "lines.csv`"
    )
