"""The safeguarding list on the hand-made line world, with hand-made force records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pytest

from crossline.analyse.lines.build import build_lines, register_table
from crossline.analyse.safeguard import safeguarding, with_safeguarding
from crossline.analyse.safeguard.findings import child_age
from crossline.analyse.safeguard.flags import flagged
from crossline.analyse.safeguard.people import Person, load_people
from crossline.engine.base import Engine
from crossline.engine.duckdb import DuckDBEngine
from crossline.model import outputs as o
from crossline.model import schema as s
from tests.conftest import on_engine
from tests.contract import contract_columns, without_extras

from . import tinyworld as tw

VA_PHONES = ["+447700900801", "+447700900802", "+447700900803"]
HOME_CELL = {VA_PHONES[0]: tw.TOWN, VA_PHONES[1]: tw.CITY, VA_PHONES[2]: tw.TOWN}
GONE_PHONES = ["+447700900811", "+447700900812"]
CHILD, ADULT, MISSING, CUCKOOED, BYSTANDER = "P-child", "P-adult", "P-missing", "P-va", "P-x"
# (person, force, record, dob, flags, phones)
NOMINALS = [
    (CHILD, "west-midlands", "n1", "2010-02-01", ["missing_history"], [tw.RUNNERS[0]]),
    (CHILD, "west-mercia", "n9", "2010-01-02", [], []),  # the same child, another force
    (ADULT, "west-midlands", "n2", "1990-05-05", ["drugs_supply"], [tw.RUNNERS[1]]),
    ("P-unknown", "west-mercia", "n6", None, ["drugs_supply"], [tw.RUNNERS[1]]),
    (MISSING, "west-midlands", "n3", "2011", ["missing_history"], []),
    (CUCKOOED, "west-mercia", "n4", "1960-03-03", ["vulnerable_adult"], []),
    (BYSTANDER, "west-midlands", "n5", "2009-09-09", ["missing_history"], []),
    # the controller calls these daily in the city; the last took one call from him
    ("P-friend", "west-midlands", "n7", "2011-01-01", [], [tw.FRIENDS[0]]),
    ("P-mate", "west-midlands", "n8", "1995-01-01", [], [tw.FRIENDS[1]]),
    ("P-once", "west-midlands", "n10", "2011-02-02", [], [tw.FRIENDS[5]]),
    # no cuckooing report: their own phones say where they live
    ("P-va-town", "west-mercia", "n11", "1958-04-04", ["vulnerable_adult"], [VA_PHONES[0]]),
    ("P-va-city", "west-midlands", "n12", "1957-05-05", ["vulnerable_adult"], [VA_PHONES[1]]),
    ("P-neighbour", "west-mercia", "n13", "1970-06-06", [], [VA_PHONES[2]]),
    # both go missing from home in the city; the controller calls one while she is missing,
    # the other twelve days after he was found
    ("P-gone", "west-midlands", "n14", "2012-01-01", [], [GONE_PHONES[0]]),
    ("P-later", "west-midlands", "n15", "2012-02-02", [], [GONE_PHONES[1]]),
]
# (force, type, when, record, phone, lat, lon)
EVENTS = [
    ("west-midlands", "missing_episode", "2026-05-06 08:00", "n3", None, 52.48, -1.89),
    ("west-mercia", "stop_search", "2026-05-07 22:00", None, None, None, None),
    ("west-mercia", "stop_search", "2026-05-07 23:00", "n3x", None, 52.70, -2.75),
    ("west-midlands", "found_after_missing", "2026-05-09 10:00", "n3", None, 52.48, -1.89),
    ("west-mercia", "cuckooing_report", "2026-05-10 10:00", "n4", None, 52.7074, -2.7552),
    # the bystander goes missing but stays at home in the city
    ("west-midlands", "missing_episode", "2026-05-06 08:00", "n5", None, 52.48, -1.89),
    ("west-midlands", "missing_episode", "2026-05-12 08:00", "n14", None, 52.48, -1.89),
    ("west-midlands", "found_after_missing", "2026-05-13 10:00", "n14", None, 52.48, -1.89),
    ("west-midlands", "missing_episode", "2026-05-12 08:00", "n15", None, 52.48, -1.89),
    ("west-midlands", "found_after_missing", "2026-05-13 10:00", "n15", None, 52.48, -1.89),
    # the holder's friend, whom he calls every day, goes missing too
    ("west-midlands", "missing_episode", "2026-05-12 08:00", "n8", None, 52.48, -1.89),
    ("west-midlands", "found_after_missing", "2026-05-13 10:00", "n8", None, 52.48, -1.89),
]


@pytest.fixture
def engine(tmp_path: Path, engine_kind: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The safeguarding world on each engine (conftest.engine_kind): the same answers."""
    e = DuckDBEngine(tmp_path / "x.duckdb")
    tw.load(e)
    once = tw.Comms()
    once.add(datetime(2026, 5, 8, 19), tw.CONTROLLER, tw.FRIENDS[5], "call", 60, tw.CITY, tw.CITY)
    once.add(datetime(2026, 5, 12, 20), tw.CONTROLLER, GONE_PHONES[0], "call", 40, tw.CITY, tw.CITY)
    once.add(datetime(2026, 5, 25, 20), tw.CONTROLLER, GONE_PHONES[1], "call", 40, tw.CITY, tw.CITY)
    for day in range(4):
        for phone, cell in HOME_CELL.items():
            once.add(datetime(2026, 5, 2 + day, 20), phone, "+447700900899", "call", 90, cell, cell)
    e.append(s.COMMS.name, pa.Table.from_pylist(once.rows))
    e.append(
        s.NOMINALS.name,
        pa.Table.from_pylist(
            [
                {
                    s.FORCE: f,
                    s.RECORD_ID: r,
                    s.FAMILY_NAME: "X",
                    s.GIVEN_NAMES: "Y",
                    s.DATE_OF_BIRTH: dob,
                    s.FLAGS: flags,
                    s.PHONE_NUMBERS: phones,
                }
                for _, f, r, dob, flags, phones in NOMINALS
            ]
        ),
    )
    rows = []
    for i, (f, kind, when, rec, phone, lat, lon) in enumerate(EVENTS):
        rows.append(
            {
                s.EVENT_ID: f"e{i}",
                s.FORCE: f,
                s.EVENT_TYPE: kind,
                s.OCCURRED_AT: datetime.fromisoformat(when),
                s.NOMINAL_RECORD_ID: rec,
                s.PHONE_NUMBER: phone,
                s.LAT: lat,
                s.LON: lon,
            }
        )
    # the stop in the importer town names the missing child's west-mercia record
    rows[2][s.NOMINAL_RECORD_ID] = "n3m"
    e.append(s.EVENTS.name, pa.Table.from_pylist(rows))
    on = on_engine(e, engine_kind, tmp_path / "spark", request)
    yield on
    if on is not e:
        on.close()
    e.close()


