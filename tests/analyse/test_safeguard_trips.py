"""A child reported missing without a phone on record, whose episode is one of a line's
runner trips: the unidentified runner number arrives in the importer area when the child
goes missing and leaves when the child is found."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from crossline.analyse.lines.build import Line
from crossline.analyse.lines.classify import DealNumber
from crossline.analyse.safeguard import safeguarding
from crossline.engine.base import Engine
from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import ensure_tables
from crossline.model import evidence
from crossline.model import schema as s
from tests.conftest import on_engine

from . import tinyworld as tw

T0 = datetime(2026, 5, 4)
RUNNER = "+447700900099"  # no record attributes it to anyone
KNOWN_RUNNER = "+447700900098"  # on a nominal record of P-adult
SPARSE_RUNNER = "+447700900097"  # no record attributes it; used now and then
OWN_AT_HOME = "+447700900095"  # a child's own phone, served in the city on days 4 and 5
OWN_AWAY = "+447700900094"  # a child's own phone, served in the town on day 4
OWN_LATER = "+447700900093"  # a child's own phone, served in the city on day 13 only
FORCE, IMPORTER = "west-midlands", "west-mercia"  # CITY, TOWN cells
# (person, record, dob, missing day/hour, found day/hour)
EPISODES = [
    ("P-trip", "m1", "2011-03-03", (3, 8), (6, 9)),  # the trip: days 3 to 6
    ("P-late", "m2", "2011-04-04", (3, 8), (9, 9)),  # found three days after the trip
    ("P-other", "m3", "2010-05-05", (12, 8), (14, 9)),  # the number stays at home then
    ("P-known", "m4", "2010-06-06", (20, 8), (23, 9)),  # only the known runner travels
    # the sparse runner is last seen in town on day 26 and next at home on day 28
    ("P-sparse", "m5", "2010-07-07", (25, 22), (28, 20)),
    ("P-after", "m6", "2010-08-08", (25, 22), (30, 20)),  # found two days after that
]
# (day, hour, in town) of the sparse runner's contacts: a trip from day 25 to day 26
SPARSE = [(24, 21, False), (25, 21, True), (26, 1, True), (28, 10, False), (29, 9, False)]


def _comms() -> list[dict[str, object]]:
    c = tw.Comms()
    for day in range(30):
        for hour in (9, 21):
            t = T0 + timedelta(days=day, hours=hour)
            away = 3 <= day <= 5 or (day == 6 and hour == 9)
            cell = tw.TOWN if away else tw.CITY
            c.add(t, RUNNER, tw.CUSTOMERS[day % 5], "call", 60, cell, tw.TOWN)
            known_away = 20 <= day <= 22
            c.add(t, KNOWN_RUNNER, tw.CUSTOMERS[5], "call", 60, tw.TOWN if known_away else tw.CITY)
    for day in (4, 5):
        c.add(T0 + timedelta(days=day, hours=14), OWN_AT_HOME, "+447700900500", "call", 60, tw.CITY)
    c.add(T0 + timedelta(days=4, hours=14), OWN_AWAY, "+447700900500", "call", 60, tw.TOWN)
    c.add(T0 + timedelta(days=13, hours=14), OWN_LATER, "+447700900500", "call", 60, tw.CITY)
    for day, hour, away in SPARSE:
        t = T0 + timedelta(days=day, hours=hour)
        c.add(t, SPARSE_RUNNER, tw.CUSTOMERS[4], "call", 60, tw.TOWN if away else tw.CITY)
    return c.rows


@pytest.fixture
def engine(tmp_path: Path, engine_kind: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """On each engine (conftest.engine_kind): the same answers on both."""
    e = DuckDBEngine(tmp_path / "x.duckdb")
    ensure_tables(e)
    e.append(s.COMMS.name, pa.Table.from_pylist(_comms()))
    e.append(
        s.CELLS.name,
        pa.table(
            {
                s.CELL_ID: list(tw.CELLS),
                s.LAT: [v[0] for v in tw.CELLS.values()],
                s.LON: [v[1] for v in tw.CELLS.values()],
            }
        ),
    )
    e.append(
        s.NOMINALS.name,
        pa.Table.from_pylist(
            [
                {
                    s.FORCE: FORCE,
                    s.RECORD_ID: rec,
                    s.FAMILY_NAME: "X",
                    s.GIVEN_NAMES: "Y",
                    s.DATE_OF_BIRTH: dob,
                    s.FLAGS: ["missing_history"],
                    s.PHONE_NUMBERS: [],
                }
                for _, rec, dob, *_ in EPISODES
            ]
        ),
    )
    events = []
    for _, rec, _, (d0, h0), (d1, h1) in EPISODES:
        for kind, day, hour in (("missing_episode", d0, h0), ("found_after_missing", d1, h1)):
            events.append(
                {
                    s.EVENT_ID: f"e{len(events)}",
                    s.FORCE: FORCE,
                    s.EVENT_TYPE: kind,
                    s.OCCURRED_AT: T0 + timedelta(days=day, hours=hour),
                    s.NOMINAL_RECORD_ID: rec,
                }
            )
    e.append(s.EVENTS.name, pa.Table.from_pylist(events))
    on = on_engine(e, engine_kind, tmp_path / "spark", request)
    yield on
    if on is not e:
        on.close()
    e.close()


_PHONES = pa.schema(
    [
        ("number", pa.string()),
        ("person_id", pa.string()),
        ("source", pa.string()),
        ("evidence", pa.string()),
    ]
)


def _line() -> Line:
    deal = DealNumber(tw.DEAL_1, T0, T0 + timedelta(days=29), 30, 30, 10, 14, 14, 100, 1.0, "")
    runners = [RUNNER, KNOWN_RUNNER, SPARSE_RUNNER]
    return Line("CL-TRIP", [deal], set(), None, runners, FORCE, IMPORTER, 1.0, "")


def test_missing_child_whose_episode_is_a_runner_trip_is_listed(engine: Engine) -> None:
    persons = pa.Table.from_pylist(
        [
            {"person_id": p, s.FORCE: FORCE, s.RECORD_ID: rec, "match_probability": 1.0}
            for p, rec, *_ in [*EPISODES, ("P-adult", "a1")]
        ]
    )
    phones = pa.Table.from_pylist(
        [{"number": KNOWN_RUNNER, "person_id": "P-adult", "source": "nominal", "evidence": ""}]
    )
    table = safeguarding(engine, [_line()], persons, phones)
    got = {r["person_id"]: r for r in table.to_pylist()}
    assert got["P-trip"]["reasons"] == "missing_episode_linked"
    assert got["P-trip"]["line_ids"] == "CL-TRIP"
    assert got["P-trip"]["recommended_referral"] == "both"  # a child
    # one end of the episode agreeing is not enough; nor a trip of a known person's phone
    assert "P-late" not in got and "P-other" not in got and "P-known" not in got


def test_a_phone_seen_now_and_then_matches_between_its_sightings(engine: Engine) -> None:
    """The sparse runner number left town somewhere between its last sighting there (day
    26, 01:00) and its next at home (day 28, 10:00): a child found on day 28 at 20:00
    fits; one found on day 30 does not."""
    persons = pa.Table.from_pylist(
        [
            {"person_id": p, s.FORCE: FORCE, s.RECORD_ID: rec, "match_probability": 1.0}
            for p, rec, *_ in EPISODES
        ]
    )
    phones = pa.Table.from_pylist([], schema=_PHONES)
    got = {r["person_id"] for r in safeguarding(engine, [_line()], persons, phones).to_pylist()}
    assert "P-sparse" in got
    assert "P-after" not in got


def test_a_known_runner_is_not_given_another_lines_trip(engine: Engine) -> None:
    """P-trip's own phone is a runner of another line from the same city: his trips are on
    that number, so the unidentified CL-TRIP runner travelling on his missing days is some
    other child's, and CL-TRIP is not put against his name."""
    own = "+447700900096"
    deal = DealNumber(tw.DEAL_2, T0, T0 + timedelta(days=29), 30, 30, 10, 14, 14, 100, 1.0, "")
    home = Line("CL-HOME", [deal], set(), None, [own], FORCE, IMPORTER, 1.0, "")
    persons = pa.Table.from_pylist(
        [{"person_id": "P-trip", s.FORCE: FORCE, s.RECORD_ID: "m1", "match_probability": 1.0}]
    )
    phones = pa.Table.from_pylist(
        [{"number": own, "person_id": "P-trip", "source": "nominal", "evidence": ""}]
    )
    (row,) = safeguarding(engine, [_line(), home], persons, phones).to_pylist()
    assert row["reasons"] == "child_runner"
    assert row["line_ids"] == "CL-HOME"


