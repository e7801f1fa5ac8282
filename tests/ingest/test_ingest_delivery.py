"""Deliveries as forces and providers really send them: names, formats, encodings, line
ends, delimiters, broken quotes, missing columns. One test per defect of issue 17."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossline.ingest import MissingColumnError

from .helpers import COMMS_HEADER, GOOD_COMMS, GOOD_NOMINAL, NOMINALS_HEADER, csv_text, write

COMMS = csv_text(COMMS_HEADER, GOOD_COMMS)


@pytest.mark.parametrize("name", ["Comms.csv", "COMMS.CSV", "comms.txt", "comms.TSV"])
def test_contract_names_any_case_and_delimited_extensions(load: Any, name: str) -> None:
    text = COMMS.replace(",", "\t") if name.lower().endswith(".tsv") else COMMS
    res = load({name: text})
    assert res.counts("comms")["loaded"] == 2
    assert res.report.not_read == []


def test_gzipped_csv(load: Any, tmp_path: Path) -> None:
    ds = tmp_path / "gz"
    write(ds / "comms.csv.gz", gzip.compress(COMMS.encode()))
    assert load({}, dataset=ds).counts("comms")["loaded"] == 2


def test_xlsx_by_file_name_and_by_sheet_name(load: Any, tmp_path: Path) -> None:
    ds = tmp_path / "xl"
    ds.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "nominals"
    for line in [NOMINALS_HEADER, GOOD_NOMINAL]:
        ws.append(line.split(","))
    other = wb.create_sheet("notes")
    other.append(["anything"])
    wb.save(ds / "delivery.xlsx")
    res = load({}, dataset=ds)
    assert res.counts("nominals")["loaded"] == 1
    assert [n.to_json() for n in res.report.not_read] == [
        {"path": "delivery.xlsx[notes]", "reason": "sheet name is not a contract file name"}
    ]


def test_everything_else_is_reported_not_read(load: Any) -> None:
    res = load(
        {
            "comms.csv": COMMS,
            "comms.json": "{}",
            "readme.txt": "hello",
            "cells.csv": "",
            "other/x.csv": COMMS,
        }
    )
    got = {n.path: n.reason for n in res.report.not_read}
    assert got["comms.json"] == "format not read (.json)"
    assert got["readme.txt"].startswith("not a contract file")
    assert got["cells.csv"] == "empty file (0 bytes)"
    assert got["other/"] == "not a contract folder"
    assert res.report.to_json()["not_read"][0] == {"path": "cells.csv", "reason": got["cells.csv"]}


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
def test_utf8_and_utf16_with_bom(load: Any, encoding: str, bom: bytes) -> None:
    nominal = GOOD_NOMINAL.replace("Smith", "Šmíth")
    data = bom + csv_text(NOMINALS_HEADER, [nominal]).replace("\n", "\r\n").encode(encoding)
    res = load({"nominals.csv": data, "comms.csv": COMMS})
    assert res.counts("nominals")["loaded"] == 1
    assert res.rows("nominals")[0]["family_name"] == "Šmíth"
    assert res.counts("comms")["loaded"] == 2  # the good file beside it loads too


def test_cr_only_line_ends(load: Any) -> None:
    res = load(
        {
            "comms.csv": COMMS.replace("\n", "\r"),
            "nominals.csv": csv_text(NOMINALS_HEADER, [GOOD_NOMINAL]),
        }
    )
    assert res.counts("comms")["loaded"] == 2
    assert res.counts("nominals")["loaded"] == 1


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiter_is_sniffed(load: Any, delimiter: str) -> None:
    rows = [r.replace(",", delimiter) for r in [COMMS_HEADER, *GOOD_COMMS]]
    res = load({"comms.csv": "\n".join(rows) + "\n"})
    assert res.counts("comms")["loaded"] == 2


def test_unclosed_quote_costs_only_its_row(load: Any) -> None:
    good = [f"r{i},2024-06-01T12:00:00Z,07700900123,07700900124,sms,,,,ee" for i in range(50)]
    bad = 'rX,2024-06-01T12:00:00Z,07700900123,07700900124,sms,,"C1,,ee'
    rows = [*good[:10], bad, *good[10:]]
    res = load({"comms.csv": csv_text(COMMS_HEADER, rows)})
    assert res.counts("comms")["loaded"] == 50
    (q,) = res.quarantine("comms")
    assert (q["line_number"], q["reason"], q["raw_row"]) == ("12", "unclosed quote", bad)


def test_every_missing_column_named_with_the_closest_header(load: Any) -> None:
    header = "record_id,start time,Source No,kind"
    res = load({"comms.csv": header + "\nr1,x,y,call\n"})
    err = res.report.refused["comms"]
    assert isinstance(err, MissingColumnError)
    assert err.columns == ["start_time", "source", "target"]
    assert "'start_time' (closest header: 'start time')" in str(err)
    assert "'target'" in str(err)


def test_a_broken_gzip_is_refused_alone(load: Any, tmp_path: Path) -> None:
    ds = tmp_path / "badgz"
    write(ds / "comms.csv.gz", b"\x1f\x8bnot really gzip")
    write(ds / "nominals.csv", csv_text(NOMINALS_HEADER, [GOOD_NOMINAL]))
    res = load({}, dataset=ds)
    assert "comms.csv.gz: could not be read" in str(res.report.refused["comms"])
    assert res.counts("nominals")["loaded"] == 1


def test_a_corrupt_parquet_file_is_refused_alone(load: Any, tmp_path: Path) -> None:
    ds = tmp_path / "badpq"
    write(ds / "comms.parquet", b"PAR1 not really parquet")
    write(ds / "nominals.csv", csv_text(NOMINALS_HEADER, [GOOD_NOMINAL]))
    res = load({}, dataset=ds)
    assert "comms.parquet: could not be read" in str(res.report.refused["comms"])
    assert res.counts("nominals")["loaded"] == 1
