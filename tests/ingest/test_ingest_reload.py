"""Idempotent reloads, in-file duplicates, a killed load, Parquet input and DST."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import ensure_tables, ingest_dataset, status
from crossline.ingest.commit import FAULT_ENV
from crossline.model.schema import INPUT_FILES, number_text

from .helpers import (
    COMMS_HEADER,
    EVENTS_HEADER,
    GOOD_COMMS,
    GOOD_INTEL,
    GOOD_NOMINAL,
    INTEL_HEADER,
    NOMINALS_HEADER,
    csv_text,
    write,
)

BAD_COMMS = "r9,yesterday,07700 900123,07700 900124,call,5,,,vodafone"


def _dataset(root: Path) -> Path:
    write(root / "comms.csv", csv_text(COMMS_HEADER, [*GOOD_COMMS, BAD_COMMS]))
    write(root / "nominals.csv", csv_text(NOMINALS_HEADER, [GOOD_NOMINAL]))
    write(root / "intelligence.csv", csv_text(INTEL_HEADER, [GOOD_INTEL]))
    return root


def _snapshot(engine: DuckDBEngine) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for spec in INPUT_FILES:
        out[spec.name] = engine.query(f"SELECT * FROM {spec.name} ORDER BY ALL").to_pylist()
    # The quarantine as it stands: each entry once, whichever load of the file wrote it.
    out["quarantine"] = engine.query(
        "SELECT DISTINCT file, source_file, line_number, kind, reason, raw_row FROM quarantine "
        "ORDER BY ALL"
    ).to_pylist()
    return out


def test_reload_is_idempotent(tmp_path: Path) -> None:
    ds = _dataset(tmp_path / "ds")
    engine = DuckDBEngine(tmp_path / "x.duckdb")
    first = ingest_dataset(engine, ds, tmp_path / "q")
    snap = _snapshot(engine)
    second = ingest_dataset(engine, ds, tmp_path / "q")
    assert first.to_json()["files"]["comms"] == {
        "loaded": 2,
        "quarantined": 1,
        "duplicate": 0,
        "conflict": 0,
        "with_notes": 0,
    }
    assert second.to_json()["files"]["comms"] == {
        "loaded": 0,
        "quarantined": 1,
        "duplicate": 2,
        "conflict": 0,
        "with_notes": 0,
    }
    assert second.to_json()["files"]["nominals"] == {
        "loaded": 0,
        "quarantined": 0,
        "duplicate": 1,
        "conflict": 0,
        "with_notes": 0,
    }
    assert _snapshot(engine) == snap
    # the quarantine is appended to (the bad row again, under the second load's id), and
    # the status counts what stands: one bad row
    loads = engine.query("SELECT load_id FROM quarantine ORDER BY 1").column(0).to_pylist()
    assert len(loads) == 2 and loads[0] < loads[1]
    assert status(engine)["quarantine"] == {"comms": 1}
    assert first.present == ["comms", "nominals", "intelligence"]
    assert set(first.to_json()) == {"files", "not_read", "refused"}
    assert set(first.to_json()["files"]) == {s.name for s in INPUT_FILES}


def test_in_file_duplicates_first_occurrence_wins(load: Any) -> None:
    rows = [
        "r1,2024-06-01T12:00:00Z,07700 900123,07700 900124,call,60,,,vodafone",
        "r1,2024-06-01T12:00:00Z,07700 900123,07700 900124,call,60,,,vodafone",
        "r1,2024-06-01T12:00:00Z,07700 900123,07700 900124,sms,,,,ee",
        "r1,2024-06-01 13:00:00+01:00,+447700900123,07700 900124,call,60,,,vodafone",
    ]
    res = load({"comms.csv": csv_text(COMMS_HEADER, rows)})
    assert res.counts("comms") == {
        "loaded": 2,
        "quarantined": 0,
        "duplicate": 2,  # the same contents, however written
        "conflict": 0,
        "with_notes": 0,
    }
    got = {(r["provider"], r["duration_s"]) for r in res.rows("comms")}
    assert got == {("vodafone", 60), ("ee", None)}


def test_status_counts(tmp_path: Path) -> None:
    engine = DuckDBEngine(tmp_path / "x.duckdb")
    assert status(engine)["tables"]["comms"] == 0
    ensure_tables(engine)
    ingest_dataset(engine, _dataset(tmp_path / "ds"), tmp_path / "q")
    s = status(engine)
    assert s["tables"]["comms"] == 2
    assert s["by_provider"]["comms"] == {"vodafone": 2}
    assert s["by_force"]["nominals"] == {"metropolitan": 1}
    assert s["quarantine"] == {"comms": 1}
    assert s["loads"] == 3


SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from crossline.engine.duckdb import DuckDBEngine
    from crossline.ingest import ingest_dataset
    engine = DuckDBEngine(sys.argv[1])
    ingest_dataset(engine, Path(sys.argv[2]), Path(sys.argv[3]))
    engine.close()
    """
)


def _run(store: Path, ds: Path, q: Path, fault: str | None) -> int:
    env = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    if fault:
        env[FAULT_ENV] = fault
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(store), str(ds), str(q)], env=env, check=False
    )
    return proc.returncode


