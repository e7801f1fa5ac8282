"""The safeguarding list when cells.csv is withheld: the call records still name the
serving cells, only their positions are unknown. Hand-made line and records; no cell has
a position."""

from __future__ import annotations

import json
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
from crossline.model import schema as s
from tests.conftest import on_engine

from . import tinyworld as tw

T0 = datetime(2026, 4, 1)
FORCE = "metropolitan"
DEAL = "+447700900001"
CUSTOMERS = [f"+4477009001{i:02d}" for i in range(4)]
PASSING = "+447700900150"  # a customer who called once from another town
# cells by id only: where the line's customers are served, and where children live
SOLD_1, SOLD_2, PASSED = "NOR-1", "NOR-2", "ELS-9"
HOME, OTHER_HOME, ELSEWHERE = "LON-1", "LON-2", "BRI-5"
# (person, record, dob, phone, cell at home, cell while missing)
CHILDREN = [
    ("P-taken", "m1", "2010-03-03", "+447700900201", HOME, SOLD_1),  # taken where it sells
    ("P-away", "m2", "2010-04-04", "+447700900202", HOME, ELSEWHERE),  # somewhere else
    ("P-local", "m3", "2010-05-05", "+447700900203", SOLD_2, SOLD_1),  # lives where it sells
    ("P-passed", "m4", "2010-06-06", "+447700900204", OTHER_HOME, PASSED),  # one customer once
    ("P-regular", "m5", "2010-07-07", "+447700900205", HOME, SOLD_2),  # seen there every week
]
MISSING, FOUND = T0 + timedelta(days=10, hours=8), T0 + timedelta(days=13, hours=20)


def _comms() -> list[dict[str, object]]:
    c = tw.Comms()
    for day in range(30):
        t = T0 + timedelta(days=day, hours=12)
        for i, cust in enumerate(CUSTOMERS):
            c.add(t + timedelta(minutes=i), cust, DEAL, "call", 30, SOLD_1 if i < 2 else SOLD_2)
    c.add(T0 + timedelta(days=3), PASSING, DEAL, "call", 30, PASSED, HOME)
    for _, _, _, phone, home, away in CHILDREN:
        for day in range(30):
            t = T0 + timedelta(days=day, hours=18)
            missing = MISSING <= t <= FOUND
            cell = away if missing else home
            if phone.endswith("205") and day % 7 == 0:
                cell = away  # the regular is served there every week, missing or not
            c.add(t, phone, tw.FRIENDS[0], "call", 60, cell, HOME)
    return c.rows


@pytest.fixture
def engine(tmp_path: Path, engine_kind: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """No cell-site list: every cell id in the call records is unknown."""
    e = DuckDBEngine(tmp_path / "x.duckdb")
    ensure_tables(e)
    e.append(s.COMMS.name, pa.Table.from_pylist(_comms()))
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
                    s.PHONE_NUMBERS: [phone],
                }
                for _, rec, dob, phone, *_ in CHILDREN
            ]
        ),
    )
    events = [
        {
            s.EVENT_ID: f"e{i}{kind[0]}",
            s.FORCE: FORCE,
            s.EVENT_TYPE: kind,
            s.OCCURRED_AT: when,
            s.NOMINAL_RECORD_ID: rec,
        }
        for i, (_, rec, *_) in enumerate(CHILDREN)
        for kind, when in (("missing_episode", MISSING), ("found_after_missing", FOUND))
    ]
    e.append(s.EVENTS.name, pa.Table.from_pylist(events))
    on = on_engine(e, engine_kind, tmp_path / "spark", request)
    yield on
    if on is not e:
        on.close()
    e.close()


def _line() -> Line:
    """As the register builds it without cells: no exporter, no importer, no runners."""
    deal = DealNumber(DEAL, T0, T0 + timedelta(days=29), 30, 30, 10, 14, 14, 100, 1.0, "")
    return Line("CL-NOR", [deal], {*CUSTOMERS, PASSING}, None, [], "", "", 1.0, "")


def _listed(engine: Engine) -> dict[str, dict[str, object]]:
    persons = pa.Table.from_pylist(
        [
            {"person_id": p, s.FORCE: FORCE, s.RECORD_ID: rec, "match_probability": 1.0}
            for p, rec, *_ in CHILDREN
        ]
    )
    phones = pa.Table.from_pylist(
        [
            {"number": phone, "person_id": p, "source": "nominal", "evidence": ""}
            for p, _, _, phone, *_ in CHILDREN
        ]
    )
    return {r["person_id"]: r for r in safeguarding(engine, [_line()], persons, phones).to_pylist()}