def persons_table() -> pa.Table:
    rows = [
        {"person_id": p, s.FORCE: f, s.RECORD_ID: r, "match_probability": 1.0}
        for p, f, r, *_ in NOMINALS
    ]
    rows.append(
        {
            "person_id": MISSING,
            s.FORCE: "west-mercia",
            s.RECORD_ID: "n3m",
            "match_probability": 0.99,
        }
    )
    return pa.Table.from_pylist(rows)


def phones_table() -> pa.Table:
    return pa.Table.from_pylist(
        [
            {"number": n, "person_id": p, "source": "nominal", "evidence": ""}
            for p, *_, phones in NOMINALS
            for n in phones
        ]
        + [{"number": tw.CONTROLLER, "person_id": "P-holder", "source": "nominal", "evidence": ""}]
    )


def people_of(engine: Engine) -> dict[str, Person]:
    return load_people(engine, persons_table())[0]


def listed(engine: Engine) -> dict[str, dict[str, object]]:
    table = safeguarding(engine, build_lines(engine), persons_table(), phones_table())
    assert without_extras(table.column_names, o.SAFEGUARDING) == contract_columns(
        "safeguarding.csv"
    )
    return {r["person_id"]: r for r in table.to_pylist()}


def test_child_runner_is_listed_for_both_referrals(engine: Engine) -> None:
    got = listed(engine)[CHILD]
    assert got["reasons"] == "child_runner"
    assert got["age_at_last_event"] == 16
    assert got["recommended_referral"] == "both"
    assert got["forces"] == "west-mercia;west-midlands"
    assert got["line_ids"] == build_lines(engine)[0].line_id


