"""Re-emergence on the hand-built world: a line under a DDTRO that a later run links to
a number it never used raises `line_re_emerged` to the lead and supporting forces; a
number the new data shows from before the order (older data delivered late) does not.
(test_done_when.py shows it end to end, on a simulated world delivered in two parts.)"""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api
from tests.store import world as w

from .conftest import post
from .runs import activity, republish

NEW, OLDER = "+447700900003", "+447700900004"


def with_numbers(*extra: str) -> dict[str, list[dict[str, Any]]]:
    results = w.results()
    line = results["lines"][0]
    assert line["line_id"] == w.L1
    line["deal_numbers"] = ";".join([line["deal_numbers"], *extra])
    return results


def alerts(api: Api, user: str) -> list[dict[str, Any]]:
    r = api.client.get("/api/v1/alerts", params={"kind": "line_re_emerged"}, headers=api.auth(user))
    assert r.status_code == 200
    return r.json()["items"]


def test_a_line_under_an_order_moving_to_a_new_number_raises_an_alert(act_api: Api) -> None:
    r = post(
        act_api,
        "coord",
        f"/lines/{w.L1}/tasking",
        {"status": "tasked", "lead_force": "merseyside", "supporting_forces": [w.A]},
    )
    assert r.status_code == 200, r.text
    tro = {
        "line_id": w.L1,
        "msisdns": [w.A_DEAL],
        "applicant_rank": "Superintendent",
        "court": "Chester",
        "applied_on": "2026-04-01",
        "granted_on": "2026-04-02",
    }
    assert post(act_api, "coord", "/tros", tro).status_code == 200
    assert alerts(act_api, "ana-a") == []

    checked = republish(
        act_api.store,
        2,
        [
            activity(w.L1, w.A_DEAL, "2026-03-01T10:00", "2026-04-02T09:00"),
            activity(w.L1, NEW, "2026-04-09T18:00", "2026-04-30T12:00"),
            activity(w.L1, OLDER, "2026-03-20T18:00", "2026-03-25T12:00"),  # before the order
        ],
        with_numbers(NEW, OLDER),
    )
    assert checked.re_emerged == 1
    got = alerts(act_api, "ana-a")  # cheshire supports the line
    assert len(got) == 1
    a = got[0]
    assert (a["kind"], a["line_id"], a["number"], a["days_after"]) == (
        "line_re_emerged",
        w.L1,
        NEW,
        7,
    )
    assert a["after"] == "DDTRO" and a["to_force"] == w.A
    assert alerts(act_api, "ana-b") == []  # suffolk is not on the line
    # the coordinator sees every force's (the lead's too)
    assert {x["to_force"] for x in alerts(act_api, "coord")} == {"merseyside", w.A}

    # the same data again raises nothing new; the number is remembered on the line
    assert (
        republish(
            act_api.store,
            3,
            [
                activity(w.L1, NEW, "2026-04-09T18:00", "2026-04-30T12:00"),
            ],
            with_numbers(NEW, OLDER),
        ).re_emerged
        == 0
    )
    assert len(alerts(act_api, "ana-a")) == 1


def test_a_line_with_no_closure_or_order_raises_none(act_api: Api) -> None:
    checked = republish(
        act_api.store,
        2,
        [
            activity(w.L1, NEW, "2026-04-09T18:00", "2026-04-30T12:00"),
        ],
        with_numbers(NEW),
    )
    assert checked.re_emerged == 0
    assert alerts(act_api, "coord") == []


def test_a_new_number_in_the_ordered_handset_says_so(act_api: Api) -> None:
    imei = "356938035643809"
    tro = {
        "line_id": w.L1,
        "msisdns": [w.A_DEAL],
        "imeis": [imei],
        "court": "Chester",
        "applicant_rank": "Chief Superintendent",
        "applied_on": "2026-04-01",
        "granted_on": "2026-04-02",
    }
    assert post(act_api, "inv-a", "/tros", tro).status_code == 200
    republish(
        act_api.store,
        2,
        [activity(w.L1, NEW, "2026-04-05T18:00", "2026-04-30T12:00")],
        with_numbers(NEW),
        handsets=[{"number": NEW, "imei": imei, "imsi": None}],
    )
    [a] = alerts(act_api, "ana-a")
    assert a["number"] == NEW and a["days_after"] == 3 and a["in_ordered_handset"] is True
