"""The one run service every face calls (the CLI today, the API later): load data, run the
analyses with stable ids, store every result with its provenance, read results back.

Reading never runs an analysis: a face asking for a result the workspace does not hold
is told so (NotAnalysed), and one asking for a result older than the data is told it is
stale, so what an analyst exports is always what `analyse` stored, and says when.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa

import crossline
from crossline.analyse.pipeline import Results, Step, run_all
from crossline.engine.base import Engine
from crossline.engine.factory import open_engine, open_store
from crossline.engine.factory import publish as mirror
from crossline.ingest import IngestReport, ProgressCallback, ingest_dataset
from crossline.ingest import status as store_status
from crossline.ingest.mapping import Mapping
from crossline.model import outputs as o
from crossline.runs import ids as identity
from crossline.runs import provenance, publish
from crossline.runs.busy import EXIT_BUSY, busy_message, ingest_marker, is_busy
from crossline.runs.config import Configuration, load_configuration
from crossline.runs.provenance import Run
from crossline.settings import ConfigError

RESULTS = o.RESULTS  # result -> its declared table and read-back order
T = TypeVar("T")
QUALITY_TABLE = "run_data_quality"  # the last run's data-quality summary, one JSON row


class RunError(Exception):
    """Something a face should say to its user in one line (never a traceback)."""

    exit_code = 1


class EmptyWorkspace(RunError):
    pass


class NotAnalysed(RunError):
    pass


class WorkspaceBusy(RunError):
    """Another process writes the workspace: try again when it ends (EX_TEMPFAIL)."""

    exit_code = EXIT_BUSY


class StoreUnavailable(RunError):
    pass


@dataclass(frozen=True)
class Analysis:
    results: Results
    run: Run


@dataclass(frozen=True)
class Stored:
    """A stored result and the run that made it; stale when data arrived after it."""

    table: pa.Table
    run: Run
    stale: bool


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Service:
    def __init__(self, config: Configuration) -> None:
        self.config = config

    @classmethod
    def for_workspace(cls, workspace: Path | None = None, **overrides: Any) -> Service:
        """The service of a workspace, its configuration loaded (ConfigError if unusable);
        `overrides` are settings given on the command line (engine)."""
        return cls(load_configuration(workspace, **overrides))

    @property
    def workspace(self) -> Path:
        return self.config.workspace

    @contextmanager
    def engine(self, *, create: bool = False) -> Iterator[Engine]:
        """The workspace's analytical engine; EmptyWorkspace when nothing was ingested.
        With create, the store ingest loads into (DuckDB whatever the engine: ingest
        validates there and `publish` hands the data on)."""
        if not create and not self.config.store_path.exists():
            raise EmptyWorkspace(
                f"Workspace {self.workspace} is empty: run `crossline ingest DATASET_DIR` first."
            )
        try:
            engine = open_store(self.config) if create else open_engine(self.config)
        except ValueError as exc:  # a setting the engine refuses (an unknown engine)
            raise ConfigError(str(exc)) from exc
        except Exception as exc:  # held by another process, unreadable, ...
            if is_busy(exc):
                raise WorkspaceBusy(busy_message(exc, self.workspace)) from exc
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreUnavailable(
                f"cannot open the store {self.config.store_path}: {first}"
            ) from exc
        try:
            yield engine
        finally:
            engine.close()

    def ingest(
        self,
        dataset_dir: Path,
        progress: ProgressCallback | None = None,
        mapping: Mapping | None = None,
    ) -> IngestReport:
        with self.engine(create=True) as engine, ingest_marker(self.workspace):
            report = ingest_dataset(
                engine,
                dataset_dir,
                self.config.quarantine_dir,
                progress=progress,
                mapping=mapping or Mapping(),
            )
        mirror(self.config)  # the Spark engine's Parquet mirror of what was committed
        loaded = {name: c.loaded for name, c in report.files.items()}
        self._operational(lambda: publish.log_collection(self.config, str(dataset_dir), loaded))
        return report

    def _operational(self, step: Callable[[], T]) -> T:
        """A step on the operational store; StoreUnavailable (one line) when unreachable."""
        from crossline.store import StoreError

        try:
            return step()
        except StoreError as exc:
            raise StoreUnavailable(
                f"{exc} (the analytical store is updated; fix the URL and run again)"
            ) from exc

    def analyse(self, step: Step | None = None) -> Analysis:
        """Run every analysis on what the store holds now; store results, stable ids and
        provenance together (all or nothing)."""
        cfg = self.config
        with self.engine() as engine:
            started = _now()
            run_id = provenance.next_run_id(engine)
            loads = provenance.loads_now(engine)
            book = identity.IdentityBook(engine, run_id, started)
            results = run_all(
                engine,
                step,
                cfg.lines,
                cfg.persons,
                cfg.safeguarding,
                ids=book,
                supply_cfg=cfg.supply,
                risk_cfg=cfg.risk,
            )
            run = Run(
                run_id=run_id,
                started_at=started,
                finished_at=_now(),
                version=crossline.__version__,
                config_hash=cfg.config_hash(),
                config=cfg.parameters_json(),
                loads=loads,
            )
            tables = {
                "lines": results.register,
                "persons": results.persons,
                "safeguarding": results.safeguarding,
                "phone_persons": results.phone_persons,
                "supply": results.supply,
                "risk": results.risk,
                "targets": results.targets.table,
            }
            with engine.transaction():
                for what, table in tables.items():
                    engine.replace_table(RESULTS[what].table, table)
                if results.data_quality is not None:
                    doc = json.dumps(results.data_quality.to_json())
                    engine.replace_table(QUALITY_TABLE, pa.table({"summary": [doc]}))
                book.save(engine)
                provenance.record(
                    engine,
                    run,
                    {what: (RESULTS[what].table, t.num_rows) for what, t in tables.items()},
                )
            # then the operational store the API reads: its own transaction, after this one
            # committed, so the service never shows a run the workspace does not hold
            self._operational(lambda: publish.publish_run(cfg, engine, run, tables, results.lines))
        return Analysis(results, run)

    def _latest(self, engine: Engine) -> Run:
        run = provenance.latest(engine)
        if run is None:
            raise NotAnalysed(
                f"Nothing analysed in {self.workspace} yet: run `crossline analyse` first."
            )
        return run

    def result(self, what: str) -> Stored:
        """A stored result as the last run left it; never runs an analysis."""
        return self.results((what,))[what]

    def results(self, whats: tuple[str, ...]) -> dict[str, Stored]:
        """Several stored results, read from one run."""
        with self.engine() as engine:
            run = self._latest(engine)
            stale = provenance.is_stale(engine, run)
            out: dict[str, Stored] = {}
            for what in whats:
                if what == "aliases":
                    out[what] = Stored(identity.aliases(engine), run, stale)
                    continue
                spec = RESULTS[what]
                if not engine.has_table(spec.table):
                    raise NotAnalysed(
                        f"Workspace {self.workspace} holds no {what} result: "
                        "run `crossline analyse`."
                    )
                out[what] = Stored(
                    engine.query(f"SELECT * FROM {spec.table} ORDER BY {spec.order_sql()}"),
                    run,
                    stale,
                )
            return out

    def resolve(self, kind: str, some_id: str) -> str:
        """The id a line or person goes by now (`kind` 'line' or 'person')."""
        with self.engine() as engine:
            return identity.resolve(engine, kind, some_id)

    def status(self) -> dict[str, Any]:
        """What the store holds, and the last analysis (None when never run)."""
        with self.engine() as engine:
            info = {"engine": engine.dialect.name, **store_status(engine)}
            run = provenance.latest(engine)
            info["analysis"] = (
                None if run is None else run.to_json(provenance.is_stale(engine, run))
            )
            info["data_quality"] = self._quality(engine)
        return info

    def _quality(self, engine: Engine) -> dict[str, Any] | None:
        """What the last run found the data lacked (None before any run stored one)."""
        if not engine.has_table(QUALITY_TABLE):
            return None
        rows = engine.query(f"SELECT summary FROM {QUALITY_TABLE}").to_pylist()
        return dict(json.loads(rows[0]["summary"])) if rows else None
