"""Shared data and helpers for ingest tests."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import IngestReport

COMMS_HEADER = "record_id,start_time,source,target,kind,duration_s,source_cell,target_cell,provider"
GOOD_COMMS = [
    "r1,2024-06-01T12:00:00Z,07700 900123,+44 7700 900124,call,60,C1,C2,vodafone",
    "r2,2024-06-01 13:00:00,447700900125,07700900123,sms,,C1,,vodafone",
]
NOMINALS_HEADER = (
    "record_id,force,family_name,given_names,date_of_birth,sex,address,postcode,phone_numbers,flags"
)
GOOD_NOMINAL = "n1,metropolitan,Smith,John,1990-01-02,M,1 High St,AB1 2CD,07700 900123,violence"
INTEL_HEADER = (
    "intel_id,force,submitted_at,subject_kind,subject_ref,text,source_evaluation,"
    "intelligence_assessment,handling_code,handling_conditions"
)
GOOD_INTEL = "i1,merseyside,2024-01-01T10:00:00Z,phone,07700900123,seen at park,1,A,P,"
EVENTS_HEADER = (
    "event_id,force,event_type,occurred_at,nominal_record_id,phone_number,lat,lon,postcode,"
    "value_gbp,quantity,detail"
)
GOOD_EVENT = "e1,merseyside,arrest,2024-01-01T10:00:00Z,n1,07700900123,53.4,-2.9,L1 1AA,,,"


@dataclass
class Loaded:
    report: IngestReport
    engine: DuckDBEngine
    quarantine_dir: Path
    since: int = 0  # the last load id before this ingest

    def rows(self, table: str, order: str = "1") -> list[dict[str, Any]]:
        return self.engine.query(f"SELECT * FROM {table} ORDER BY {order}").to_pylist()

    def quarantine(self, file: str, kind: str | None = None) -> list[dict[str, str]]:
        """This ingest's entries of quarantine/<file>.csv (the file keeps every load's),
        of one kind (row, conflict, note) when given."""
        path = self.quarantine_dir / f"{file}.csv"
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        return [
            r
            for r in rows
            if int(r["load_id"]) > self.since and (kind is None or r["kind"] == kind)
        ]

    def counts(self, file: str) -> dict[str, int]:
        out: dict[str, int] = self.report.to_json()["files"][file]
        return out


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(data)
    return path


def csv_text(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"
