"""`crossline` commands. Each maps one-to-one to a page of the user guide in docs/."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

import crossline
from crossline.cli.results import EXPORTS, fail, said_clearly, warn_if_stale
from crossline.runs import Analysis, DataQuality, Service
from crossline.settings import Settings
from crossline.simulate.config import PRESETS, STYLES
from crossline.simulate.writer import write_world

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Crossline: one shared picture of county lines across forces.",
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,  # cli.guard turns faults into one line
)
console = Console()
err = Console(stderr=True)


def service_of(ctx: typer.Context) -> Service:
    """The workspace's run service, its configuration loaded on first use (so that
    `simulate`, which needs no workspace, never reads one)."""
    root = ctx.find_root()
    if not isinstance(root.obj, Service):
        workspace, overrides = root.obj if isinstance(root.obj, tuple) else (root.obj, {})
        with said_clearly():
            root.obj = Service.for_workspace(workspace, **overrides)
    assert isinstance(root.obj, Service)
    return root.obj


def settings_of(ctx: typer.Context) -> Settings:
    return service_of(ctx).config


def _register_service_commands() -> None:
    """The shared service's commands live in their own modules."""
    from crossline.cli.acting import orgs_app, performance
    from crossline.cli.audit import audit_app
    from crossline.cli.serve import serve
    from crossline.cli.users import users_app

    app.command()(serve)
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
    app.command()(performance)
    app.add_typer(orgs_app, name="orgs")


class EngineName(StrEnum):
    DUCKDB = "duckdb"
    SPARK = "spark"


def _version(value: bool) -> None:
    if value:
        print(f"crossline {crossline.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace folder (default: $CROSSLINE_WORKSPACE, else `workspace` in "
            "./crossline.toml, else ./crossline-workspace). Its own crossline.toml holds "
            "the analyses' parameters; CROSSLINE_LINES__BURST_GAP_S=200 overrides one.",
        ),
    ] = None,
    engine: Annotated[
        EngineName | None,
        typer.Option(
            "--engine",
            help="Analytical engine for this command: duckdb or spark (the spark extra). "
            "Default: $CROSSLINE_ENGINE, else `engine` in the workspace's crossline.toml, "
            "else duckdb.",
            case_sensitive=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    # the service is made from these when a command needs one
    ctx.obj = (workspace, {} if engine is None else {"engine": engine.value})


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
    style: Annotated[
        str | None,
        typer.Option(
            help="own (the simulator's original worlds) or realistic (data as police receive "
            "it); default: the preset's."
        ),
    ] = None,
) -> None:
    """Generate a synthetic county-lines world with its ground truth."""
    if style not in (None, *STYLES):
        raise typer.BadParameter(f"style must be one of {', '.join(STYLES)}", param_hint="--style")
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
        style=cfg.style if style is None else style,
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

    from crossline.cli.errors import dataset_problem
    from crossline.cli.progress import IngestBars
    from crossline.cli.views import ingest_table
    from crossline.ingest import IngestError
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
    service = service_of(ctx)
    st = service.config
    quiet = Console(stderr=True, quiet=as_json)
    with IngestBars(quiet) as bars, said_clearly():  # a busy workspace: one line, exit 75
        report = service.ingest(dataset_dir, progress=bars, mapping=mapping)
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
    """Show what the workspace holds, per file and per force or provider, and its last
    analysis: when it ran, and whether data was loaded since (stale)."""
    service = service_of(ctx)
    st = service.config
    with said_clearly():
        info = service.status()
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
    run = info["analysis"]
    _say_quality(info.get("data_quality"))
    if run is None:
        console.print("Analysis: none yet. Run `crossline analyse`.")
    else:
        console.print(
            f"Analysis: run {run['run_id']}, finished {run['finished_at']}, Crossline "
            f"{run['version']}, configuration {run['config_hash']}; "
            + (
                "[yellow]stale[/]: data was loaded since. Run `crossline analyse`."
                if run["stale"]
                else "up to date with the data."
            )
        )


@app.command()
def analyse(ctx: typer.Context) -> None:
    """Run every analysis built so far: line register, persons, safeguarding, supply, and
    threat, harm and risk (thr_score, priority_rank).

    Stores the results with their provenance; line and person ids stay stable across runs."""
    from crossline.cli.views import (
        lines_table,
        priorities_table,
        safeguarding_summary,
        targets_table,
    )

    done = _analyse(service_of(ctx))
    results = done.results
    console.print(lines_table(results.register))
    console.print(priorities_table(results.register))
    console.print(safeguarding_summary(results.safeguarding))
    console.print(targets_table(results.targets.table, results.targets.winner))
    _say_quality(results.data_quality)
    console.print(
        f"{results.register.num_rows} lines, {results.persons.num_rows} nominal records "
        "resolved. Export with `crossline export "
        "lines|persons|safeguarding|supply|targets FILE.csv`."
    )
    console.print(
        f"Stored as run {done.run.run_id} (Crossline {done.run.version}, configuration "
        f"{done.run.config_hash}, {len(done.run.loads)} loads read)."
    )


def _say_quality(dq: DataQuality | dict[str, Any] | None) -> None:
    """What the data lacked, before anyone trusts a register built on it."""
    if dq is None:
        return
    doc = dq if isinstance(dq, DataQuality) else DataQuality.from_json(dq)
    console.print("[bold]What the data held and lacked[/]")
    for line in doc.lines():
        console.print(f"  - {line}")


def _analyse(service: Service) -> Analysis:
    from crossline.analyse.pipeline import STEPS

    with console.status("Analysing...") as status, said_clearly():

        def step(name: str) -> None:
            status.update(f"Analysing: {name} ({STEPS.index(name) + 1}/{len(STEPS)})")

        return service.analyse(step)


@app.command()
def export(
    ctx: typer.Context,
    what: Annotated[
        str,
        typer.Argument(
            help="lines, persons, safeguarding, supply (per line and day), or aliases (ids "
            "retired by a merge, each with the id it resolves to: kind, alias, id, since, "
            "run_id)."
        ),
    ],
    out: Annotated[Path, typer.Argument(help="CSV file to write.")],
) -> None:
    """Write what the last `analyse` stored as CSV, in the data contract's columns.

    Never re-runs an analysis: warns when data was loaded after that run."""
    from crossline.cli.results import write_csv

    if what not in EXPORTS:
        raise typer.BadParameter(f"choose one of: {', '.join(EXPORTS)}", param_hint="WHAT")
    with said_clearly():
        stored = service_of(ctx).result(what)
    warn_if_stale(stored, what)
    try:
        write_csv(stored.table, out, EXPORTS[what])
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror}", 1) from exc
    console.print(f"Wrote {stored.table.num_rows} rows to {out}")


