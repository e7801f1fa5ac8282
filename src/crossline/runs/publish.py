"""The run service's last step: publish a run's results, stable ids, aliases and the
ingested intelligence into the operational store the API reads (one writer, many
readers), and log collections and combinations in its audit log. The analytical DuckDB
file stays the analyses' own; the service never opens it.
"""

from __future__ import annotations

import getpass
from datetime import datetime
from typing import Any

import pyarrow as pa

from crossline.act.checks import Checked, after_publish
from crossline.analyse.lines.build import Line
from crossline.engine.base import Engine
from crossline.ingest.normalise import try_normalise_phone
from crossline.ingest.store import table_name
from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.model.vocab import SubjectKind
from crossline.runs import ids as identity
from crossline.runs.provenance import Run
from crossline.settings import Settings
from crossline.store import Store, StoreError, audit, open_store, sqlite_url
from crossline.store.publish import Published, RunInfo, publish


def database_url(settings: Settings) -> str:
    """CROSSLINE_DATABASE_URL (or `database_url` in crossline.toml), else the
    workspace's SQLite file."""
    return settings.database_url or sqlite_url(settings.workspace)


def actor() -> str:
    try:
        return f"{getpass.getuser()} (cli)"
    except (KeyError, OSError):
        return "unknown (cli)"


def open_operational(settings: Settings) -> Store:
    return open_store(database_url(settings))


def _iso(v: object) -> object:
    return v.isoformat() + "Z" if isinstance(v, datetime) else v


def intelligence_rows(engine: Engine) -> list[dict[str, Any]]:
    """The ingested intelligence with each subject in the form the other tables use."""
    name = table_name(s.INTELLIGENCE)
    if not engine.has_table(name):
        return []
    cols = ", ".join(f'"{c.name}"' for c in s.INTELLIGENCE.columns)
    rows: list[dict[str, Any]] = engine.query(f'SELECT {cols} FROM "{name}"').to_pylist()
    out = []
    for r in rows:
        row = {k: _iso(v) for k, v in r.items()}
        ref = str(row.get(s.SUBJECT_REF) or "")
        if row.get(s.SUBJECT_KIND) == SubjectKind.PHONE.value:
            e164, _ = try_normalise_phone(ref)
            row["subject_key"] = e164 or ref
        else:
            row["subject_key"] = ref
        out.append(row)
    return out


def handset_rows(engine: Engine) -> list[dict[str, Any]]:
    """Each ingested subscriber number with its handset (IMEI) and SIM (IMSI), where known."""
    name = table_name(s.SUBSCRIBERS)
    if not engine.has_table(name):
        return []
    sql = (
        f'SELECT "{s.NUMBER}" AS number, max("{s.IMEI}") AS imei, max("{s.IMSI}") AS imsi '
        f'FROM "{name}" WHERE "{s.IMEI}" IS NOT NULL OR "{s.IMSI}" IS NOT NULL '
        f'GROUP BY "{s.NUMBER}"'
    )
    rows: list[dict[str, Any]] = engine.query(sql).to_pylist()
    return [{k: (None if v in (None, "") else str(v)) for k, v in r.items()} for r in rows]


def number_activity(lines: list[Line]) -> list[dict[str, Any]]:
    """When each deal number of each line was first and last active."""
    return [
        {"line_id": ln.line_id, "number": d.number, "first_seen": d.first_seen,
         "last_seen": d.last_seen}
        for ln in lines
        for d in ln.deals
    ]  # fmt: skip


def publish_run(
    settings: Settings,
    engine: Engine,
    run: Run,
    tables: dict[str, pa.Table],
    lines: list[Line] | None = None,
) -> tuple[Published, Checked]:
    """Publish what `analyse` just stored, then run the acting-together checks on it
    (re-emergence, check-backs, breaches, children's referral tasks). StoreError when
    the store cannot be reached."""
    info = RunInfo(run.run_id, run.started_at, run.finished_at, run.version, run.config_hash)
    results = {o.RESULTS[what].name: table.to_pylist() for what, table in tables.items()}
    aliases = identity.aliases(engine).to_pylist()
    store = open_operational(settings)
    try:
        done = publish(
            store, info, results, aliases, intelligence_rows(engine), actor(),
            number_activity(lines or []), handset_rows(engine),
        )  # fmt: skip
        return done, after_publish(store, run.run_id)
    finally:
        store.close()


def log_collection(settings: Settings, dataset: str, loaded: dict[str, int]) -> None:
    """An ingest is a collection (DPA 2018 s.62): logged with what each file added."""
    store = open_operational(settings)
    try:
        audit.append(
            store,
            audit.Entry(
                operation=audit.Operation.COLLECTION,
                username=actor(),
                force="local",
                client="cli",
                entity_kind="dataset",
                entity_id=dataset,
                detail=", ".join(f"{k}: {v}" for k, v in sorted(loaded.items())),
            ),
        )
    finally:
        store.close()


__all__ = ["StoreError", "database_url", "log_collection", "open_operational", "publish_run"]
