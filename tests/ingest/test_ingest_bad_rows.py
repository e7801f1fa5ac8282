"""One test per bad-input class: the reason, the row whole in quarantine, good rows loaded."""

from __future__ import annotations

from typing import Any

import pytest

from crossline.ingest import MissingColumnError
from crossline.model.schema import number_text

from .helpers import (
    COMMS_HEADER,
    EVENTS_HEADER,
    GOOD_COMMS,
    GOOD_EVENT,
    GOOD_INTEL,
    GOOD_NOMINAL,
    INTEL_HEADER,
    NOMINALS_HEADER,
    Loaded,
    csv_text,
)

FILES = {
    "comms": (COMMS_HEADER, GOOD_COMMS),
    "nominals": (NOMINALS_HEADER, [GOOD_NOMINAL]),
    "intelligence": (INTEL_HEADER, [GOOD_INTEL]),
    "events": (EVENTS_HEADER, [GOOD_EVENT]),
}


def _one_bad(load: Any, file: str, bad: str, reason: str, *, exact: bool = True) -> Loaded:
    """Put `bad` between the good rows of `file`; check it alone is quarantined, whole."""
    header, good = FILES[file]
    rows = [good[0], bad, *good[1:]]
    res: Loaded = load({f"{file}.csv": csv_text(header, rows)})
    assert res.counts(file) == {
        "loaded": len(good),
        "quarantined": 1,
        "duplicate": 0,
        "conflict": 0,
        "with_notes": 0,
    }
    (q,) = res.quarantine(file)
    assert q["source_file"] == f"{file}.csv"
    assert q["line_number"] == "3"  # header is line 1, first good row line 2
    assert q["raw_row"] == bad
    if exact:
        assert q["reason"] == reason
    else:
        assert q["reason"].startswith(reason), q["reason"]
    assert len(res.rows(file)) == len(good)
    return res


def _one_note(
    load: Any, file: str, row: str, column: str, value: str, reason: str, key: str
) -> dict[str, Any]:
    """Put `row`, whose optional `column` is invalid, between the good rows of `file`:
    the row loads with that value left empty (or the bad item out of a list), and a note
    with the source path, line, column, value and reason is in the quarantine."""
    header, good = FILES[file]
    res: Loaded = load({f"{file}.csv": csv_text(header, [good[0], row, *good[1:]])})
    assert res.counts(file) == {
        "loaded": len(good) + 1,
        "quarantined": 0,
        "duplicate": 0,
        "conflict": 0,
        "with_notes": 1,
    }
    (q,) = res.quarantine(file)
    assert (q["kind"], q["source_file"], q["line_number"]) == ("note", f"{file}.csv", "3")
    assert (q["column"], q["value"], q["reason"]) == (column, value, reason)
    assert q["source_path"].endswith(f"{file}.csv")
    keycol = "record_id" if file in ("comms", "nominals") else "event_id"
    (loaded,) = [r for r in res.rows(file) if r[keycol] == key]
    return loaded


def test_missing_required_column_refuses_file_and_loads_others(load: Any) -> None:
    header = COMMS_HEADER.replace(",source,", ",")
    rows = [r.replace(",07700 900123,", ",", 1) for r in GOOD_COMMS]
    res = load(
        {
            "comms.csv": csv_text(header, rows),
            "nominals.csv": csv_text(NOMINALS_HEADER, [GOOD_NOMINAL]),
        }
    )
    err = res.report.refused["comms"]
    assert isinstance(err, MissingColumnError)
    assert err.column == "source" and err.file == "comms"
    assert "'source'" in str(err)
    assert not res.report.ok
    with pytest.raises(MissingColumnError, match="source"):
        res.report.raise_for_refused()
    assert res.rows("comms") == []
    assert res.counts("nominals")["loaded"] == 1


def test_missing_required_value(load: Any) -> None:
    _one_bad(
        load,
        "comms",
        "r9,2024-06-01T12:00:00Z,,07700 900124,call,5,,,vodafone",
        "missing required value: source",
    )


def test_unparseable_time(load: Any) -> None:
    _one_bad(
        load,
        "comms",
        "r9,yesterday,07700 900123,07700 900124,call,5,,,vodafone",
        "unparseable time in start_time: 'yesterday'",
    )


def test_impossible_calendar_time(load: Any) -> None:
    _one_bad(
        load,
        "comms",
        "r9,2024-02-30T10:00:00Z,07700 900123,07700 900124,call,5,,,vodafone",
        "unparseable time in start_time: '2024-02-30T10:00:00Z'",
    )


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("07700 ABC", "contains letters"),
        ("07700 900123 ext 12", "has an extension"),
        ("077009001234567", "not a possible number"),
        ("12", "not a possible number"),
    ],
)
def test_unnormalisable_number(load: Any, number: str, why: str) -> None:
    _one_bad(
        load,
        "comms",
        f"r9,2024-06-01T12:00:00Z,07700 900123,{number},call,5,,,vodafone",
        f"unnormalisable number in target: '{number}' ({why})",
    )


