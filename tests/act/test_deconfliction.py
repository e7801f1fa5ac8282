"""Deconfliction: two forces working the same phone or person are told of each other,
by name, force and how to reach the contact officer, and of nothing else: no
intelligence, no reasons, no records."""

from __future__ import annotations

import json

from tests.api.conftest import Api
from tests.store import world as w

from .conftest import post

SUFFOLK_REASON = "covert operation BRAMBLE: source says the phone moves on Fridays"


def test_opening_a_phone_another_force_works_alerts_both_with_contacts_only(act_api: Api) -> None:
    c = act_api.client
    assert (
        post(
            act_api, "ana-a", "/contact", {"name": "DC Ann Lee", "means": "01244 000111"}
        ).status_code
        == 200
    )
    r = post(
        act_api,
        "inv-b",
        "/deconfliction",
        {
            "entity_kind": "phone",
            "entity_id": "07700 900001",
            "reason": SUFFOLK_REASON,
            "contact_name": "DS Sam Reed",
            "contact_means": "sam.reed@suffolk.example, 01473 000222",
        },
    )
    assert r.status_code == 200 and r.json()["alerts_raised"] == 0

    # cheshire's analyst opens the phone (in cheshire's scope): both forces are told
    assert (
        c.get("/api/v1/phones/+447700900001", headers=act_api.auth("ana-a", why=True)).status_code
        == 200
    )
    mine = c.get("/api/v1/alerts", headers=act_api.auth("ana-a")).json()["items"]
    theirs = c.get("/api/v1/alerts", headers=act_api.auth("inv-b")).json()["items"]
    assert len(mine) == 1 and len(theirs) == 1
    assert mine[0]["contact"] == {
        "name": "DS Sam Reed",
        "force": w.B,
        "means": "sam.reed@suffolk.example, 01473 000222",
    }
    assert theirs[0]["contact"] == {"name": "DC Ann Lee", "force": w.A, "means": "01244 000111"}
    assert mine[0]["entity_kind"] == "phone" and mine[0]["entity_id"] == w.A_DEAL

    # nothing of the intelligence, nor either side's reasons, nor other records
    text = json.dumps(mine + theirs)
    for intel in w.INTELLIGENCE:
        assert str(intel["text"]) not in text
        assert f'"{intel["intel_id"]}"' not in text
    assert SUFFOLK_REASON not in text and "BRAMBLE" not in text
    for other in (w.P_BOTH, w.P_CHILD, w.L1, w.B_DEAL, "handling"):
        assert other not in text
    allowed = {
        "kind",
        "entity_kind",
        "entity_id",
        "contact",
        "message",
        "alert_id",
        "at",
        "to_force",
        "line_id",
    }
    assert set(mine[0]) <= allowed and mine[0]["line_id"] is None

    # opening it again does not repeat the alerts
    c.get("/api/v1/phones/07700900001", headers=act_api.auth("ana-a", why=True))
    assert len(c.get("/api/v1/alerts", headers=act_api.auth("ana-a")).json()["items"]) == 1


def test_tasking_a_line_meets_a_force_working_its_numbers(act_api: Api) -> None:
    post(
        act_api,
        "inv-b",
        "/deconfliction",
        {"entity_kind": "phone", "entity_id": w.A_RUNNER, "reason": "our own job"},
    )
    r = post(
        act_api,
        "inv-a",
        f"/lines/{w.L1}/tasking",
        {
            "status": "tasked",
            "lead_force": w.A,
            "contact_name": "DI Kim Cole",
            "contact_means": "01244 000333",
        },
    )
    assert r.status_code == 200, r.text
    theirs = act_api.client.get("/api/v1/alerts", headers=act_api.auth("inv-b")).json()["items"]
    assert [a["contact"]["name"] for a in theirs] == ["DI Kim Cole"]
    mine = act_api.client.get("/api/v1/alerts", headers=act_api.auth("inv-a")).json()["items"]
    assert mine[0]["contact"]["force"] == w.B and mine[0]["entity_id"] == w.A_RUNNER


def test_forces_on_the_same_tasking_are_partners_not_in_conflict(act_api: Api) -> None:
    r = post(
        act_api,
        "coord",
        f"/lines/{w.L1}/tasking",
        {"status": "tasked", "lead_force": "merseyside", "supporting_forces": [w.A]},
    )
    assert r.status_code == 200, r.text
    # cheshire supports the line merseyside leads: opening its phone is no conflict
    c = act_api.client
    assert (
        c.get("/api/v1/phones/07700900001", headers=act_api.auth("ana-a", why=True)).status_code
        == 200
    )
    assert c.get("/api/v1/alerts", headers=act_api.auth("ana-a")).json()["items"] == []
    # suffolk, not on the tasking, registering the same phone meets merseyside
    post(
        act_api,
        "inv-b",
        "/deconfliction",
        {"entity_kind": "phone", "entity_id": w.A_DEAL, "reason": "our own job"},
    )
    theirs = c.get("/api/v1/alerts", headers=act_api.auth("inv-b")).json()["items"]
    assert [a["contact"]["force"] for a in theirs] == ["merseyside"]
