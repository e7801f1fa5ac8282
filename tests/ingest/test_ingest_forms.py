"""Values in the forms forces and providers write them; repeats, the quarantine's history,
mapping files, and every row accounted for."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import ingest_dataset, status
from crossline.ingest.errors import MappingError
from crossline.ingest.mapping import load_mapping

from .helpers import COMMS_HEADER, EVENTS_HEADER, GOOD_EVENT, NOMINALS_HEADER, csv_text, write


def _nominal(load: Any, row: str) -> dict[str, Any]:
    res = load({"nominals.csv": csv_text(NOMINALS_HEADER, [row])})
    assert res.counts("nominals")["loaded"] == 1, res.quarantine("nominals")
    assert res.counts("nominals")["with_notes"] == 0, res.quarantine("nominals")
    out: dict[str, Any] = res.rows("nominals")[0]
    return out


def _comms(load: Any, row: str) -> dict[str, Any]:
    res = load({"comms.csv": csv_text(COMMS_HEADER, [row])})
    assert res.counts("comms")["loaded"] == 1, res.quarantine("comms")
    assert res.counts("comms")["with_notes"] == 0, res.quarantine("comms")
    out: dict[str, Any] = res.rows("comms")[0]
    return out


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("02/01/2010", "2010-01-02"),
        ("2/1/2010", "2010-01-02"),
        ("2 Jan 2010", "2010-01-02"),
        ("14 February 1999", "1999-02-14"),
        ("1990-05", "1990-05"),
    ],
)
def test_dates_of_birth_uk_and_long_forms(load: Any, written: str, iso: str) -> None:
    got = _nominal(load, f"n1,merseyside,Smith,Ann,{written},F,,,,child_looked_after")
    assert got["date_of_birth"] == iso


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("01/03/2026 14:05:00", datetime(2026, 3, 1, 14, 5)),
        ("01/07/2026 14:05", datetime(2026, 7, 1, 13, 5)),
    ],
)
def test_uk_times(load: Any, written: str, utc: datetime) -> None:
    got = _comms(load, f"r1,{written},07700900123,07700900124,sms,,,,ee")
    assert got["start_time"] == utc


@pytest.mark.parametrize(
    ("written", "secs"), [("65", 65), ("01:05", 65), ("00:01:05", 65), ("1:00:00", 3600)]
)
def test_durations(load: Any, written: str, secs: int) -> None:
    got = _comms(load, f"r1,2024-06-01T12:00:00Z,07700900123,07700900124,call,{written},,,ee")
    assert got["duration_s"] == secs


@pytest.mark.parametrize(
    ("written", "code"), [("male", "M"), ("Female", "F"), ("UNKNOWN", "U"), ("m", "M")]
)
def test_sex_words(load: Any, written: str, code: str) -> None:
    assert _nominal(load, f"n1,merseyside,Smith,Ann,,{written},,,,")["sex"] == code


def test_flags_by_label(load: Any) -> None:
    got = _nominal(load, 'n1,merseyside,Smith,Ann,,,,,,"Vulnerable Adult; missing-history"')
    assert got["flags"] == ["vulnerable_adult", "missing_history"]


@pytest.mark.parametrize(
    ("written", "force"),
    [
        ("GMP", "greater-manchester"),
        ("Greater Manchester Police", "greater-manchester"),
        ("Met", "metropolitan"),
        ("MPS", "metropolitan"),
        ("Kent Police", "kent"),
        ("Avon & Somerset Constabulary", "avon-and-somerset"),
        ("MERSEYSIDE", "merseyside"),
    ],
)
def test_forces_by_id_name_and_common_name(load: Any, written: str, force: str) -> None:
    assert _nominal(load, f'n1,"{written}",Smith,Ann,,,,,,')["force"] == force


@pytest.mark.parametrize("sep", [";", ",", "/", "\n"])
def test_phone_lists(load: Any, sep: str) -> None:
    got = _nominal(load, f'n1,merseyside,Smith,Ann,,,,,"07700 900123{sep}07700 900124",')
    assert got["phone_numbers"] == ["+447700900123", "+447700900124"]


def test_one_name_is_enough_and_none_is_not(load: Any) -> None:
    rows = ["n1,merseyside,Smith,,,,,,,", "n2,merseyside,,Ann,,,,,,", "n3,merseyside, , ,,,,,,"]
    res = load({"nominals.csv": csv_text(NOMINALS_HEADER, rows)})
    assert res.counts("nominals")["loaded"] == 2
    (q,) = res.quarantine("nominals")
    assert q["reason"] == "no family_name or given_names: at least one is needed"
    header = NOMINALS_HEADER.replace(",given_names", "")
    res = load({"nominals.csv": csv_text(header, ["n4,merseyside,Smith,,,,,,"])})
    assert res.counts("nominals")["loaded"] == 1


def test_conflict_with_the_store_is_quarantined_not_dropped(load: Any) -> None:
    first = "r1,2024-06-01T12:00:00Z,07700900123,07700900124,call,60,,,ee"
    load({"comms.csv": csv_text(COMMS_HEADER, [first])})
    again = load(
        {
            "comms.csv": csv_text(
                COMMS_HEADER, [first, first.replace(",60,", ",61,").replace("r1", "r2")]
            )
        }
    )
    assert again.counts("comms")["duplicate"] == 1
    changed = load({"comms.csv": csv_text(COMMS_HEADER, [first.replace(",60,", ",99,")])})
    assert changed.counts("comms") == {
        "loaded": 0,
        "quarantined": 0,
        "duplicate": 0,
        "conflict": 1,
        "with_notes": 0,
    }
    (q,) = changed.quarantine("comms")
    assert q["kind"] == "conflict"
    assert q["reason"] == "conflict: key already loaded with other duration_s"
    assert q["raw_row"] == first.replace(",60,", ",99,")
    assert [r["duration_s"] for r in changed.rows("comms", "record_id")] == [60, 61]


def test_quarantine_is_appended_with_source_path_and_load_id(load: Any, tmp_path: Path) -> None:
    bad1 = "r8,yesterday,07700900123,07700900124,call,5,,,ee"
    bad2 = "r9,tomorrow,07700900123,07700900124,call,5,,,ee"
    ds = tmp_path / "deliv"
    load({"comms.csv": csv_text(COMMS_HEADER, [bad1])}, dataset=ds)
    second = load({"comms.csv": csv_text(COMMS_HEADER, [bad2])}, dataset=tmp_path / "d2")
    every = second.quarantine_dir / "comms.csv"
    text = every.read_text("utf-8")
    assert bad1 in text and bad2 in text  # the first delivery's bad row is not lost
    (q,) = second.quarantine("comms")
    assert q["source_path"] == str((tmp_path / "d2" / "comms.csv").resolve())
    assert int(q["load_id"]) > second.since
    # fixed and delivered again: the old bad row is history, not what stands
    fixed = load(
        {"comms.csv": csv_text(COMMS_HEADER, [bad1.replace("yesterday", "2024-06-01T12:00:00Z")])},
        dataset=ds,
    )
    assert fixed.counts("comms")["loaded"] == 1
    assert status(fixed.engine)["quarantine"] == {"comms": 1}  # only bad2's


MAPPING = """
[comms]
files = ["CDR_*.csv"]

