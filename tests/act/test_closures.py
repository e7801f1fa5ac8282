"""Closures as the Home Office programme counts them: a Type 1 closure (holder arrested
and charged) is not counted until its check-backs confirm the number stays out of use,
and new communications data answers a check-back by itself; a Type 2 counts at once."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api
from tests.store import world as w

from .conftest import post
from .runs import activity, republish


def counted(api: Api, figure: str) -> float:
    items = api.client.get(
        "/api/v1/performance", params={"period": "financial_year"}, headers=api.auth("coord")
    ).json()["items"]
    return sum(i[figure] for i in items)


def close(api: Api, kind: int, on: str = "2026-03-01") -> dict[str, Any]:
    body = {
        "line_id": w.L1,
        "closure_type": kind,
        "closed_on": on,
        "reason": "holder charged",
        "numbers": [w.A_DEAL],
    }
    r = post(api, "inv-a", "/closures", body)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_type_1_closure_counts_only_after_its_check_backs(act_api: Api) -> None:
    closure = close(act_api, 1)
    assert closure["status"] == "pending_check_back" and not closure["counted"]
    assert [c["due_on"] for c in closure["check_backs"]] == ["2026-03-15", "2026-03-29"]
    assert counted(act_api, "closures_type1") == 0
    first, second = (c["check_back_id"] for c in closure["check_backs"])
    path = f"/closures/{closure['closure_id']}/check-backs"
    r = post(
        act_api, "inv-a", f"{path}/{first}", {"result": "out_of_use", "answered_on": "2026-03-15"}
    )
    assert r.json()["status"] == "pending_check_back"
    assert counted(act_api, "closures_type1") == 0  # one check-back is not enough
    r = post(
        act_api, "inv-a", f"{path}/{second}", {"result": "out_of_use", "answered_on": "2026-03-29"}
    )
    done = r.json()
    assert done["status"] == "confirmed" and done["confirmed_on"] == "2026-03-29"
    assert counted(act_api, "closures_type1") == 1


def test_new_data_answers_the_check_backs_by_itself(act_api: Api) -> None:
    closure = close(act_api, 1)
    # the data reaches 30 April; the closed number was last active the day it closed
    checked = republish(
        act_api.store,
        2,
        [
            activity(w.L1, w.A_DEAL, "2026-02-01T10:00", "2026-03-01T09:00"),
            activity(w.L2, w.B_DEAL, "2026-02-01T10:00", "2026-04-30T12:00"),
        ],
    )
    assert checked.check_backs == 2
    r = act_api.client.get(f"/api/v1/lines/{w.L1}/actions", headers=act_api.auth("inv-a"))
    got = next(c for c in r.json()["closures"] if c["closure_id"] == closure["closure_id"])
    assert got["status"] == "confirmed"
    assert {c["source"] for c in got["check_backs"]} == {"data"}
    assert counted(act_api, "closures_type1") == 1


def test_a_number_in_use_after_closure_fails_it(act_api: Api) -> None:
    close(act_api, 1)
    republish(
        act_api.store,
        2,
        [
            activity(w.L1, w.A_DEAL, "2026-02-01T10:00", "2026-03-20T09:00"),  # still in use
            activity(w.L2, w.B_DEAL, "2026-02-01T10:00", "2026-04-30T12:00"),
        ],
    )
    r = act_api.client.get(f"/api/v1/lines/{w.L1}/actions", headers=act_api.auth("inv-a"))
    assert r.json()["closures"][0]["status"] == "failed"
    assert counted(act_api, "closures_type1") == 0


def test_a_type_2_closure_counts_when_recorded(act_api: Api) -> None:
    assert close(act_api, 2)["counted"]
    assert counted(act_api, "closures_type2") == 1