def test_adult_runner_without_vulnerability_is_not_listed(engine: Engine) -> None:
    assert ADULT not in listed(engine)


def test_runner_of_unknown_age_is_listed_for_a_check(engine: Engine) -> None:
    got = listed(engine)["P-unknown"]
    assert got["reasons"] == "runner_age_unknown"
    assert got["age_at_last_event"] is None
    assert got["recommended_referral"] == "statutory_safeguarding"


def test_missing_child_stopped_in_the_importer_area_is_linked(engine: Engine) -> None:
    got = listed(engine)
    assert got[MISSING]["reasons"] == "missing_episode_linked"
    assert got[MISSING]["recommended_referral"] == "both"
    assert BYSTANDER not in got  # missing, but never in a line's area


def test_cuckooed_vulnerable_adult_gets_statutory_safeguarding(engine: Engine) -> None:
    got = listed(engine)[CUCKOOED]
    assert got["reasons"] == "cuckooed_address;vulnerable_adult"
    assert got["recommended_referral"] == "statutory_safeguarding"
    assert got["line_ids"] == build_lines(engine)[0].line_id  # runners dwell at the address


def test_register_flags_child_runner_and_names_the_holder(engine: Engine) -> None:
    lines = build_lines(engine)
    table = safeguarding(engine, lines, persons_table(), phones_table())
    (row,) = with_safeguarding(
        register_table(lines), table, phones_table(), people_of(engine)
    ).to_pylist()
    assert row["evidence"].startswith(f"SAFEGUARDING: child runner(s) {tw.RUNNERS[0]} ({CHILD})")
    assert row["holder_nominal_ids"] == "P-holder"


def test_child_in_touch_with_the_controller_is_listed(engine: Engine) -> None:
    """Never seen in the importer area, so not a runner, but a child the line holder calls
    every day: a child at risk, listed for both referrals. An adult friend is not listed,
    nor a child he called once."""
    got = listed(engine)
    assert got["P-friend"]["reasons"] == "child_line_contact"
    assert got["P-friend"]["line_ids"] == build_lines(engine)[0].line_id
    assert got["P-friend"]["recommended_referral"] == "both"
    # recorded 2011-01-01, the placeholder for a year only: aged from mid-2011
    assert got["P-friend"]["age_at_last_event"] == 14
    assert "P-mate" not in got and "P-once" not in got


def test_register_flags_a_runner_number_no_record_names(engine: Engine) -> None:
    """Without the adult's records, the second runner number is nobody's: it may be a
    child's, and the register says so."""
    lines = build_lines(engine)
    phones = pa.Table.from_pylist(
        [r for r in phones_table().to_pylist() if r["number"] != tw.RUNNERS[1]]
    )
    table = safeguarding(engine, lines, persons_table(), phones)
    (row,) = with_safeguarding(register_table(lines), table, phones, people_of(engine)).to_pylist()
    assert (
        f"runner number(s) {tw.RUNNERS[1]} on no one's record: may be children" in (row["evidence"])
    )
    (full,) = with_safeguarding(
        register_table(lines), table, phones_table(), people_of(engine)
    ).to_pylist()
    assert "on no one's record" not in full["evidence"]


def test_vulnerable_adult_whose_home_the_line_works_from_is_listed(
    engine: Engine,
) -> None:
    """Nobody reported it, but the line's phones dwell at the mast that serves a vulnerable
    adult's own phone in the importer town. Not listed: a vulnerable adult at home in the
    city (where the runners live, not where the line works), nor a neighbour who is not
    vulnerable."""
    got = listed(engine)
    assert got["P-va-town"]["reasons"] == "line_phones_at_home;vulnerable_adult"
    assert got["P-va-town"]["line_ids"] == build_lines(engine)[0].line_id
    assert got["P-va-town"]["recommended_referral"] == "statutory_safeguarding"
    assert "P-va-city" not in got and "P-neighbour" not in got


