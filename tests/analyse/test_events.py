"""Communications data as acquired: one event delivered by two networks counts once, and
the run says what the data lacked; roles follow the line's structure where location
cannot tell them apart, and stay empty where the data shows no controller."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from crossline.analyse.events import EVENTS, comms_events
from crossline.analyse.lines.build import build_lines, register_table
from crossline.analyse.lines.config import LinesConfig
from crossline.analyse.lines.roles import DEAL, structural_roles
from crossline.engine.base import Engine
from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import ensure_tables
from crossline.model import schema as s
from tests.conftest import on_engine

from . import tinyworld as tw


@pytest.fixture
def engine(tmp_path: Path, engine_kind: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """On each engine (conftest.engine_kind): the same answers on both."""
    e = DuckDBEngine(tmp_path / "x.duckdb")
    tw.load(e)
    on = on_engine(e, engine_kind, tmp_path / "spark", request)
    yield on
    if on is not e:
        on.close()
    e.close()


def _copies(engine: Engine) -> int:
    """Append, for every row, the other network's copy of it: another record id and
    provider, stamped 4 s later, the duration rounded up to the minute, only the target's
    cell. Returns how many copies were added."""
    rows = engine.query(f"SELECT * FROM {s.COMMS.name}").to_pylist()
    for r in rows:
        r[s.RECORD_ID] = "b-" + str(r[s.RECORD_ID])
        r[s.PROVIDER] = "other-network"
        r[s.START_TIME] = r[s.START_TIME] + timedelta(seconds=4)
        if r[s.DURATION_S] is not None:
            r[s.DURATION_S] = (int(r[s.DURATION_S]) + 59) // 60 * 60
        r[s.SOURCE_CELL] = None
    engine.append(s.COMMS.name, pa.Table.from_pylist(rows))
    return len(rows)


def test_an_event_from_two_networks_counts_once(engine: Engine) -> None:
    before = register_table(build_lines(engine)).to_pylist()
    added = _copies(engine)
    with comms_events(engine, LinesConfig().duplicate_window_s) as dq:
        assert dq.duplicates_collapsed == added
        assert dq.events == dq.records - added
        assert set(dq.providers) == {"test", "other-network"}
        # the shortest duration and every cell any copy gave
        n_null = engine.scalar(f'SELECT count(*) FROM {EVENTS} WHERE "source_cell" IS NULL')
        assert n_null == 0
        after = register_table(build_lines(engine, events=EVENTS)).to_pylist()
    keep = ("deal_numbers", "controller_number", "runner_numbers", "customer_count")
    assert [{k: r[k] for k in keep} for r in after] == [{k: r[k] for k in keep} for r in before]


def test_no_cells_is_said_and_forces_stay_empty(engine: Engine) -> None:
    engine.execute(f"DROP TABLE {s.CELLS.name}")
    with comms_events(engine, 30) as dq:
        assert dq.cells_listed == 0
        assert any("no cell sites" in line for line in dq.lines())
        (line,) = build_lines(engine, events=EVENTS)
    assert line.exporter_force == "" and line.importer_force == ""


def test_structural_roles_name_runners_and_controller() -> None:
    """A local line: runner phone R meets customers and gets relays from the deal phone;
    the holder H talks with R both ways; a blast sender B texts R and H one way."""
    edges: Counter[tuple[str, str]] = Counter()
    for a, b, n in ((DEAL, "R", 40), ("H", "R", 20), ("B", "R", 4), ("B", "H", 4)):
        edges[(a, b) if a < b else (b, a)] = n
    sent = Counter({("H", "R"): 12, ("R", "H"): 8, ("B", "R"): 4, ("B", "H"): 4, (DEAL, "R"): 40})
    roles = structural_roles(edges, {"R", "B"}, sent, {}, LinesConfig())
    assert roles.controller == "H"
    assert roles.runners == ["R"]


def test_no_controller_is_named_when_the_data_shows_none() -> None:
    """The holder keeps the deal phone and runs the runner phone over apps: nobody but the
    deal phone works with R (F only ever rings it), so no controller, and the evidence
    says so."""
    edges: Counter[tuple[str, str]] = Counter({(DEAL, "R"): 40, ("F", "R"): 8})
    sent = Counter({(DEAL, "R"): 40, ("R", "F"): 8})
    roles = structural_roles(edges, {"R"}, sent, {}, LinesConfig())
    assert roles.controller is None
    assert roles.runners == ["R"]
    assert any(f.name == "controller_observed" and f.value is False for f in roles.factors)


def test_three_copies_of_one_call_are_one_event_and_a_later_call_another(
    tmp_path: Path,
) -> None:
    """Two networks and a handset download give three records of one call, seconds apart
    and each with its own cell and rounding; the call ten minutes later is another."""
    e = DuckDBEngine(tmp_path / "x.duckdb")
    ensure_tables(e)
    c = tw.Comms()
    a, b = "+447700900501", "+447700900502"
    for dt, dur, scell, tcell, prov in (
        (0, 47, tw.CITY, None, "net-a"),
        (3, 60, None, tw.TOWN, "net-b"),
        (9, 45, None, None, "download"),
        (600, 30, tw.CITY, None, "net-a"),
    ):
        c.add(tw.T0 + timedelta(seconds=dt), a, b, "call", dur)
        c.rows[-1].update({s.SOURCE_CELL: scell, s.TARGET_CELL: tcell, s.PROVIDER: prov})
    e.append(s.COMMS.name, pa.Table.from_pylist(c.rows))
    with comms_events(e, LinesConfig().duplicate_window_s) as dq:
        rows = e.query(
            f'SELECT "duration_s", "source_cell", "target_cell", copies FROM {EVENTS} '
            'ORDER BY "start_time"'
        ).to_pylist()
    assert dq.duplicates_collapsed == 2
    assert rows == [
        {"duration_s": 45, "source_cell": tw.CITY, "target_cell": tw.TOWN, "copies": 3},
        {"duration_s": 30, "source_cell": tw.CITY, "target_cell": None, "copies": 1},
    ]
    e.close()
