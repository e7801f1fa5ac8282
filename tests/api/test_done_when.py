"""The issue's "done when", through the API alone: a coordinator lists the top lines
nationally; an analyst reads a line of its force and looks up one of its phones with a
justification; an analyst of another force gets 404 on both; every step is in the audit
log, and the chain verifies."""

from __future__ import annotations

from collections.abc import Callable

from crossline.store import audit
from tests.store import world as w

from .conftest import WHY, Api


def test_done_when(fresh_api: Callable[[], Api]) -> None:
    api = fresh_api()
    c = api.client
    start = audit.verify(api.store)[0]
    for user in ("coord", "ana-a", "ana-b", "admin"):  # each logs in (logged too)
        api.auth(user)

    top = c.get("/api/v1/lines", params={"limit": 2}, headers=api.auth("coord")).json()
    assert top["total"] == 3 and [i["line_id"] for i in top["items"]] == [w.L1, w.L2]

    line = c.get(f"/api/v1/lines/{w.L1}", headers=api.auth("ana-a"))
    assert line.status_code == 200
    deal = line.json()["numbers"][0]["number"]
    phone = c.get("/api/v1/phones/07700 900001", headers=api.auth("ana-a", why=True))
    assert phone.status_code == 200 and phone.json()["number"] == deal

    assert c.get(f"/api/v1/lines/{w.L1}", headers=api.auth("ana-b")).status_code == 404
    assert (
        c.get("/api/v1/phones/07700 900001", headers=api.auth("ana-b", why=True)).status_code == 404
    )

    log = c.get("/api/v1/audit", params={"limit": 20}, headers=api.auth("admin")).json()["items"]
    steps = [
        (e["username"], e["operation"], e["outcome"], e["entity_kind"], e["entity_id"])
        for e in reversed(log)
        if e["operation"] not in ("login", "combination") and e["entity_kind"] != "audit"
    ]
    assert steps == [
        ("coord", "consultation", "ok", "lines", ""),
        ("ana-a", "disclosure", "ok", "line", w.L1),
        ("ana-a", "disclosure", "ok", "phone", deal),
        ("ana-b", "consultation", "refused", "line", w.L1),
        ("ana-b", "consultation", "refused", "phone", deal),
    ]
    phone_entry = next(e for e in log if e["entity_kind"] == "phone" and e["outcome"] == "ok")
    assert phone_entry["justification"] == WHY["X-Justification"]
    checked, broken = audit.verify(api.store)
    assert broken is None and checked > start
