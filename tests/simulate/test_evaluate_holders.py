"""The line-holder figure: who the register names as holder, against the true holder."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from crossline.model import schema as s
from crossline.simulate.evaluate import evaluate_holders

F = "merseyside"


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_holder_named_right_wrong_or_not_at_all(tmp_path: Path) -> None:
    # three true lines: holder named rightly, named wrongly (plus nobody right), not found
    _write(
        tmp_path / "lines.csv",
        [
            {"line_id": "T1", "deal_numbers": "+447700900001", "holder_person_id": "H1"},
            {"line_id": "T2", "deal_numbers": "+447700900002", "holder_person_id": "H2"},
            {"line_id": "T3", "deal_numbers": "+447700900003", "holder_person_id": "H3"},
        ],
    )
    _write(
        tmp_path / "nominals.csv",
        [
            {s.FORCE: F, s.RECORD_ID: "N1", "person_id": "H1"},
            {s.FORCE: F, s.RECORD_ID: "N2", "person_id": "H1"},  # H1 in two records
            {s.FORCE: F, s.RECORD_ID: "N3", "person_id": "X9"},  # somebody else
        ],
    )
    persons = pa.Table.from_pylist(
        [
            {"person_id": "R-a", s.FORCE: F, s.RECORD_ID: "N1", "match_probability": 1.0},
            {"person_id": "R-a", s.FORCE: F, s.RECORD_ID: "N2", "match_probability": 1.0},
            {"person_id": "R-x", s.FORCE: F, s.RECORD_ID: "N3", "match_probability": 1.0},
        ]
    )
    register = pa.Table.from_pylist(
        [
            {"line_id": "A", "deal_numbers": "+447700900001", "holder_nominal_ids": "R-a"},
            {"line_id": "B", "deal_numbers": "+447700900002", "holder_nominal_ids": "R-x"},
        ]
    )
    got = evaluate_holders(register, persons, tmp_path)
    assert (got.support, got.recall, got.precision) == (3, round(1 / 3, 4), 0.5)
