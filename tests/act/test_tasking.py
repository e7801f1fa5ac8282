"""The tasking board: one item per line, shown in its detail, seen by the forces it names,
kept across re-analyses (test_done_when.py shows it through a real second delivery)."""

from __future__ import annotations

from datetime import datetime

from crossline.act.checks import after_publish
from crossline.store.publish import RunInfo, publish
from tests.api.conftest import Api
from tests.store import world as w

from .conftest import post
from .runs import republish


def test_tasking_shows_in_the_line_and_survives_a_new_run(act_api: Api) -> None:
    c = act_api.client
    before = c.get(f"/api/v1/lines/{w.L2}", headers=act_api.auth("coord")).json()["tasking"]
    assert before["lead_force"] == "metropolitan" and before["status"] == "identified"
    assert not before["recorded"]
    # cheshire cannot see suffolk's line until a tasking names it
    assert c.get(f"/api/v1/lines/{w.L2}", headers=act_api.auth("ana-a")).status_code == 404
    r = post(
        act_api,
        "coord",
        f"/lines/{w.L2}/tasking",
        {
            "status": "tasked",
            "supporting_forces": [w.B, w.A],
            "reason": "NCLCC tasking meeting 14",
        },
    )
    assert r.status_code == 200, r.text
    t = r.json()
    assert t["lead_force"] == "metropolitan" and t["supporting_forces"] == [w.B, w.A]
    assert c.get(f"/api/v1/lines/{w.L2}", headers=act_api.auth("ana-a")).status_code == 200
    r = post(
        act_api,
        "inv-b",
        f"/lines/{w.L2}/tasking",
        {
            "status": "under_investigation",
            "lead_force": "metropolitan",
            "supporting_forces": [w.B, w.A],
            "reason": "op open",
        },
    )
    assert r.status_code == 200

    republish(act_api.store, 2, [])
    after = c.get(f"/api/v1/lines/{w.L2}", headers=act_api.auth("ana-b")).json()["tasking"]
    assert after["status"] == "under_investigation" and after["recorded"]
    assert [(h["status"], h["by"]) for h in after["history"]] == [
        ("tasked", "coord"),
        ("under_investigation", "inv-b"),
    ]


def test_tasking_by_an_alias_is_the_lines_and_bad_forces_are_422(act_api: Api) -> None:
    r = post(act_api, "coord", f"/lines/{w.L1_ALIAS}/tasking", {"status": "tasked"})
    assert r.json()["lead_force"] == "merseyside"  # the exporter
    line = act_api.client.get(f"/api/v1/lines/{w.L1}", headers=act_api.auth("coord")).json()
    assert line["tasking"]["recorded"]
    bad = post(
        act_api, "coord", f"/lines/{w.L1}/tasking", {"status": "tasked", "lead_force": "atlantis"}
    )
    assert bad.status_code == 422
    # a force may not task a line for others; an analyst may not task at all
    r = post(
        act_api, "inv-a", f"/lines/{w.L1}/tasking", {"status": "tasked", "lead_force": "merseyside"}
    )
    assert r.status_code == 422
    assert post(act_api, "ana-a", f"/lines/{w.L1}/tasking", {"status": "tasked"}).status_code == 403
    assert post(act_api, "inv-b", f"/lines/{w.L1}/tasking", {"status": "tasked"}).status_code == 404


def test_a_tasking_follows_its_line_into_a_merge(act_api: Api) -> None:
    """A later run merges L3 into L1 (L3 becomes an alias): L3's tasking, its forces'
    sight of the line and its orders' line move to L1."""
    r = post(
        act_api,
        "inv-a",
        f"/lines/{w.L3}/tasking",
        {"status": "tasked", "lead_force": w.A, "supporting_forces": [w.B]},
    )
    assert r.status_code == 200, r.text
    tro = {
        "line_id": w.L3,
        "msisdns": ["+447700900301"],
        "applicant_rank": "Superintendent",
        "court": "Chester",
        "applied_on": "2026-04-01",
        "granted_on": "2026-04-02",
    }
    assert post(act_api, "inv-a", "/tros", tro).status_code == 200
    results = w.results()
    results["lines"] = [ln for ln in results["lines"] if ln["line_id"] != w.L3]
    merged = [
        *w.ALIASES,
        {"kind": "line", "alias": w.L3, "id": w.L1, "since": "2026-05-02", "run_id": 2},
    ]
    run = RunInfo(2, datetime(2026, 5, 2), datetime(2026, 5, 2), "test", "0" * 16)
    publish(act_api.store, run, results, merged, w.INTELLIGENCE, "tests", [])
    assert after_publish(act_api.store, 2).rekeyed == 1
    # suffolk supports the tasking, so sees the line it now lives in, with the tasking
    line = act_api.client.get(f"/api/v1/lines/{w.L3}", headers=act_api.auth("ana-b"))
    assert line.status_code == 200 and line.json()["line_id"] == w.L1
    assert line.json()["tasking"]["supporting_forces"] == [w.B]
    acts = act_api.client.get(f"/api/v1/lines/{w.L1}/actions", headers=act_api.auth("inv-a")).json()
    assert [t["line_id"] for t in acts["tros"]] == [w.L1]