def test_a_missing_child_served_where_the_line_sells_is_linked(engine: Engine) -> None:
    """While missing, P-taken's phone is served by a cell it never uses otherwise, and
    which serves the line's customers day after day: listed against the line, though no
    cell has a position and the line has no importer area."""
    got = _listed(engine)
    row = got["P-taken"]
    assert row["reasons"] == "missing_episode_linked"
    assert row["line_ids"] == "CL-NOR"
    assert row["support"] == "strong"
    assert "phone_where_line_sells" in str(row["evidence_factors"])


def test_not_linked_elsewhere_at_home_in_passing_or_as_usual(engine: Engine) -> None:
    """Not listed: a child who went somewhere no customer is served; one who lives where
    the line sells (the cell serving her most is one of its selling cells); one who went
    where a single customer called from once (passing, not selling); and one whose phone
    is served at the selling cell every week, missing or not (not new to the phone)."""
    got = _listed(engine)
    for pid in ("P-away", "P-local", "P-passed", "P-regular"):
        assert pid not in got, pid


# --- a record for supply where a line sells, the line placed by its customers' addresses
WALES, HOME_FORCE = "north-wales", "metropolitan"
WALES_CUSTOMERS = [f"+4477009003{i:02d}" for i in range(4)]
SPLIT_CUSTOMERS = [f"+4477009004{i:02d}" for i in range(6)]
HOME_CUSTOMERS = [f"+4477009005{i:02d}" for i in range(3)]
# (person, force, record, postcode, flags); the first three say LL57 is in North Wales
RECORDS = [
    ("P-w1", WALES, "w1", "LL57 1AA", []),
    ("P-w2", WALES, "w2", "LL57 3CC", []),
    ("P-w3", WALES, "w3", "LL57 4DD", []),
    ("P-dealt", HOME_FORCE, "h1", "SE1 7PB", ["missing_history"]),
    ("P-dealt", WALES, "w4", "SE1 7PB", ["drugs_supply"]),  # the same child, in Wales
    ("P-visit", HOME_FORCE, "h2", "SE1 7PC", ["missing_history"]),
    ("P-visit", WALES, "w5", "SE1 7PC", []),  # known in Wales, not for supply
    ("P-home", HOME_FORCE, "h3", "SE1 7PD", ["missing_history", "drugs_supply"]),
    ("P-later", HOME_FORCE, "h4", "SE1 7PE", ["missing_history"]),
    ("P-later", WALES, "w6", "SE1 7PE", ["drugs_supply"]),  # missing after the line ended
]
SE1 = [("P-se", HOME_FORCE, f"s{i}", f"SE1 9X{i}", []) for i in range(3)]
EPISODE_DAY = {"P-dealt": 10, "P-visit": 10, "P-home": 10, "P-later": 45}


@pytest.fixture
def wales(tmp_path: Path) -> Iterator[Engine]:
    e = DuckDBEngine(tmp_path / "w.duckdb")
    ensure_tables(e)
    e.append(
        s.NOMINALS.name,
        pa.Table.from_pylist(
            [
                {
                    s.FORCE: f,
                    s.RECORD_ID: r,
                    s.FAMILY_NAME: "X",
                    s.GIVEN_NAMES: "Y",
                    s.DATE_OF_BIRTH: "2010-05-05",
                    s.ADDRESS: "1 High Street, Bangor" if f == WALES else "1 Road, Southwark",
                    s.POSTCODE: pc,
                    s.FLAGS: flags,
                    s.PHONE_NUMBERS: [],
                }
                for _, f, r, pc, flags in [*RECORDS, *SE1]
            ]
        ),
    )
    registered = [(n, "LL57 2BB") for n in WALES_CUSTOMERS]
    registered += [(n, "LL57 2BB" if i < 3 else "SE1 9ZZ") for i, n in enumerate(SPLIT_CUSTOMERS)]
    registered += [(n, "SE1 9ZZ") for n in HOME_CUSTOMERS]
    e.append(
        s.SUBSCRIBERS.name,
        pa.Table.from_pylist(
            [
                {
                    s.NUMBER: n,
                    s.REGISTERED_NAME: "Z",
                    s.REGISTERED_ADDRESS: "2 Lane, Town",
                    s.POSTCODE: pc,
                }
                for n, pc in registered
            ]
        ),
    )
    events = []
    for pid, rec in (("P-dealt", "h1"), ("P-visit", "h2"), ("P-home", "h3"), ("P-later", "h4")):
        day = EPISODE_DAY[pid]
        for kind, when in (("missing_episode", day), ("found_after_missing", day + 3)):
            events.append(
                {
                    s.EVENT_ID: f"{rec}{kind[0]}",
                    s.FORCE: HOME_FORCE,
                    s.EVENT_TYPE: kind,
                    s.OCCURRED_AT: T0 + timedelta(days=when),
                    s.NOMINAL_RECORD_ID: rec,
                }
            )
    e.append(s.EVENTS.name, pa.Table.from_pylist(events))
    yield e
    e.close()