def test_killed_load_then_rerun_equals_one_clean_load(tmp_path: Path) -> None:
    ds = _dataset(tmp_path / "ds")
    # Killed inside the comms transaction, after its rows were inserted: nothing remains.
    store = tmp_path / "killed.duckdb"
    assert _run(store, ds, tmp_path / "q1", "comms:commit") == -9
    e = DuckDBEngine(store)
    ensure_tables(e)
    assert e.scalar("SELECT count(*) FROM comms") == 0
    assert e.scalar("SELECT count(*) FROM quarantine") == 0
    e.close()
    # Killed after staging the nominals (comms already committed), then rerun.
    assert _run(store, ds, tmp_path / "q1", "nominals:staged") == -9
    assert _run(store, ds, tmp_path / "q1", None) == 0
    clean = tmp_path / "clean.duckdb"
    assert _run(clean, ds, tmp_path / "q2", None) == 0
    a, b = DuckDBEngine(store), DuckDBEngine(clean)
    assert _snapshot(a) == _snapshot(b)
    assert a.scalar("SELECT count(*) FROM comms") == 2

    def entries(path: Path) -> set[tuple[str, ...]]:
        with path.open(newline="", encoding="utf-8") as fh:
            return {tuple(v for k, v in r.items() if k != "load_id") for r in csv.DictReader(fh)}

    assert entries(tmp_path / "q1" / "comms.csv") == entries(tmp_path / "q2" / "comms.csv")


def _comms_table(ids: list[str], **over: list[Any]) -> pa.Table:
    n = len(ids)
    cols: dict[str, Any] = {
        "record_id": ids,
        "start_time": ["2024-06-01T12:00:00Z"] * n,
        "source": ["07700 900123"] * n,
        "target": ["+447700900124"] * n,
        "kind": ["call"] * n,
        "duration_s": pa.array([60] * n, pa.int64()),
        "provider": ["ee"] * n,
    }
    cols.update(over)
    return pa.table(cols)


def test_parquet_parts(load: Any, tmp_path: Path) -> None:
    ds = tmp_path / "pq"
    (ds / "comms").mkdir(parents=True)
    pq.write_table(_comms_table(["a1", "a2"]), ds / "comms" / "part-0000.parquet")
    pq.write_table(
        _comms_table(["b1", "b2", "a1"], kind=["call", "fax", "sms"]),
        ds / "comms" / "part-0001.parquet",
    )
    res = load({}, dataset=ds)
    assert res.counts("comms") == {
        "loaded": 3,
        "quarantined": 1,
        "duplicate": 0,
        "conflict": 1,  # a1 again, as an sms: kept in the quarantine, not dropped
        "with_notes": 0,
    }
    (c,) = res.quarantine("comms", "conflict")
    assert c["reason"] == (
        "conflict: key repeated in the file with other kind "
        "(first at comms/part-0000.parquet line 1)"
    )
    assert (c["source_file"], c["line_number"]) == ("comms/part-0001.parquet", "3")
    (q,) = res.quarantine("comms", "row")
    assert q["source_file"] == "comms/part-0001.parquet"
    assert q["line_number"] == "2"  # row index + 1 within its part
    assert q["reason"] == "unknown kind: 'fax'"
    assert '"record_id":"b2"' in q["raw_row"] and '"kind":"fax"' in q["raw_row"]
    rows = res.rows("comms", "record_id")
    assert [r["record_id"] for r in rows] == ["a1", "a2", "b1"]
    assert number_text(rows[0]["source"]) == "+447700900123"
    assert rows[0]["start_time"] == datetime(2024, 6, 1, 12, 0)
    assert rows[0]["duration_s"] == 60


def test_single_parquet_with_typed_times(load: Any, tmp_path: Path) -> None:
    ds = tmp_path / "pq1"
    ds.mkdir()
    utc = pa.array([datetime(2024, 6, 1, 12, 0)], pa.timestamp("us", tz="UTC"))
    naive = pa.array([datetime(2024, 6, 1, 12, 0)], pa.timestamp("us"))
    t1 = _comms_table(["u"], start_time=utc)
    t2 = _comms_table(["n"], start_time=naive)
    pq.write_table(t1, ds / "comms.parquet")
    res = load({}, dataset=ds)
    assert res.rows("comms")[0]["start_time"] == datetime(2024, 6, 1, 12, 0)
    pq.write_table(t2, ds / "comms.parquet")
    res = load({}, dataset=ds)
    got = {r["record_id"]: r["start_time"] for r in res.rows("comms")}
    assert got["n"] == datetime(2024, 6, 1, 11, 0)  # naive = London local (BST)


