"""The CSV fast path (the engine's own reader) against the exact path (Python's csv module):
the same store, the same quarantine and the same notes, and the fast path only where it is
exact."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import ingest_dataset
from crossline.ingest.csv_fast import fast_csv, scan_fast
from crossline.ingest.load import EXACT_CSV_ENV
from crossline.ingest.validate import build_clean_view
from crossline.model.schema import INPUT_BY_NAME

from .helpers import COMMS_HEADER, EVENTS_HEADER, GOOD_EVENT, NOMINALS_HEADER, write

_TABLES = ("comms", "nominals", "events", "quarantine")
_LOADS = "load_id, file, source_paths, loaded, quarantined, duplicate, conflict, with_notes"


def _outputs(ds: Path, work: Path, exact: bool, mp: pytest.MonkeyPatch) -> dict[str, Any]:
    """Every table the loads of `ds` (twice: the second meets the first in the store)
    leave, the reports and the quarantine files' bytes."""
    if exact:
        mp.setenv(EXACT_CSV_ENV, "1")
    else:
        mp.delenv(EXACT_CSV_ENV, raising=False)
    engine = DuckDBEngine(work / "x.duckdb")
    try:
        reports = [ingest_dataset(engine, ds, work / "q").to_json() for _ in range(2)]
        out: dict[str, Any] = {"reports": reports}
        for t in _TABLES:
            out[t] = engine.query(f"SELECT * FROM {t} ORDER BY ALL").to_pylist()
        out["loads"] = engine.query(f"SELECT {_LOADS} FROM ingest_loads ORDER BY ALL").to_pylist()
    finally:
        engine.close()
    out["files"] = {p.name: p.read_bytes() for p in sorted((work / "q").glob("*.csv"))}
    return out


def _agree(tmp: Path, mp: pytest.MonkeyPatch, ds: Path) -> dict[str, Any]:
    fast = _outputs(ds, tmp / "fast", exact=False, mp=mp)
    exact = _outputs(ds, tmp / "exact", exact=True, mp=mp)
    for key in exact:
        assert fast[key] == exact[key], key
    return fast


def _takes_fast_path(path: Path, spec: str) -> bool:
    engine = DuckDBEngine()
    try:
        fs = INPUT_BY_NAME[spec]
        fast = fast_csv(engine, fs, [path], path.name)
        if fast is None:
            return False
        build_clean_view(engine, fs, fast[0])
        return scan_fast(engine, fs, fast[0], fast[1], date.today()) is not None
    finally:
        engine.close()


COMMS_WITH_DEFECTS = [
    "r1,2024-06-01T12:00:00Z,07700 900123,+44 7700 900124,call,60,C1,C2,vodafone",
    "r2,01/06/2024 13:00,447700900125,07700900123,sms,,C1,,vodafone",  # a UK time
    "r3,2024-06-01T12:00:00Z,07700900123,07700900124,call,abc,C1,C2,ee",  # note: duration
    "r4,,07700900123,07700900124,call,5,C1,C2,ee",  # missing start_time: quarantined
    "r5,2024-06-01T12:00:00Z,not a number,07700900124,call,5,C1,C2,ee",  # bad number
    "r1,2024-06-01T12:00:00Z,07700 900123,+44 7700 900124,call,60,C1,C2,vodafone",  # dup
    "r1,2024-06-01T12:00:00Z,07700 900123,+44 7700 900124,call,61,C1,C2,vodafone",  # conflict
    'r6,2024-06-01T12:00:00Z,07700900123,07700900124,"sms",,"C,1", C2 ,ee',  # quoting, spaces
    "r7,2024-06-01T12:00:00Z,07700900123,07700900124,fax,5,C1,C2,ee",  # unknown kind
    "r8,2024-06-01T12:00:00Z,07700900123,07700900124,call,00:01:05,C1,C2,ee",  # clock form
    "r9,2024-06-01T12:00:00Z,07700900123,07700900124,call,-4,C1,C2,ee",  # note: negative
    "r10,2024-06-01T12:00:00Z,07700900123,07700900124,call,5,C1,C2," + "x" * 70_000,  # > 64 KiB
]
NOMINALS_WITH_DEFECTS = [
    "n1,metropolitan,Smith,John,1990-01-02,M,1 High St,AB1 2CD,07700 900123,violence",
    "n2,GMP,Jones,,02/01/2010,Male,,,07700 900124;bad,Vulnerable Adult",  # forms and a note
    "n3,nowhere,Brown,Ann,1990-01-02,F,,,,",  # unknown force: quarantined
    "n4,kent,,,1990-01-02,F,,,,",  # no name at all: quarantined
    "n5,kent,Green,Al,2990-01-02,X,,,,odd flag",  # notes: future date, sex, flag
]


@pytest.mark.parametrize("end", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_fast_and_exact_paths_agree_on_files_with_defects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, end: str, bom: bytes
) -> None:
    ds = tmp_path / "ds"
    files = {
        "comms.csv": (COMMS_HEADER, COMMS_WITH_DEFECTS),
        "nominals.csv": (NOMINALS_HEADER, NOMINALS_WITH_DEFECTS),
        "events.csv": (EVENTS_HEADER.replace(",", ";"), [GOOD_EVENT.replace(",", ";")]),
    }
    for name, (header, rows) in files.items():
        write(ds / name, bom + end.join([header, *rows, ""]).encode())
        assert _takes_fast_path(ds / name, name.removesuffix(".csv")), name
    out = _agree(tmp_path, monkeypatch, ds)
    comms = out["reports"][0]["files"]["comms"]
    assert comms["quarantined"] == 4 and comms["duplicate"] == 1 and comms["conflict"] == 1
    assert comms["with_notes"] == 2
    entries = [q for q in out["quarantine"] if q["file"] == "comms" and q["kind"] != "note"]
    raws = {q["line_number"]: q["raw_row"] for q in entries if q["load_id"] == 1}
    assert raws[5] == COMMS_WITH_DEFECTS[3]  # the line itself, without its line end
    assert raws[8] == COMMS_WITH_DEFECTS[6]