def test_missing_child_the_controller_calls_while_missing_is_linked(
    engine: Engine,
) -> None:
    """One call from the line's controller while a child is missing links the episode to
    the line, though her phone is never placed in the importer area; the same one call
    twelve days after a child was found does not, nor do the everyday calls of the holder's
    friend who went missing the same day."""
    got = listed(engine)
    assert "P-mate" not in got
    assert got["P-gone"]["reasons"] == "missing_episode_linked"
    assert got["P-gone"]["line_ids"] == build_lines(engine)[0].line_id
    assert got["P-gone"]["recommended_referral"] == "both"
    assert "P-later" not in got


def _controller_also(pid: str) -> pa.Table:
    extra = {"number": tw.CONTROLLER, "person_id": pid, "source": "nominal", "evidence": ""}
    return pa.Table.from_pylist([*phones_table().to_pylist(), extra])


def test_a_child_linked_to_the_controller_is_listed_before_being_named_holder(
    engine: Engine,
) -> None:
    """A child's records give them the controller's number: a victim first. The list
    carries them with the reason, and the register names them only with the flag beside
    them; without the list's reason they are withheld from the holders, still flagged."""
    lines = build_lines(engine)
    phones = _controller_also(CHILD)
    table = safeguarding(engine, lines, persons_table(), phones)
    got = {r["person_id"]: r for r in table.to_pylist()}[CHILD]
    assert "child_named_holder" in got["reasons"].split(";")
    assert got["recommended_referral"] == "both"
    factors = {f["name"] for f in json.loads(got["evidence_factors"])}
    assert {"holds_controller_phone", "age"} <= factors
    (row,) = with_safeguarding(register_table(lines), table, phones, people_of(engine)).to_pylist()
    assert CHILD in row["holder_nominal_ids"].split(";")
    flags = json.loads(row["safeguarding_flags"])
    assert {"number": tw.CONTROLLER, "person_id": CHILD, "flag": "holder_child"} in [
        {k: f[k] for k in ("number", "person_id", "flag")} for f in flags
    ]
    assert flagged(row["safeguarding_flags"])
    empty = table.slice(0, 0)
    (bare,) = with_safeguarding(register_table(lines), empty, phones, people_of(engine)).to_pylist()
    assert CHILD not in bare["holder_nominal_ids"].split(";")
    assert "P-holder" in bare["holder_nominal_ids"].split(";")
    assert any(
        f["flag"] == "holder_child_withheld" and f["person_id"] == CHILD
        for f in json.loads(bare["safeguarding_flags"])
    )


def test_a_holder_of_unknown_age_is_said_to_be_so(engine: Engine) -> None:
    lines = build_lines(engine)
    phones = _controller_also("P-unknown")
    table = safeguarding(engine, lines, persons_table(), phones)
    (row,) = with_safeguarding(register_table(lines), table, phones, people_of(engine)).to_pylist()
    assert "P-unknown" in row["holder_nominal_ids"].split(";")
    assert any(
        f["flag"] == "holder_age_unknown" and f["person_id"] == "P-unknown"
        for f in json.loads(row["safeguarding_flags"])
    )
    assert "holder(s) of unknown age" in row["evidence"]


def test_a_first_of_january_birthday_is_read_as_the_year_only() -> None:
    """A child born in November 2008 and recorded as 2008-01-01 (the placeholder written
    when only the year is known) is 17 in April 2026, not 18; a date given in full
    otherwise is read as given."""
    april = datetime(2026, 4, 15)
    assert Person("P1", dobs=["2008-01-01"]).child_at(april)
    assert Person("P2", dobs=["2008-01-02"]).child_at(april) is False
    assert Person("P3", dobs=["2008-01-01", "2008-11-22"]).age_at(april) == 17
    assert Person("P4", dobs=["2007-01-01"]).child_at(april) is False
    # and the entry says the age is read from a year only
    assert Person("P1", dobs=["2008-01-01"]).year_only()
    assert not Person("P3", dobs=["2008-01-01", "2008-11-22"]).year_only()
    assert "only the year of birth" in child_age(17, "then", year_only=True).text
    assert "only the year" not in child_age(17, "then").text