@pytest.mark.parametrize(("own", "listed"), [(OWN_AT_HOME, False), (OWN_AWAY, True)])
def test_a_trip_their_own_phone_contradicts_is_not_theirs(
    engine: Engine, own: str, listed: bool
) -> None:
    """P-trip's own phone is served while they are missing: in the city all episode, so
    the runner number's trip to the town that week is some other child's; in the town,
    so it may well be theirs."""
    persons = pa.Table.from_pylist(
        [{"person_id": "P-trip", s.FORCE: FORCE, s.RECORD_ID: "m1", "match_probability": 1.0}]
    )
    phones = pa.Table.from_pylist(
        [{"number": own, "person_id": "P-trip", "source": "nominal", "evidence": ""}]
    )
    rows = safeguarding(engine, [_line()], persons, phones).to_pylist()
    trip = [
        f
        for r in rows
        for f in evidence.from_json(r["evidence_factors"])
        if f.name == "runner_trip_matches_episode"
    ]
    assert bool(trip) is listed
    assert bool(rows) is listed


def test_where_their_phone_is_on_other_episodes_weighs_against_a_trip(engine: Engine) -> None:
    """One child, two episodes (the records m1 and m3): silent on the first, which the
    runner number's trip matches, and served in the city on the second. Their phone
    never goes where the trip went, so the trip is not put against them."""
    persons = pa.Table.from_pylist(
        [
            {"person_id": "P-both", s.FORCE: FORCE, s.RECORD_ID: rec, "match_probability": 1.0}
            for rec in ("m1", "m3")
        ]
    )
    phones = pa.Table.from_pylist(
        [{"number": OWN_LATER, "person_id": "P-both", "source": "nominal", "evidence": ""}]
    )
    assert safeguarding(engine, [_line()], persons, phones).num_rows == 0
    silent = pa.Table.from_pylist([], schema=_PHONES)
    (row,) = safeguarding(engine, [_line()], persons, silent).to_pylist()
    assert row["line_ids"] == "CL-TRIP"