def _wales_lines() -> list[Line]:
    def deal(n: str) -> DealNumber:
        return DealNumber(n, T0, T0 + timedelta(days=29), 30, 30, 10, 14, 14, 100, 1.0, "")

    return [
        Line("CL-WALES", [deal(DEAL)], set(WALES_CUSTOMERS), None, [], "", "", 1.0, ""),
        Line("CL-SPLIT", [deal(tw.DEAL_2)], set(SPLIT_CUSTOMERS), None, [], "", "", 1.0, ""),
        Line("CL-HOME", [deal(tw.SHOP)], set(HOME_CUSTOMERS), None, [], "", "", 1.0, ""),
    ]


def _wales_persons() -> pa.Table:
    return pa.Table.from_pylist(
        [
            {"person_id": p, s.FORCE: f, s.RECORD_ID: r, "match_probability": 1.0}
            for p, f, r, *_ in [*RECORDS, *SE1]
        ]
    )


_NO_PHONES = pa.table(
    {
        "number": pa.array([], pa.string()),
        "person_id": pa.array([], pa.string()),
        "source": pa.array([], pa.string()),
        "evidence": pa.array([], pa.string()),
    }
)


def test_a_line_sells_where_most_of_its_registered_customers_live(wales: Engine) -> None:
    """All four CL-WALES customers are registered in postcode district LL57, where North
    Wales holds every nominal record: it sells there; CL-HOME's three in SE1, where the
    Metropolitan Police hold most records. CL-SPLIT's are three and three: no clear
    majority, no claim."""
    from crossline.analyse.safeguard.areas import importers
    from crossline.analyse.safeguard.config import SafeguardingConfig
    from crossline.analyse.safeguard.people import load_context

    ctx = load_context(wales, _wales_lines(), _wales_persons(), _NO_PHONES, SafeguardingConfig())
    got = importers(ctx)
    assert set(got) == {"CL-WALES", "CL-HOME"}
    assert got["CL-WALES"].force == WALES
    assert got["CL-HOME"].force == HOME_FORCE
    factor = got["CL-WALES"].factor
    assert factor is not None and factor.name == "importer_from_customer_registrations"


def test_a_missing_child_recorded_for_supply_where_the_line_sells_is_linked(
    wales: Engine,
) -> None:
    """P-dealt, reported missing in London, is on a North Wales record for drug supply
    while CL-WALES sells there: listed against it, with where the line sells and why.
    Not listed: a child North Wales knows for nothing to do with supply, one whose supply
    record is at home (where CL-HOME sells: the force that reported her missing), and one
    who went missing after the line had stopped."""
    table = safeguarding(wales, _wales_lines(), _wales_persons(), _NO_PHONES)
    got = {r["person_id"]: r for r in table.to_pylist()}
    row = got["P-dealt"]
    assert row["reasons"] == "missing_episode_linked"
    assert row["line_ids"] == "CL-WALES"
    assert row["support"] == "strong"
    names = {f["name"] for f in json.loads(str(row["evidence_factors"]))}
    assert {"supply_record_where_line_sells", "importer_from_customer_registrations"} <= names
    for pid in ("P-visit", "P-home", "P-later"):
        assert pid not in got, pid


# --- a runner trip read from cell ids: the unidentified runner number comes to the cells
# the line's customers use when the child goes missing, and leaves when she is found
RUNNER = "+447700900099"  # on no one's record
CONTROLLER = "+447700900010"
TRIP_CUSTOMERS = WALES_CUSTOMERS


