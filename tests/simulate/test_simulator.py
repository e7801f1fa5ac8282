"""The simulator: deterministic per seed, and its truth consistent with its data."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa

from crossline.analyse.contacts import burst_recipients, contacts_of, run_burst_recipients
from crossline.analyse.geography import force_at
from crossline.analyse.lines.config import LinesConfig
from crossline.analyse.lines.features import burst_tables, number_features
from crossline.simulate.config import WorldConfig
from crossline.simulate.places import PLACES
from crossline.simulate.writer import write_world

from ..conftest import Ingested

TINY = WorldConfig(lines=2, people=600, days=10, seed=5)


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def truth(ds: Path, name: str) -> list[dict[str, str]]:
    with (ds / "truth" / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_same_seed_same_world_other_seed_other_world(tmp_path: Path) -> None:
    write_world(TINY, tmp_path / "a", fmt="csv")
    write_world(TINY, tmp_path / "b", fmt="csv")
    write_world(WorldConfig(lines=2, people=600, days=10, seed=6), tmp_path / "c", fmt="csv")
    a, b, c = digest(tmp_path / "a"), digest(tmp_path / "b"), digest(tmp_path / "c")
    assert a == b
    assert a["comms.csv"] != c["comms.csv"]


def test_parquet_and_csv_hold_the_same_rows(tmp_path: Path) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    write_world(TINY, tmp_path / "csv", fmt="csv")
    write_world(TINY, tmp_path / "pq", fmt="parquet")
    n_csv = pacsv.read_csv(tmp_path / "csv" / "comms.csv").num_rows
    n_pq = sum(pq.read_metadata(p).num_rows for p in (tmp_path / "pq" / "comms").glob("*"))
    assert n_csv == n_pq > 1000


def test_every_place_lies_in_its_declared_force_area() -> None:
    got, method = force_at(np.array([p.lat for p in PLACES]), np.array([p.lon for p in PLACES]))
    assert list(got) == [p.force for p in PLACES]
    assert set(method) == {"within"}


def test_every_truth_deal_number_broadcasts_and_takes_orders(ingested_world: Ingested) -> None:
    ds, engine = ingested_world.dataset, ingested_world.engine
    deals = [n for t in truth(ds, "lines.csv") for n in t["deal_numbers"].split(";")]
    cfg = LinesConfig()
    rc = burst_recipients(engine, deals, cfg.burst_gap_s, cfg.burst_min_recipients)
    assert set(rc.column("num").to_pylist()) == set(deals)
    pairs = contacts_of(engine, deals).to_pylist()
    inbound = {p["num"] for p in pairs if p["n_in"] > 0}
    assert inbound == set(deals)


def test_the_runs_burst_tables_give_the_same_recipients(ingested_world: Ingested) -> None:
    """build_lines reads recipients from the run's burst tables: they must
    be what sessionising the deal numbers' texts afresh gives."""
    ds, engine = ingested_world.dataset, ingested_world.engine
    deals = [n for t in truth(ds, "lines.csv") for n in t["deal_numbers"].split(";")]
    cfg = LinesConfig()

    def rows(table: pa.Table) -> list[tuple[object, ...]]:
        return sorted(tuple(r.values()) for r in table.to_pylist())

    fresh = rows(burst_recipients(engine, deals, cfg.burst_gap_s, cfg.burst_min_recipients))
    with burst_tables(engine, cfg) as tables:
        number_features(engine, cfg, tables)
        assert rows(run_burst_recipients(engine, deals, tables)) == fresh
    assert not engine.has_table(tables.bursts)
    assert len(fresh) > 100


def test_truth_roles_are_in_contact_and_forces_differ(ingested_world: Ingested) -> None:
    ds, engine = ingested_world.dataset, ingested_world.engine
    for t in truth(ds, "lines.csv"):
        assert t["exporter_force"] != t["importer_force"]
        pairs = contacts_of(engine, [t["controller_number"]]).to_pylist()
        talks_to = {p["other"] for p in pairs}
        runners = set(t["runner_numbers"].split(";"))
        assert runners <= talks_to, t["line_id"]


def test_nominal_truth_covers_every_nominal_record(ingested_world: Ingested) -> None:
    ds, engine = ingested_world.dataset, ingested_world.engine
    keys = {(r["force"], r["record_id"]) for r in truth(ds, "nominals.csv")}
    stored = engine.query("SELECT force, record_id FROM nominals").to_pylist()
    assert {(r["force"], r["record_id"]) for r in stored} == keys
    # forces hold overlapping records of the same people
    people = [r["person_id"] for r in truth(ds, "nominals.csv")]
    assert len(set(people)) < len(people)


def test_lookalikes_of_every_kind_exist(ingested_world: Ingested) -> None:
    kinds = {r["kind"] for r in truth(ingested_world.dataset, "lookalikes.csv")}
    assert {
        "business_bulk",
        "taxi",
        "takeaway",
        "promo_takeaway",
        "group_organiser",
        "number_changer",
    } <= kinds


def test_world_loads_without_quarantine(ingested_world: Ingested) -> None:
    files = ingested_world.report.files
    assert files["comms"].loaded > 10_000
    assert all(c.quarantined == 0 for c in files.values())


def test_runners_trips_lie_within_their_working_days() -> None:
    from crossline.simulate.world import build_world

    world = build_world(WorldConfig(lines=250, people=20_000, days=30, seed=8))
    closed = [ln for ln in world.lines if ln.closed_day is not None]
    assert closed  # the case that used to produce a runner whose trip ended before it began
    for line in world.lines:
        for r in line.runners:
            assert r.first_day <= r.last_day
            assert all(r.first_day <= a <= z <= r.last_day for a, z in r.trips)
