"""NRM referrals: a child's needs no consent and the local authority is told first; an
adult's needs consent, else the anonymous Duty to Notify; only a first responder
organisation's users may mark one made."""

from __future__ import annotations

from crossline.act.checks import after_publish
from crossline.store import audit
from tests.api.conftest import Api
from tests.store import world as w

from .conftest import post


def test_a_child_is_referred_without_consent_the_local_authority_first(act_api: Api) -> None:
    r = post(act_api, "sg-a", f"/persons/{w.P_CHILD}/referrals", {"reason": "child runner on L1"})
    assert r.status_code == 200, r.text
    ref = r.json()
    assert (ref["route"], ref["consent"], ref["child"], ref["victim"]) == (
        "nrm",
        "not_needed",
        True,
        True,
    )
    assert ref["steps"][0].startswith("notify the local authority")
    assert ref["line_id"] == w.L1
    made = f"/referrals/{ref['referral_id']}/made"
    r = post(act_api, "sg-a", made, {"made_on": "2026-04-03"})
    assert r.status_code == 422 and "local authority" in r.json()["detail"]
    r = post(act_api, "sg-a", made, {"made_on": "2026-04-03", "la_notified_on": "2026-04-04"})
    assert r.status_code == 422  # told after: not first
    r = post(
        act_api,
        "sg-a",
        made,
        {
            "made_on": "2026-04-03",
            "la_notified_on": "2026-04-02",
            "strategy_discussion_on": "2026-04-02",
        },
    )
    done = r.json()
    assert done["status"] == "made" and done["made_by_org"] == w.A
    assert done["strategy_discussion_on"] == "2026-04-02"


def test_an_adult_without_consent_goes_by_the_anonymous_duty_to_notify(act_api: Api) -> None:
    r = post(
        act_api,
        "inv-a",
        f"/persons/{w.P_BOTH}/referrals",
        {"reason": "exploited", "consent": False},
    )
    ref = r.json()
    assert (ref["route"], ref["consent"], ref["anonymous"], ref["child"]) == (
        "duty_to_notify",
        "refused",
        True,
        False,
    )
    r = post(
        act_api, "inv-a", f"/persons/{w.P_BOTH}/referrals", {"reason": "exploited", "consent": True}
    )
    assert (r.json()["route"], r.json()["consent"]) == ("nrm", "given")


def test_only_first_responders_mark_a_referral_made(act_api: Api) -> None:
    ref = post(
        act_api, "sg-a", f"/persons/{w.P_CHILD}/referrals", {"reason": "child runner"}
    ).json()
    body = {"made_on": "2026-04-03", "la_notified_on": "2026-04-02"}
    made = f"/referrals/{ref['referral_id']}/made"
    r = post(act_api, "charity-sg", made, body)
    assert r.status_code == 403 and "first responder" in r.json()["detail"]
    refused = audit.search(act_api.store, username="charity-sg", entity_kind="referral")[0]
    assert refused and refused[0]["outcome"] == "refused"
    # a local authority is a first responder: not refused for what it is (it sees no
    # police person records, so the referral is out of its scope: 404, as absent)
    assert post(act_api, "la-sg", made, body).status_code == 404
    assert post(act_api, "sg-a", made, body).status_code == 200


def test_a_child_on_the_list_gets_a_referral_task_after_a_publish(act_api: Api) -> None:
    checked = after_publish(act_api.store, 1)
    assert checked.referrals == 1
    items = act_api.client.get("/api/v1/referrals", headers=act_api.auth("sg-a", why=True)).json()[
        "items"
    ]
    assert [(i["person_id"], i["route"], i["consent"], i["victim"]) for i in items] == [
        (w.P_CHILD, "nrm", "not_needed", True)
    ]
    assert after_publish(act_api.store, 1).referrals == 0  # opened once
