"""`analyse` publishes each run into the operational store (SQLite and PostgreSQL): the
register, persons, phone links and safeguarding as the analyses made them, with their
stable ids, aliases, evidence factors and run id, and the intelligence; ingest and the run
are in the audit log. The migrated schema is the one the tables declare."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from crossline.model import schema as s
from crossline.runs import Service
from crossline.simulate.config import WorldConfig
from crossline.simulate.writer import write_world
from crossline.store import Store, audit
from crossline.store import tables as t

WORLD = WorldConfig(lines=2, people=800, days=21, seed=11)


def test_migrations_match_the_declared_tables(store: Store) -> None:
    with store.read() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), t.metadata)
    assert diff == []


def test_analyse_publishes_the_run(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CROSSLINE_DATABASE_URL", store.url)
    write_world(WORLD, tmp_path / "world", fmt="csv")
    service = Service.for_workspace(tmp_path / "ws")
    service.ingest(tmp_path / "world")
    done = service.analyse()
    res = done.results
    with store.read() as conn:

        def count(table: object) -> int:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]

        assert count(t.lines) == res.register.num_rows > 0
        assert count(t.persons) == res.persons.num_rows
        assert count(t.phone_links) == res.phone_persons.num_rows
        assert count(t.safeguarding) == res.safeguarding.num_rows
        assert count(t.intelligence) > 0
        stored = {r.line_id: r for r in conn.execute(select(t.lines))}
        for row in res.register.to_pylist():
            got = stored[row["line_id"]]
            assert got.evidence_factors == row["evidence_factors"]
            assert got.safeguarding_flags == row["safeguarding_flags"]
            assert got.run_id == done.run.run_id
        keys = {r.subject_key for r in conn.execute(select(t.intelligence))}
        phones = conn.execute(
            select(t.intelligence.c.subject_key).where(t.intelligence.c[s.SUBJECT_KIND] == "phone")
        ).scalars()
        assert all(k.startswith("+") for k in phones) and keys
    entries = list(audit.all_entries(store))
    assert [e["operation"] for e in entries[:2]] == ["collection", "combination"]
    # then what the acting-together checks did after the publish (children's NRM
    # referral tasks opened), each by the run, not by a user
    assert all(e["username"] == "crossline (after a run)" for e in entries[2:])

    # a second run replaces the first, whole
    again = service.analyse()
    with store.read() as conn:
        assert set(conn.execute(select(t.lines.c.run_id)).scalars()) == {again.run.run_id}
        assert conn.execute(select(func.max(t.runs.c.run_id))).scalar() == again.run.run_id
    # ... and says so: the first run's published rows were erased (DPA 2018 s.62)
    last = list(audit.all_entries(store))[-2:]
    assert [e["operation"] for e in last] == ["combination", "erasure"]
    erased = json.loads(last[1]["detail"])
    assert last[1]["entity_id"] == str(done.run.run_id)
    assert erased["replaced_by_run"] == again.run.run_id
    assert erased["rows_erased"]["lines"] == res.register.num_rows
    assert erased["rows_erased"][t.persons.name] == res.persons.num_rows
    assert audit.verify(store)[1] is None