[comms.columns]
"Record" = "record_id"
"Start" = "start_time"
"Calling Number" = "source"
"Called Number" = "target"
"Call Type" = "kind"
"Network" = "provider"

[comms.values.kind]
"Voice" = "call"
"SMS-MO" = "sms"
"""


def test_mapping_file(tmp_path: Path, engine: DuckDBEngine) -> None:
    ds = tmp_path / "prov"
    write(
        ds / "CDR_2024-06.csv",
        "Record,Start,Calling Number,Called Number,Call Type,Network\n"
        "a1,2024-06-01 12:00,07700900123,07700900124,Voice,ee\n"
        "a2,2024-06-01 12:01,07700900123,07700900124,sms-mo,ee\n",
    )
    write(tmp_path / "map.toml", MAPPING)
    report = ingest_dataset(engine, ds, tmp_path / "q", mapping=load_mapping(tmp_path / "map.toml"))
    assert report.files["comms"].loaded == 2
    kinds = engine.query("SELECT kind FROM comms ORDER BY record_id").column(0).to_pylist()
    assert kinds == ["call", "sms"]


@pytest.mark.parametrize(
    ("text", "msg"),
    [
        ("[comms.columns]\nX = 'nope'\n", "not a comms column"),
        ("[calls]\n", "not a contract file"),
        ("[comms\n", "not valid TOML"),
    ],
)
def test_bad_mapping_is_one_line(tmp_path: Path, text: str, msg: str) -> None:
    write(tmp_path / "m.toml", text)
    with pytest.raises(MappingError, match=msg) as info:
        load_mapping(tmp_path / "m.toml")
    assert "\n" not in str(info.value)


_CELL = st.sampled_from(
    ["", "x", "07700900123", "-5", "2024-06-01", "call", '"', '"a,b"', "é", "\n"]
)


@given(
    st.lists(st.lists(_CELL, min_size=1, max_size=14), max_size=12),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_every_row_is_accounted_for(tmp_path_factory: Any, rows: list[list[str]], end: str) -> None:
    """loaded + quarantined + duplicate + conflict = records read, whatever the delivery."""
    root = tmp_path_factory.mktemp("prop")
    lines = [
        EVENTS_HEADER,
        GOOD_EVENT,
        *(",".join(r) for r in rows),
        GOOD_EVENT.replace("e1", "e2"),
    ]
    write(root / "ds" / "events.csv", end.join(lines) + end)
    engine = DuckDBEngine(root / "x.duckdb")
    try:
        c = ingest_dataset(engine, root / "ds", root / "q").files["events"]
        in_store = engine.scalar("SELECT count(*) FROM events")
        entries = engine.scalar("SELECT count(*) FROM quarantine WHERE kind <> 'note'")
    finally:
        engine.close()
    assert c.loaded == in_store and c.quarantined + c.conflict == entries
    assert c.loaded >= 2
    # every non-blank physical record is one of the four
    assert c.rows >= 2