def test_bad_entry_in_phone_list_is_a_note(load: Any) -> None:
    row = "n9,merseyside,Smith,John,1990,M,,,07700 900123;07700 ABC,"
    why = "unnormalisable number in phone_numbers: '07700 ABC' (contains letters)"
    got = _one_note(load, "nominals", row, "phone_numbers", "07700 ABC", why, "n9")
    assert got["phone_numbers"] == ["+447700900123"]


def test_unknown_kind(load: Any) -> None:
    _one_bad(
        load,
        "comms",
        "r9,2024-06-01T12:00:00Z,07700 900123,07700 900124,fax,5,,,vodafone",
        "unknown kind: 'fax'",
    )


def test_unknown_event_type(load: Any) -> None:
    _one_bad(
        load,
        "events",
        "e9,merseyside,picnic,2024-01-01T10:00:00Z,,,,,,,,",
        "unknown event_type: 'picnic'",
    )


def test_unknown_force(load: Any) -> None:
    _one_bad(
        load,
        "nominals",
        "n9,gotham,Wayne,Bruce,1970,M,,,,",
        "unknown force: 'gotham'",
    )


@pytest.mark.parametrize(
    ("column", "row", "value"),
    [
        ("source_evaluation", "i9,merseyside,2024-01-01T10:00:00Z,phone,x,t,4,A,P,", "4"),
        ("intelligence_assessment", "i9,merseyside,2024-01-01T10:00:00Z,phone,x,t,1,F,P,", "F"),
        ("handling_code", "i9,merseyside,2024-01-01T10:00:00Z,phone,x,t,1,A,Q,", "Q"),
    ],
)
def test_unknown_grading_code(load: Any, column: str, row: str, value: str) -> None:
    _one_bad(load, "intelligence", row, f"unknown {column}: '{value}'")


def test_unknown_flag_is_a_note(load: Any) -> None:
    row = "n9,merseyside,Smith,John,1990,M,,,,violence;bogus"
    why = "unknown flag in flags: 'bogus'"
    got = _one_note(load, "nominals", row, "flags", "bogus", why, "n9")
    assert got["flags"] == ["violence"]


def test_negative_duration_is_a_note(load: Any) -> None:
    row = "r9,2024-06-01T12:00:00Z,07700 900123,07700 900124,call,-5,,,vodafone"
    got = _one_note(load, "comms", row, "duration_s", "-5", "negative duration_s: -5", "r9")
    assert got["duration_s"] is None


def test_not_an_integer_is_a_note(load: Any) -> None:
    row = "r9,2024-06-01T12:00:00Z,07700 900123,07700 900124,call,12.5,,,vodafone"
    why = "not an integer in duration_s: '12.5'"
    got = _one_note(load, "comms", row, "duration_s", "12.5", why, "r9")
    assert got["duration_s"] is None


def test_latitude_out_of_range_is_a_note(load: Any) -> None:
    row = "e9,merseyside,arrest,2024-01-01T10:00:00Z,,,91,0,,,,"
    got = _one_note(load, "events", row, "lat", "91", "lat out of range: 91", "e9")
    assert got["lat"] is None and got["lon"] == 0


def test_cell_latitude_out_of_range_costs_the_row(load: Any) -> None:
    res = load({"cells.csv": "cell_id,lat,lon,azimuth\nc1,51.5,-0.1,90\nc2,91,0,\n"})
    assert res.counts("cells")["quarantined"] == 1  # a cell's position is required


def test_wrong_field_count(load: Any) -> None:
    _one_bad(
        load,
        "comms",
        "r9,2024-06-01T12:00:00Z,07700 900123,07700 900124,call,5,,vodafone",
        "wrong field count: expected 9, found 8",
    )


def test_invalid_utf8(load: Any) -> None:
    header, good = FILES["comms"]
    bad = b"r9,2024-06-01T12:00:00Z,07700 900123,07700 900124,call,5,C\xff\xfe,,vodafone"
    data = (header + "\n" + good[0] + "\n").encode() + bad + ("\n" + good[1] + "\n").encode()
    res = load({"comms.csv": data})
    assert res.counts("comms") == {
        "loaded": 2,
        "quarantined": 1,
        "duplicate": 0,
        "conflict": 0,
        "with_notes": 0,
    }
    (q,) = res.quarantine("comms")
    assert q["reason"] == "invalid UTF-8"
    assert q["line_number"] == "3"
    # The raw row is kept whole; the invalid bytes are written as \xNN escapes.
    assert q["raw_row"] == bad.decode("utf-8", "backslashreplace")
    assert "\\xff\\xfe" in q["raw_row"]


def test_field_over_64_kib(load: Any) -> None:
    big = "x" * (64 * 1024 + 1)
    _one_bad(
        load,
        "comms",
        f"r9,2024-06-01T12:00:00Z,07700 900123,07700 900124,call,5,{big},,vodafone",
        "field over 64 KiB in source_cell",
    )