def test_fast_and_exact_paths_agree_on_a_folder_of_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ds = tmp_path / "ds"
    half = len(COMMS_WITH_DEFECTS) // 2
    write(ds / "comms" / "part-0.csv", "\n".join([COMMS_HEADER, *COMMS_WITH_DEFECTS[:half]]))
    cols = COMMS_HEADER.split(",")
    reordered = ",".join(reversed(cols))
    rows = [",".join(reversed(r.split(","))) for r in COMMS_WITH_DEFECTS[half:] if '"' not in r]
    write(ds / "comms" / "part-1.csv", "\n".join([reordered, *rows]) + "\n")
    _agree(tmp_path, monkeypatch, ds)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("quoted line break", '"r1\nx",2024-06-01T12:00:00Z,07700900123,07700900124,call,5,,,\n'),
        ("blank line", "\nr1,2024-06-01T12:00:00Z,07700900123,07700900124,call,5,,,\n"),
        ("stray CR", "r1,2024-06-01T12:00:00Z,07700900123,07700900124,call,5,C\r1,,\n"),
        ("wrong field count", "r1,2024-06-01T12:00:00Z,07700900123,07700900124,call,5\n"),
        ("unclosed quote", 'r1,"2024-06-01T12:00:00Z,07700900123,07700900124,call,5,,,\n'),
        ("text after a quoted field", 'r1,"2024"-06,07700900123,07700900124,call,5,,,\n'),
        ("invalid UTF-8", b"r1,2024-06-01T12:00:00Z,07700900123,07700900124,call,5,\xff,,\n"),
    ],
)
def test_structural_defects_take_the_exact_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: str | bytes
) -> None:
    body = content if isinstance(content, bytes) else content.encode()
    good = b"r0,2024-06-01T12:00:00Z,07700900123,07700900124,call,5,C1,C2,ee\n"
    path = write(tmp_path / "ds" / "comms.csv", COMMS_HEADER.encode() + b"\n" + good + body + good)
    assert not _takes_fast_path(path, "comms"), name
    _agree(tmp_path, monkeypatch, tmp_path / "ds")


def test_a_quote_inside_an_unquoted_field_reads_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = ['r1,20"24,07700900123,07700900124,call,5,C"1,,', COMMS_WITH_DEFECTS[0]]
    path = write(tmp_path / "ds" / "comms.csv", "\n".join([COMMS_HEADER, *rows]) + "\n")
    assert _takes_fast_path(path, "comms")
    out = _agree(tmp_path, monkeypatch, tmp_path / "ds")
    bad = [q["raw_row"] for q in out["quarantine"] if q["kind"] == "row" and q["load_id"] == 1]
    assert bad == [rows[0]]


def test_other_encodings_take_the_exact_path(tmp_path: Path) -> None:
    text = "\n".join([COMMS_HEADER, *COMMS_WITH_DEFECTS[:2]]) + "\n"
    utf16 = write(tmp_path / "a" / "comms.csv", b"\xff\xfe" + text.encode("utf-16-le"))
    cr = write(tmp_path / "b" / "comms.csv", text.replace("\n", "\r"))
    gz = tmp_path / "c" / "comms.csv.gz"
    gz.parent.mkdir()
    gz.write_bytes(gzip.compress(text.encode()))
    for path in (utf16, cr, gz):
        assert not _takes_fast_path(path, "comms"), path


_VALUES = {
    "record_id": ["r1", "r2", "r3", "", " r4 "],
    "start_time": ["2024-06-01T12:00:00Z", "01/06/2024 13:00", "2024-13-01T00:00:00", ""],
    "source": ["07700900123", "+447700900124", "44 7700 900125", "nope", ""],
    "target": ["07700900126", "(0)7700-900127", ""],
    "kind": ["call", "SMS", "fax", ""],
    "duration_s": ["5", "00:01:05", "-3", "x", ""],
    "source_cell": ["C1", "", '"C,2"', "  "],
    "target_cell": ["C3", ""],
    "provider": ["ee", "vodafone", ""],
}


@given(
    rows=st.lists(
        st.tuples(*(st.sampled_from(v) for v in _VALUES.values())), min_size=1, max_size=12
    ),
    end=st.sampled_from(["\n", "\r\n"]),
)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_fast_and_exact_paths_agree_on_any_well_formed_delivery(
    tmp_path_factory: Any, rows: list[tuple[str, ...]], end: str
) -> None:
    root = tmp_path_factory.mktemp("fast")
    lines = [COMMS_HEADER, *(",".join(r) for r in rows)]
    path = write(root / "ds" / "comms.csv", end.join(lines) + end)
    assert _takes_fast_path(path, "comms")
    with pytest.MonkeyPatch.context() as mp:
        _agree(root, mp, root / "ds")


def test_bad_bytes_in_an_unknown_column_take_the_exact_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's reader checks only the columns a query reads: every column is read."""
    good = COMMS_WITH_DEFECTS[0].encode()
    body = b"\n".join([(COMMS_HEADER + ",remark").encode(), good + b",ok", good + b",\xff", b""])
    path = write(tmp_path / "ds" / "comms.csv", body.replace(b"r1,", b"r2,", 1))
    assert not _takes_fast_path(path, "comms")
    out = _agree(tmp_path, monkeypatch, tmp_path / "ds")
    assert [q["reason"] for q in out["quarantine"] if q["load_id"] == 1] == ["invalid UTF-8"]