def test_typed_parquet_columns_load_as_their_text(load: Any, tmp_path: Path) -> None:
    """Timestamp and integer columns are read typed; the result is the text path's."""
    when = [
        datetime(2024, 3, 31, 0, 30),
        datetime(2024, 3, 31, 2, 30),  # spring gap
        datetime(2024, 10, 27, 1, 30),  # autumn, twice
        datetime(2024, 6, 1, 12, 0, 0, 123456),
        datetime(1, 1, 1, 0, 0),
    ]
    n = len(when)
    ids = [f"r{i}" for i in range(n)]
    ns_when = [w if w.year > 1 else datetime(1700, 1, 1) for w in when]  # ns cannot hold 1 AD
    ms_when = [w.replace(microsecond=w.microsecond // 1000 * 1000) for w in when]
    typed = {
        "tz": pa.array(when, pa.timestamp("us", tz="UTC")),
        "us": pa.array(when, pa.timestamp("us")),
        "ms": pa.array(ms_when, pa.timestamp("ms")),
        "ns": pa.array(ns_when, pa.timestamp("ns")),
    }
    as_text = {
        "tz": [w.isoformat(sep=" ") + "+00:00" for w in when],
        "us": [w.isoformat(sep=" ") for w in when],
        "ms": [w.isoformat(sep=" ") for w in ms_when],
        "ns": [w.isoformat(sep=" ") for w in ns_when],
    }
    dur = pa.array([60, -5, None, 2**40, 0], pa.int64())
    for unit, arr in typed.items():
        a = tmp_path / f"typed-{unit}"
        b = tmp_path / f"text-{unit}"
        a.mkdir()
        b.mkdir()
        pq.write_table(_comms_table(ids, start_time=arr, duration_s=dur), a / "comms.parquet")
        texts = pa.array([None if d is None else str(d) for d in dur.to_pylist()], pa.string())
        pq.write_table(
            _comms_table(ids, start_time=as_text[unit], duration_s=texts), b / "comms.parquet"
        )
        ra = load({}, dataset=a)
        got_a = ra.rows("comms", "record_id")
        qa = sorted((q["line_number"], q["reason"]) for q in ra.quarantine("comms"))
        ra.engine.execute("DELETE FROM comms")
        rb = load({}, dataset=b)
        got_b = rb.rows("comms", "record_id")
        qb = sorted((q["line_number"], q["reason"]) for q in rb.quarantine("comms"))
        rb.engine.execute("DELETE FROM comms")
        assert got_a == got_b, unit
        assert [r for _, r in qa] == ["negative duration_s: -5"], unit
        assert [line for line, _ in qa] == [line for line, _ in qb], unit


def test_parquet_missing_required_column(load: Any, tmp_path: Path) -> None:
    ds = tmp_path / "pq2"
    ds.mkdir()
    pq.write_table(_comms_table(["a"]).drop_columns(["target"]), ds / "comms.parquet")
    res = load({}, dataset=ds)
    assert res.report.refused["comms"].column == "target"


def test_naive_csv_times_across_dst(load: Any) -> None:
    rows = [
        "r1,2024-03-31 00:30:00,07700900123,07700900124,sms,,,,ee",  # GMT
        "r2,2024-03-31 02:30:00,07700900123,07700900124,sms,,,,ee",  # BST
        "r3,2024-10-27 00:30:00,07700900123,07700900124,sms,,,,ee",  # BST
        "r4,2024-10-27 02:30:00,07700900123,07700900124,sms,,,,ee",  # GMT
        "r5,2024-10-27T02:30:00+01:00,07700900123,07700900124,sms,,,,ee",  # explicit
    ]
    res = load({"comms.csv": csv_text(COMMS_HEADER, rows)})
    got = {r["record_id"]: r["start_time"] for r in res.rows("comms")}
    assert got == {
        "r1": datetime(2024, 3, 31, 0, 30),
        "r2": datetime(2024, 3, 31, 1, 30),
        "r3": datetime(2024, 10, 26, 23, 30),
        "r4": datetime(2024, 10, 27, 2, 30),
        "r5": datetime(2024, 10, 27, 1, 30),
    }


def test_csv_parts_crlf_bom_and_blank_lines(load: Any, tmp_path: Path) -> None:
    ds = tmp_path / "parts"
    write(ds / "comms" / "a.csv", "\ufeff" + COMMS_HEADER + "\r\n" + GOOD_COMMS[0] + "\r\n\r\n")
    write(ds / "comms" / "b.csv", csv_text(COMMS_HEADER, [GOOD_COMMS[1], BAD_COMMS]))
    res = load({}, dataset=ds)
    assert res.counts("comms") == {
        "loaded": 2,
        "quarantined": 1,
        "duplicate": 0,
        "conflict": 0,
        "with_notes": 0,
    }
    (q,) = res.quarantine("comms")
    assert (q["source_file"], q["line_number"], q["raw_row"]) == ("comms/b.csv", "3", BAD_COMMS)


def test_absent_files_are_skipped_and_empty_file_is_reported(load: Any) -> None:
    res = load({"cells.csv": "", "events.csv": EVENTS_HEADER + "\n"})
    assert res.report.present == ["events"]
    assert [n.to_json() for n in res.report.not_read] == [
        {"path": "cells.csv", "reason": "empty file (0 bytes)"}
    ]
    assert all(
        c == {"loaded": 0, "quarantined": 0, "duplicate": 0, "conflict": 0, "with_notes": 0}
        for c in res.report.to_json()["files"].values()
    )