def test_a_line_dwells_where_its_phone_spends_its_time(tmp_path: Path) -> None:
    """Three contacts at a mast are where a phone passed if they are a sliver of its
    traffic (3 of 43): the line dwells at the mast with the other 40, not at both."""
    from crossline.analyse.safeguard.config import SafeguardingConfig
    from crossline.analyse.safeguard.people import load_context
    from crossline.analyse.safeguard.rules.dwell import dwell as dwell_of

    e = DuckDBEngine(tmp_path / "d.duckdb")
    ensure_tables(e)
    c = tw.Comms()
    for i in range(43):
        cell = tw.TOWN if i < 40 else tw.CITY
        c.add(T0 + timedelta(hours=i), RUNNER, tw.CUSTOMERS[0], "call", 60, cell, tw.TOWN)
    e.append(s.COMMS.name, pa.Table.from_pylist(c.rows))
    e.append(
        s.CELLS.name,
        pa.table(
            {
                s.CELL_ID: list(tw.CELLS),
                s.LAT: [v[0] for v in tw.CELLS.values()],
                s.LON: [v[1] for v in tw.CELLS.values()],
            }
        ),
    )
    ensure_tables(e)
    empty = pa.table(
        {"person_id": [], s.FORCE: [], s.RECORD_ID: []},
        schema=pa.schema(
            [("person_id", pa.string()), (s.FORCE, pa.string()), (s.RECORD_ID, pa.string())]
        ),
    )
    phones = pa.table({"number": pa.array([], pa.string()), "person_id": pa.array([], pa.string())})
    dwell = dwell_of(load_context(e, [_line()], empty, phones, SafeguardingConfig()))
    assert [cell for _, cell, _, _ in dwell.points] == [tw.TOWN]
    e.close()
