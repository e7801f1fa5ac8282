"""A tiny published world with two forces' data, written by hand so that every scoping
rule has a case: cheshire and suffolk each see their own lines, persons, phones and
intelligence; a person held by both forces; a child runner; aliases; C-coded reports."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.model.outputs import OutKind, OutputSpec
from crossline.store import Store
from crossline.store.publish import Published, RunInfo, publish
from crossline.store.users import add_user

A, B = "cheshire", "suffolk"
L1, L2, L3 = "CL-AAAA0001", "CL-BBBB0002", "CL-CCCC0003"  # A's county, B's county, A's local
L1_ALIAS, P1_ALIAS = "CL-OLD00001", "PER-oldaaaa0001"
A_DEAL, A_RUNNER, B_DEAL = "+447700900001", "+447700900020", "+447700900101"
P_BOTH, P_CHILD, P_B, P_OTHER = (
    "PER-both00000001",
    "PER-child0000001",
    "PER-bonly0000001",
    "PER-mers00000001",
)
PASSWORD = "a test password, long enough"
USERS = {
    "coord": ("national", "tasking_coordinator"),
    "ana-a": (A, "analyst"),
    "ana-b": (B, "analyst"),
    "sg-a": (A, "safeguarding_lead"),
    "admin": ("national", "admin"),
}


def row(spec: OutputSpec, **values: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in spec.columns:
        v = values.get(c.name)
        if c.kind is OutKind.JSON and v is None:
            v = "[]"
        elif c.kind is OutKind.JSON and not isinstance(v, str):
            v = json.dumps(v)
        elif c.kind is OutKind.LIST and isinstance(v, list):
            v = s.LIST_SEP.join(v)
        out[c.name] = v
    return out


def line(lid: str, exporter: str, importer: str, deals: list[str], **kw: Any) -> dict[str, Any]:
    return row(
        o.LINE_REGISTER,
        line_id=lid,
        deal_numbers=deals,
        first_seen="2026-03-01T00:00:00Z",
        last_seen="2026-04-01T00:00:00Z",
        exporter_force=exporter,
        importer_force=importer,
        line_scope="county" if exporter != importer else "local",
        confidence=0.9,
        evidence="test",
        evidence_factors=[{"name": "burst_rate", "value": 2.0, "threshold": 0.3, "text": "bursts"}],
        **kw,
    )


def results() -> dict[str, list[dict[str, Any]]]:
    child_flag = [
        {"number": A_RUNNER, "person_id": P_CHILD, "flag": "child_runner", "referral": "both"}
    ]
    return {
        "lines": [
            line(
                L1,
                "merseyside",
                A,
                [A_DEAL, "+447700900002"],
                controller_number="+447700900010",
                holder_nominal_ids=[P_BOTH],
                runner_numbers=[A_RUNNER],
                customer_count=40,
                thr_score=80.0,
                priority_rank=1,
                safeguarding_flags=child_flag,
            ),
            line(
                L2,
                "metropolitan",
                B,
                [B_DEAL],
                controller_number="+447700900110",
                customer_count=20,
                thr_score=60.0,
                priority_rank=2,
            ),
            line(L3, A, A, ["+447700900301"], customer_count=5, thr_score=10.0, priority_rank=3),
        ],
        "persons": [
            row(o.PERSONS, person_id=P_BOTH, force=A, record_id="N1", match_probability=1.0),
            row(o.PERSONS, person_id=P_BOTH, force=B, record_id="N9", match_probability=1.0),
            row(o.PERSONS, person_id=P_CHILD, force=A, record_id="N2", match_probability=1.0),
            row(o.PERSONS, person_id=P_B, force=B, record_id="N5", match_probability=1.0),
            row(
                o.PERSONS,
                person_id=P_OTHER,
                force="merseyside",
                record_id="N7",
                match_probability=1.0,
            ),
        ],
        "phone_persons": [
            row(
                o.PHONE_PERSONS, number=A_RUNNER, person_id=P_CHILD, source="nominal", evidence="N2"
            ),
            row(
                o.PHONE_PERSONS,
                number="+447700900010",
                person_id=P_OTHER,
                source="event",
                evidence="E1",
            ),
            row(
                o.PHONE_PERSONS,
                number="+447700900110",
                person_id=P_B,
                source="nominal",
                evidence="N5",
            ),
        ],
        "safeguarding": [
            row(
                o.SAFEGUARDING,
                person_id=P_CHILD,
                age_at_last_event=15,
                reasons=["child_runner"],
                line_ids=[L1],
                forces=[A, "merseyside"],
                recommended_referral="both",
            ),
        ],
    }


def intel(force: str, iid: str, ref: str, code: str, conditions: str = "") -> dict[str, Any]:
    from crossline.ingest.normalise import try_normalise_phone

    return {
        s.INTEL_ID: iid, s.FORCE: force, s.SUBMITTED_AT: "2026-03-10T10:00:00Z",
        s.SUBJECT_KIND: "phone", s.SUBJECT_REF: ref, s.TEXT: f"report {iid}",
        s.SOURCE_EVALUATION: "2", s.INTELLIGENCE_ASSESSMENT: "B", s.HANDLING_CODE: code,
        s.HANDLING_CONDITIONS: conditions, "subject_key": try_normalise_phone(ref)[0],
    }  # fmt: skip


INTELLIGENCE = [
    intel(A, "I1", "07700 900001", "C"),
    intel(B, "I2", B_DEAL, "C", "Not to be disseminated outside suffolk"),
    intel(B, "I3", "07700900001", "P"),
    intel("merseyside", "I4", A_DEAL, "C", "Originator's consent needed"),
]
ALIASES = [
    {"kind": "line", "alias": L1_ALIAS, "id": L1, "since": "2026-03-02", "run_id": 1},
    {"kind": "person", "alias": P1_ALIAS, "id": P_BOTH, "since": "2026-03-02", "run_id": 1},
]


def publish_world(store: Store) -> Published:
    run = RunInfo(1, datetime(2026, 4, 2), datetime(2026, 4, 2, 0, 5), "test", "0" * 16)
    return publish(store, run, results(), ALIASES, INTELLIGENCE, "tests")


def add_users(store: Store) -> None:
    for name, (force, role) in USERS.items():
        add_user(store, name, force, role, PASSWORD)