def test_field_over_64_kib_is_measured_in_bytes(load: Any) -> None:
    big = "é" * (32 * 1024 + 1)  # 32K characters, over 64 KiB in UTF-8
    _one_bad(
        load,
        "comms",
        f"r9,2024-06-01T12:00:00Z,07700 900123,07700 900124,call,5,{big},,vodafone",
        "field over 64 KiB in source_cell",
    )


def test_handling_code_c_without_conditions(load: Any) -> None:
    _one_bad(
        load,
        "intelligence",
        "i9,merseyside,2024-01-01T10:00:00Z,phone,x,t,1,A,C,",
        "handling code C without handling_conditions",
    )


@pytest.mark.parametrize("dob", ["2023-02-30", "1990-13", "1899", "2999-01-01", "2999"])
def test_impossible_date_of_birth_is_a_note(load: Any, dob: str) -> None:
    row = f"n9,merseyside,Smith,John,{dob},M,,,,"
    why = f"impossible date_of_birth: '{dob}'"
    got = _one_note(load, "nominals", row, "date_of_birth", dob, why, "n9")
    assert got["date_of_birth"] is None and got["sex"] == "M"


def test_unparseable_date_of_birth_is_a_note(load: Any) -> None:
    row = "n9,merseyside,Smith,John,soon,M,,,,"
    why = "unparseable date_of_birth: 'soon'"
    _one_note(load, "nominals", row, "date_of_birth", "soon", why, "n9")


def test_multiline_bad_row_keeps_its_start_line_and_all_its_lines(load: Any) -> None:
    bad = 'i9,merseyside,2024-01-01T10:00:00Z,phone,x,"two\nlines",9,A,P,'
    res = _one_bad(load, "intelligence", bad, "unknown source_evaluation: '9'")
    assert res.rows("intelligence")[0]["intel_id"] == "i1"


def test_text_is_stored_verbatim(load: Any) -> None:
    text = 'He said "hi"; DROP TABLE comms; -- <script>alert(1)</script> 🚀\nnext line, too'
    quoted = '"' + text.replace('"', '""') + '"'
    rows = [
        f"i1,merseyside,2024-01-01T10:00:00Z,phone,07700900123,{quoted},1,A,C,{quoted}",
        "i2,merseyside,2024-01-01T10:00:00Z,address,'; DROP TABLE x,<b>x</b>,2,B,P,",
    ]
    res = load({"intelligence.csv": csv_text(INTEL_HEADER, rows)})
    assert res.counts("intelligence") == {
        "loaded": 2,
        "quarantined": 0,
        "duplicate": 0,
        "conflict": 0,
        "with_notes": 0,
    }
    got = res.rows("intelligence", "intel_id")
    assert got[0]["text"] == text
    assert got[0]["handling_conditions"] == text
    assert got[1]["subject_ref"] == "'; DROP TABLE x"
    assert got[1]["text"] == "<b>x</b>"


def test_values_are_normalised(load: Any) -> None:
    rows = [
        "n1,Metropolitan,  Smith ,  John   Paul ,1990-05,m,,,07700 900123; +44 (0)7700 900124,"
        "Violence; drugs_supply",
    ]
    res = load({"nominals.csv": csv_text(NOMINALS_HEADER, rows)})
    (row,) = res.rows("nominals")
    assert row["force"] == "metropolitan"
    assert row["family_name"] == "Smith"
    assert row["given_names"] == "John Paul"
    assert row["date_of_birth"] == "1990-05"
    assert row["sex"] == "M"
    assert row["phone_numbers"] == ["+447700900123", "+447700900124"]
    assert row["flags"] == ["violence", "drugs_supply"]
    assert row["address"] is None


def test_unknown_columns_ignored_and_column_order_free(load: Any) -> None:
    header = "provider,extra,kind,target,source,start_time,record_id"
    rows = ["ee,whatever,sms,07700900124,07700900123,2024-01-01T00:00:00Z,r1"]
    res = load({"comms.csv": csv_text(header, rows)})
    (row,) = res.rows("comms")
    assert number_text(row["source"]) == "+447700900123" and row["provider"] == "ee"
    assert row["duration_s"] is None and row["source_cell"] is None


def test_comms_without_provider_share_the_unknown_key_space(load: Any) -> None:
    header = "record_id,start_time,source,target,kind"
    rows = [
        "r1,2024-01-01T00:00:00Z,07700900123,07700900124,sms",
        "r1,2024-01-01T00:00:00Z,07700900123,07700900124,sms",
    ]
    res = load({"comms.csv": csv_text(header, rows)})
    assert res.counts("comms") == {
        "loaded": 1,
        "quarantined": 0,
        "duplicate": 1,
        "conflict": 0,
        "with_notes": 0,
    }
    assert res.rows("comms")[0]["provider"] == ""