@app.command()
def evaluate(
    ctx: typer.Context,
    dataset_dir: Annotated[Path, typer.Argument(help="A simulated dataset with truth/.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Score the workspace's analyses against DATASET_DIR/truth (precision, recall, F1)."""
    from crossline.cli.views import measures_table
    from crossline.simulate.evaluate import evaluate_all

    truth = dataset_dir / "truth"
    if not (truth / "lines.csv").is_file():
        err.print(f"No ground truth in {truth}: evaluate needs a simulated dataset.")
        raise typer.Exit(2)
    with said_clearly():
        stored = service_of(ctx).results(("lines", "persons", "safeguarding"))
    warn_if_stale(stored["lines"], "results")
    tables = {what: s.table for what, s in stored.items()}
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
    serve: Annotated[
        bool, typer.Option(help="Start the shared service in the background afterwards.")
    ] = True,
) -> None:
    """Simulate a small world, load it and show what Crossline finds; then start the
    shared service on 127.0.0.1 with a demo login (stop it with the command it prints)."""
    from crossline.cli.progress import IngestBars, StageBars
    from crossline.cli.serve import stop_background
    from crossline.cli.views import (
        ingest_table,
        lines_table,
        measures_table,
        priorities_table,
        safeguarding_summary,
        targets_table,
    )

    service = service_of(ctx)
    st = service.config
    stop_background(st.workspace)  # a service an earlier demo left running holds the store
    _fresh_demo_workspace(st)
    cfg = replace(PRESETS["small"], seed=seed)
    console.rule("[bold]1. Simulate a small county-lines world")
    with StageBars(console) as bars:
        write_world(cfg, data, fmt="csv", progress=bars)
    console.print(f"{cfg.lines} lines, {cfg.people:,} people, {cfg.days} days -> {data}")
    console.rule("[bold]2. Ingest it")
    with IngestBars(console) as ibars, said_clearly():
        report = service.ingest(data, progress=ibars)
    console.print(ingest_table(report, "Loaded"))
    console.rule("[bold]3. Analyse: line register, persons, safeguarding, risk")
    results = _analyse(service).results
    console.print(lines_table(results.register))
    console.print(safeguarding_summary(results.safeguarding))
    console.print(priorities_table(results.register, limit=5))
    console.print(targets_table(results.targets.table, results.targets.winner))
    _say_quality(results.data_quality)
    console.rule("[bold]4. Score against the simulator's ground truth")
    from crossline.simulate.evaluate import evaluate_all

    score = evaluate_all(results.register, results.persons, results.safeguarding, data / "truth")
    console.print(measures_table("Measured against truth", score.rows()))
    console.print(
        f"Workspace: {st.workspace}. Next: `.venv/bin/crossline --workspace {st.workspace} "
        "export lines lines.csv` (or persons, safeguarding, supply, targets)"
    )
    if serve:
        from crossline.cli.serve import demo_service

        demo_service(st)


_register_service_commands()