@pytest.fixture
def trip(tmp_path: Path) -> Iterator[Engine]:
    e = DuckDBEngine(tmp_path / "t.duckdb")
    ensure_tables(e)
    c = tw.Comms()
    for day in range(30):
        t = T0 + timedelta(days=day, hours=12)
        for i, cust in enumerate(TRIP_CUSTOMERS):
            c.add(t + timedelta(minutes=i), cust, DEAL, "call", 30, SOLD_1, HOME)
        for hour in (9, 21):
            away = 3 <= day <= 5
            # in town it is served where the customers are, once by a cell they do not
            # use; at home by the cell where the controller is
            cell = (ELSEWHERE if (day, hour) == (4, 21) else SOLD_1) if away else HOME
            when = T0 + timedelta(days=day, hours=hour)
            c.add(when, CONTROLLER, RUNNER, "call", 60, HOME, cell)
    e.append(s.COMMS.name, pa.Table.from_pylist(c.rows))
    area = [(f, r, pc) for _, f, r, pc, _ in RECORDS[:3]]  # LL57 is in North Wales
    area += [(HOME_FORCE, "k1", "SE1 1AA"), (HOME_FORCE, "k2", "SE1 1AB")]  # the holder's
    area += [(HOME_FORCE, "c1", "SE1 2AA"), (HOME_FORCE, "c2", "SE1 2AB")]  # the children
    e.append(
        s.NOMINALS.name,
        pa.Table.from_pylist(
            [
                {
                    s.FORCE: f,
                    s.RECORD_ID: r,
                    s.FAMILY_NAME: "X",
                    s.GIVEN_NAMES: "Y",
                    s.DATE_OF_BIRTH: "2011-03-03" if r.startswith("c") else "1990-02-02",
                    s.POSTCODE: pc,
                    s.FLAGS: [],
                    s.PHONE_NUMBERS: [],
                }
                for f, r, pc in area
            ]
        ),
    )
    e.append(
        s.SUBSCRIBERS.name,
        pa.Table.from_pylist([{s.NUMBER: n, s.POSTCODE: "LL57 2BB"} for n in TRIP_CUSTOMERS]),
    )
    events = []
    for rec, (d0, d1) in (("c1", (3, 6)), ("c2", (12, 14))):
        for kind, day in (("missing_episode", d0), ("found_after_missing", d1)):
            events.append(
                {s.EVENT_ID: f"{rec}{kind[0]}", s.FORCE: HOME_FORCE, s.EVENT_TYPE: kind,
                 s.OCCURRED_AT: T0 + timedelta(days=day, hours=8), s.NOMINAL_RECORD_ID: rec}
            )  # fmt: skip
    e.append(s.EVENTS.name, pa.Table.from_pylist(events))
    yield e
    e.close()


def test_a_runner_trip_is_read_from_the_cells_the_customers_use(trip: Engine) -> None:
    """No cell has a position and the line has no areas from cells. Its customers'
    registrations place it in North Wales, its holder's records run it from London, and
    its unidentified runner number is served at the cell its customers use from day 3 to
    day 5 (once, on day 4, by a cell nobody else uses: not known to be elsewhere, so the
    trip goes on), and at the controller's cell otherwise: the child missing from London
    from day 3 to day 6 is listed; the child missing on days 12 to 14, while the number
    was at home, is not."""
    deal = DealNumber(DEAL, T0, T0 + timedelta(days=29), 30, 30, 10, 14, 14, 100, 1.0, "")
    line = Line("CL-TRIP", [deal], set(TRIP_CUSTOMERS), CONTROLLER, [RUNNER], "", "", 1.0, "")
    records = [("P-holder", "k1"), ("P-holder", "k2"), ("P-trip", "c1"), ("P-home", "c2")]
    persons = pa.Table.from_pylist(
        [
            {"person_id": p, s.FORCE: HOME_FORCE, s.RECORD_ID: r, "match_probability": 1.0}
            for p, r in records
        ]
    )
    phones = pa.Table.from_pylist(
        [{"number": CONTROLLER, "person_id": "P-holder", "source": "nominal", "evidence": ""}]
    )
    got = {r["person_id"]: r for r in safeguarding(trip, [line], persons, phones).to_pylist()}
    row = got["P-trip"]
    assert row["reasons"] == "missing_episode_linked"
    assert row["line_ids"] == "CL-TRIP"
    names = {f["name"] for f in json.loads(str(row["evidence_factors"]))}
    assert {
        "runner_trip_matches_episode",
        "importer_from_customer_registrations",
        "exporter_from_holder_records",
    } <= names
    assert "P-home" not in got
