"""The issue's "done when", through the API alone: a coordinator tasks a line, records a
DDTRO and an outcome; after the next delivery the line's move to a new number raises
`line_re_emerged` naming it; the performance figures show the outcome; every step is in
the audit log, and the chain verifies.

The deliveries are a simulated world cut in time (tests/act/deliveries.py): in it, line
L001 ran on one number until an arrest on day 17 and moved to a new one on day 20; the
first delivery ends on day 17, so the new number arrives only with the second."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crossline.runs import Service
from crossline.simulate.config import WorldConfig
from crossline.simulate.writer import write_world
from crossline.store import Store, audit, open_store
from crossline.store.users import add_user
from tests.api.conftest import WHY, Api, make_api
from tests.store.backends import BACKENDS, database

from .deliveries import split_in_time

WORLD = WorldConfig(lines=3, people=1_200, days=35, seed=1)
CUT = "2026-03-18T00:00:00"
PASSWORD = "a test password, long enough"
USERS = {
    "coord": ("national", "tasking_coordinator"),
    "ana-wm": ("west-midlands", "analyst"),
    "ana-dc": ("devon-and-cornwall", "analyst"),
    "admin": ("national", "admin"),
}


@dataclass
class Deliveries:
    earlier: Path
    later: Path
    old_number: str
    new_number: str


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory: pytest.TempPathFactory) -> Deliveries:
    root = tmp_path_factory.mktemp("deliveries")
    world = write_world(WORLD, root / "world", fmt="csv")
    split_in_time(root / "world", root / "earlier", root / "later", CUT)
    moved = next(ln for ln in world.lines if ln.line_id == "L001")
    old, new = moved.deals[0], moved.deals[1]
    assert (old.last_day, old.end_reason, new.first_day) == (17, "arrest", 20)  # the world
    return Deliveries(root / "earlier", root / "later", f"+44{old.number}", f"+44{new.number}")


@pytest.fixture(params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    with database(request.param, tmp_path_factory.mktemp("done")) as url:
        s = open_store(url)
        for name, (force, role) in USERS.items():
            add_user(s, name, force, role, PASSWORD)
        try:
            yield s
        finally:
            s.close()


def test_done_when(
    deliveries: Deliveries, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CROSSLINE_DATABASE_URL", store.url)
    service = Service.for_workspace(tmp_path / "ws")
    service.ingest(deliveries.earlier)
    service.analyse()
    api: Api = make_api(store)
    c = api.client
    coord = api.auth("coord", why=True)

    # the coordinator finds the line by its number, and tasks it
    lines = c.get("/api/v1/lines", headers=coord).json()["items"]
    line = next(ln for ln in lines if deliveries.old_number in ln["deal_numbers"])
    lid = line["line_id"]
    assert line["deal_numbers"] == [deliveries.old_number]
    assert (line["exporter_force"], line["importer_force"]) == (
        "west-midlands",
        "devon-and-cornwall",
    )
    r = c.post(
        f"/api/v1/lines/{lid}/tasking",
        headers=coord,
        json={
            "status": "tasked",
            "supporting_forces": ["devon-and-cornwall"],
            "reason": "NCLCC tasking: high harm, children running",
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["lead_force"] == "west-midlands"  # the exporter, by default

    # a DDTRO on its number, and the holder's arrest as an outcome
    r = c.post(
        "/api/v1/tros",
        headers=coord,
        json={
            "line_id": lid,
            "msisdns": [deliveries.old_number],
            "applicant_rank": "Superintendent",
            "court": "Birmingham Magistrates' Court",
            "applied_on": "2026-03-16",
            "granted_on": "2026-03-17",
            "provider": "the line's network",
        },
    )
    assert r.status_code == 200, r.text
    tro = r.json()
    assert tro["compliance_due"] == "2026-03-24T23:59:59"
    r = c.post(
        "/api/v1/outcomes",
        headers=coord,
        json={
            "line_id": lid,
            "kind": "arrest",
            "occurred_on": "2026-03-17",
            "count": 1,
            "reason": "line holder arrested at the address",
        },
    )
    assert r.status_code == 200, r.text
    outcome = r.json()
    assert outcome["force"] == "west-midlands"  # the lead force's, recorded nationally

    # the next delivery: the line moves to a new number
    service.ingest(deliveries.later)
    service.analyse()
    for who in ("ana-wm", "ana-dc"):  # lead and supporting forces both told
        got = c.get("/api/v1/alerts", headers=api.auth(who)).json()["items"]
        re = [a for a in got if a["kind"] == "line_re_emerged"]
        assert len(re) == 1, got
        assert (re[0]["line_id"], re[0]["number"]) == (lid, deliveries.new_number)
        assert re[0]["days_after"] == 4 and re[0]["after"] == "DDTRO"

    # the tasking survived the re-analysis, and the line shows its new number
    again = c.get(f"/api/v1/lines/{lid}", headers=api.auth("ana-dc")).json()
    assert again["deal_numbers"] == [deliveries.old_number, deliveries.new_number]
    assert again["tasking"]["lead_force"] == "west-midlands"
    assert again["tasking"]["status"] == "tasked"

    # the performance figures show the outcome
    perf = c.get("/api/v1/performance", headers=coord).json()
    assert perf["management_information"] is True
    row = next(i for i in perf["items"] if i["force"] == "west-midlands")
    assert (row["period"], row["arrests"]) == ("2025-26 Q4", 1)

    # every step is in the audit log, and the chain verifies
    log = c.get("/api/v1/audit", params={"limit": 500}, headers=api.auth("admin")).json()["items"]
    steps = [
        (e["username"], e["operation"], e["entity_kind"], e["entity_id"], e["outcome"])
        for e in reversed(log)
    ]
    for step in [
        ("coord", "alteration", "tasking", lid, "ok"),
        ("coord", "alteration", "tro", str(tro["tro_id"]), "ok"),
        ("coord", "alteration", "outcome", str(outcome["outcome_id"]), "ok"),
        ("crossline (after a run)", "combination", "line", lid, "ok"),
        ("ana-wm", "consultation", "alerts", "", "ok"),
        ("ana-dc", "disclosure", "line", lid, "ok"),
        ("coord", "consultation", "performance", "quarter", "ok"),
    ]:
        assert step in steps, step
    assert steps.index(("coord", "alteration", "tasking", lid, "ok")) < steps.index(
        ("crossline (after a run)", "combination", "line", lid, "ok")
    )
    tasked = next(e for e in log if e["entity_kind"] == "tasking")
    assert tasked["justification"] == WHY["X-Justification"]
    assert sum(1 for e in log if e["operation"] == "combination" and e["entity_kind"] == "run") >= 2
    checked, broken = audit.verify(store)
    assert broken is None and checked == len(list(audit.all_entries(store)))
