"""The map-less first pass: a file whose sample shows only the common number forms is
validated without the phone map, and the rows that need the map still load (or are
quarantined with the map's reason) in the same commit."""

from __future__ import annotations

from typing import Any

import pytest

from crossline.ingest import phones
from crossline.model.schema import number_text

from .helpers import COMMS_HEADER, csv_text

COMMON = [
    "r1,2024-06-01T12:00:00Z,07700900123,447700900124,call,60,C1,C2,ee",
    "r2,2024-06-01T12:05:00Z,+447700900125,07700900123,sms,,C1,,ee",
]
LATER = [
    "r3,2024-06-01T12:10:00Z,07700 900126,07700900123,sms,,C1,,ee",  # needs the map
    "r4,2024-06-01T12:15:00Z,0770090012x,07700900123,sms,,C1,,ee",  # never a number
    "r5,2024-06-01T12:20:00Z,07700900127,07700900123,sms,,C1,,ee",
]


@pytest.mark.parametrize("sample", [2, 10_000])  # map-less first, and map first
def test_rows_needing_the_map_after_the_sample_still_load(
    load: Any, monkeypatch: pytest.MonkeyPatch, sample: int
) -> None:
    monkeypatch.setattr(phones, "SAMPLE_ROWS", sample)
    used: list[bool] = []
    real = phones.common_numbers_only
    monkeypatch.setattr(
        "crossline.ingest.load.common_numbers_only",
        lambda e, s: used.append(real(e, s)) or used[-1],
    )
    res = load({"comms.csv": csv_text(COMMS_HEADER, COMMON + LATER)})
    assert used == [sample == 2]
    assert res.counts("comms") == {
        "loaded": 4,
        "quarantined": 1,
        "duplicate": 0,
        "conflict": 0,
        "with_notes": 0,
    }
    stored = {r["record_id"]: number_text(r["source"]) for r in res.rows("comms")}
    assert stored == {
        "r1": "+447700900123",
        "r2": "+447700900125",
        "r3": "+447700900126",
        "r5": "+447700900127",
    }
    (q,) = res.quarantine("comms")
    assert q["line_number"] == "5"
    assert q["reason"].startswith("unnormalisable number in source: '0770090012x' (")
    assert "not mapped" not in q["reason"]  # the map's own reason, not the empty map's


def test_a_reload_of_a_file_needing_the_map_adds_nothing(
    load: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(phones, "SAMPLE_ROWS", 2)
    text = csv_text(COMMS_HEADER, COMMON + LATER)
    load({"comms.csv": text})
    again = load({"comms.csv": text})
    assert again.counts("comms") == {
        "loaded": 0,
        "quarantined": 1,
        "duplicate": 4,
        "conflict": 0,
        "with_notes": 0,
    }
    assert len(again.rows("comms")) == 4
