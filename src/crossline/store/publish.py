"""Publishing a run: the results the run service stored in the analytical store, copied
into the operational store in one transaction, so readers see the previous run or this
one, never a mix. Rows arrive as the output specs shape them; this module adds only the
scoping indexes (which numbers and persons belong to which line) and the run id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select

from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.store import audit
from crossline.store import tables as t
from crossline.store import tables_act as ta
from crossline.store.db import Store

CHUNK = 5_000


@dataclass(frozen=True)
class RunInfo:
    run_id: int
    started_at: datetime
    finished_at: datetime
    version: str
    config_hash: str


@dataclass(frozen=True)
class Published:
    run_id: int
    counts: dict[str, int]


def split_list(value: object) -> list[str]:
    """A LIST column's values (joined with schema.LIST_SEP), blanks dropped."""
    if value is None:
        return []
    return [v for v in str(value).split(s.LIST_SEP) if v]


def safeguarding_flags(value: object) -> list[dict[str, Any]]:
    if not value:
        return []
    flags = json.loads(str(value))
    return [f for f in flags if isinstance(f, dict)] if isinstance(flags, list) else []


def line_numbers(register: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in register:
        lid = str(row["line_id"])
        roles = [("deal", n) for n in split_list(row["deal_numbers"])]
        if row.get("controller_number"):
            roles.append(("controller", str(row["controller_number"])))
        roles += [("runner", n) for n in split_list(row["runner_numbers"])]
        for pos, (role, number) in enumerate(roles):
            out.setdefault(
                (lid, number, role),
                {"line_id": lid, s.NUMBER: number, "role": role, "position": pos},
            )
    return list(out.values())


def person_lines(
    register: list[dict[str, Any]],
    safeguarding: list[dict[str, Any]],
    phone_persons: list[dict[str, Any]],
    numbers: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Every (person, line) link: a holder of the line, listed against it for
    safeguarding, or using one of its numbers."""
    links: set[tuple[str, str, str]] = set()
    lines = {str(r["line_id"]) for r in register}
    for row in register:
        lid = str(row["line_id"])
        links.update((p, lid, "holder") for p in split_list(row["holder_nominal_ids"]))
        for flag in safeguarding_flags(row.get("safeguarding_flags")):
            if flag.get(o.PERSON_ID):
                links.add((str(flag[o.PERSON_ID]), lid, "safeguarding"))
    for row in safeguarding:
        links.update(
            (str(row[o.PERSON_ID]), lid, "safeguarding")
            for lid in split_list(row["line_ids"])
            if lid in lines
        )
    by_number: dict[str, set[str]] = {}
    for n in numbers:
        by_number.setdefault(str(n[s.NUMBER]), set()).add(str(n["line_id"]))
    for row in phone_persons:
        for lid in by_number.get(str(row[s.NUMBER]), ()):
            links.add((str(row[o.PERSON_ID]), lid, "phone"))
    return [{o.PERSON_ID: p, "line_id": lid, "via": via} for p, lid, via in sorted(links)]


def _replace(
    conn: Connection, table: Table, rows: Iterable[dict[str, Any]], run_id: int
) -> tuple[int, int]:
    """(rows erased, rows inserted)."""
    erased = conn.execute(delete(table)).rowcount
    names = [c.name for c in table.columns]
    batch: list[dict[str, Any]] = []
    n = 0
    for row in rows:
        batch.append({c: (run_id if c == t.RUN_ID else row.get(c)) for c in names})
        if len(batch) >= CHUNK:
            conn.execute(insert(table), batch)
            n += len(batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)
        n += len(batch)
    return max(erased, 0), n


def publish(
    store: Store,
    run: RunInfo,
    results: dict[str, list[dict[str, Any]]],
    aliases: list[dict[str, Any]],
    intelligence: list[dict[str, Any]],
    actor: str,
    activity: list[dict[str, Any]] | None = None,
    handsets: list[dict[str, Any]] | None = None,
) -> Published:
    """Replace what the store publishes with this run's results (all or nothing).
    `activity`: each deal number's first and last activity on its line (line_id,
    number, first_seen, last_seen) and `handsets` (number, imei, imsi), which acting
    together reads."""
    register = results[o.LINE_REGISTER.name]
    numbers = line_numbers(register)
    links = person_lines(
        register, results[o.SAFEGUARDING.name], results[o.PHONE_PERSONS.name], numbers
    )
    alias_rows = [
        {**a, "since": None if a.get("since") is None else str(a["since"])} for a in aliases
    ]
    plan: list[tuple[Table, list[dict[str, Any]]]] = [
        (t.lines, register),
        (t.line_numbers, numbers),
        (t.persons, results[o.PERSONS.name]),
        (t.person_lines, links),
        (t.phone_links, results[o.PHONE_PERSONS.name]),
        (t.safeguarding, results[o.SAFEGUARDING.name]),
        (t.aliases, alias_rows),
        (t.intelligence, intelligence),
        (ta.number_activity, activity or []),
        (ta.handsets, handsets or []),
    ]
    counts: dict[str, int] = {}
    erased: dict[str, int] = {}
    with store.write() as conn:
        # the runs whose published rows this one replaces
        before = sorted(
            {str(r) for tb in (t.lines, t.persons) for r in conn.execute(
                select(tb.c[t.RUN_ID]).distinct()).scalars()}
        )  # fmt: skip
        for table, rows in plan:
            gone, counts[table.name] = _replace(conn, table, rows, run.run_id)
            if gone:
                erased[table.name] = gone
        conn.execute(delete(t.runs).where(t.runs.c.run_id == run.run_id))
        conn.execute(
            insert(t.runs).values(
                run_id=run.run_id,
                started_at=run.started_at,
                finished_at=run.finished_at,
                version=run.version,
                config_hash=run.config_hash,
                published_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )

        def entry(operation: str, run_ids: str, detail: dict[str, Any]) -> audit.Entry:
            return audit.Entry(
                operation=operation,
                username=actor,
                force="local",
                client="cli",
                entity_kind="run",
                entity_id=run_ids[:200],
                detail=json.dumps(detail, sort_keys=True),
            )

        entries = [entry(audit.Operation.COMBINATION, str(run.run_id), counts)]
        if erased:  # the previous run's published rows, personal data among them, are gone
            entries.append(
                entry(
                    audit.Operation.ERASURE,
                    ",".join(before),
                    {"replaced_by_run": run.run_id, "rows_erased": erased},
                )
            )
        audit.append_in(conn, store, *entries)
    return Published(run.run_id, counts)
