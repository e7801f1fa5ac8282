"""Which persons to safeguard the records give an analysis a thread to follow, and the
evaluation's recall over those alone."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from crossline.model import schema as s
from crossline.simulate.evaluate_safeguard import evaluate_safeguarding
from crossline.simulate.records import Records
from crossline.simulate.truth import traceable

F = "west-midlands"


def _records() -> Records:
    rec = Records()
    # (person, record, phones on the record)
    for pid, rid, phones in [
        ("P1", "N1", "+447700900001"),  # a phone on the record
        ("P2", "N2", ""),  # reported missing
        ("P3", "N3", ""),  # stopped with a phone
        ("P4", "N4", ""),  # only a referral, no phone, never missing
        ("P5", "N5", ""),  # nothing at all
        ("P6", "N6", ""),  # home reported cuckooed
        ("P7", "N7", "07700 900777"),  # a personal phone the line never uses
    ]:
        rec.nominals.append({s.FORCE: F, s.RECORD_ID: rid, s.PHONE_NUMBERS: phones})
        rec.nominal_truth.append({s.FORCE: F, s.RECORD_ID: rid, "person_id": pid})
    for rid, etype, phone in [
        ("N2", "missing_episode", ""),
        ("N3", "stop_search", "07700900003"),
        ("N4", "safeguarding_referral", ""),
        ("N6", "cuckooing_report", ""),
        ("", "stop_search", "07700900005"),  # a phone, but on nobody's record
    ]:
        rec.events.append(
            {s.FORCE: F, s.NOMINAL_RECORD_ID: rid, s.EVENT_TYPE: etype, s.PHONE_NUMBER: phone}
        )
    return rec


# the last ten digits of the numbers of each person's lines
LINE_NUMBERS = {p: {"7700900001", "7700900003", "7700900005"} for p in ("P1", "P3", "P5", "P7")}


def test_a_line_number_or_a_missing_report_is_a_thread_a_referral_alone_is_not() -> None:
    assert traceable(_records(), LINE_NUMBERS) == {"P1", "P2", "P3", "P6"}


def test_recall_over_traceable_persons_leaves_out_the_untraceable(tmp_path: Path) -> None:
    rows = [
        ("P1", "child_runner", "true"),
        ("P2", "child_runner", "true"),
        ("P4", "child_runner", "false"),
        ("P5", "child_runner", "false"),
    ]
    with (tmp_path / "safeguarding.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["person_id", "reasons", "line_ids", "traceable"])
        w.writerows([(p, why, "L1", t) for p, why, t in rows])
    with (tmp_path / "nominals.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([s.FORCE, s.RECORD_ID, "person_id"])
        w.writerows([(F, f"N{i}", f"P{i}") for i in range(1, 6)])
    persons = pa.Table.from_pylist(
        [{"person_id": f"X{i}", s.FORCE: F, s.RECORD_ID: f"N{i}"} for i in range(1, 6)]
    )
    listed = pa.table({"person_id": ["X1", "X4"]})  # one traceable, one not, found
    got = evaluate_safeguarding(listed, persons, tmp_path)
    assert got.recall == 0.5  # P1 and P4 of four
    assert got.traceable_recall == 0.5  # P1 of P1, P2
    assert got.untraceable == 2
