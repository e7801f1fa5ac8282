"""Outcomes, intensification weeks, orders and the performance figures (management
information, per force and period)."""

from __future__ import annotations

from datetime import date

from crossline.act.checks import after_publish
from crossline.act.performance import Period, period_of
from tests.api.conftest import Api
from tests.store import world as w

from .conftest import post
from .runs import republish


def test_periods_are_financial_quarters_and_years() -> None:
    assert period_of(date(2026, 3, 31), Period.QUARTER) == "2025-26 Q4"
    assert period_of(date(2026, 4, 1), Period.QUARTER) == "2026-27 Q1"
    assert period_of(date(2027, 1, 15), Period.QUARTER) == "2026-27 Q4"
    assert period_of(date(2026, 4, 1), Period.FINANCIAL_YEAR) == "2026-27"
    assert period_of(date(2026, 3, 1), Period.FINANCIAL_YEAR) == "2025-26"


def test_outcomes_roll_up_per_force_and_period_as_management_information(act_api: Api) -> None:
    line = {"line_id": w.L1}
    for body in (
        {**line, "kind": "arrest", "occurred_on": "2026-04-02", "count": 2},
        {**line, "kind": "charge", "occurred_on": "2026-04-03", "charge": "modern_slavery"},
        {
            **line,
            "kind": "seizure",
            "occurred_on": "2026-04-02",
            "drugs_grams": 55.5,
            "cash_gbp": 1200,
            "weapons": 1,
        },
        {
            **line,
            "kind": "disruption",
            "occurred_on": "2026-04-05",
            "level": "moderate",
            "assessed_by": "DI Kim Cole",
            "reason": "holder charged, line quiet a week",
        },
    ):
        r = post(act_api, "inv-a", "/outcomes", body)
        assert r.status_code == 200, r.text
    # a disruption without its assessor's reason is not a record
    r = post(
        act_api,
        "inv-a",
        "/outcomes",
        {**line, "kind": "disruption", "occurred_on": "2026-04-05", "level": "major"},
    )
    assert r.status_code == 422 and "assessor" in r.json()["detail"]

    perf = act_api.client.get("/api/v1/performance", headers=act_api.auth("ana-a")).json()
    assert perf["management_information"] is True and "Management information" in perf["notice"]
    [row] = perf["items"]
    assert (row["force"], row["period"]) == (w.A, "2026-27 Q1")
    assert (row["arrests"], row["charges_modern_slavery"], row["disruptions_moderate"]) == (2, 1, 1)
    assert (row["seizures"], row["drugs_grams"], row["cash_gbp"], row["weapons"]) == (
        1,
        55.5,
        1200,
        1,
    )
    # another force sees none of cheshire's rows
    assert (
        act_api.client.get("/api/v1/performance", headers=act_api.auth("ana-b")).json()["items"]
        == []
    )

    week = post(
        act_api,
        "coord",
        "/weeks",
        {
            "name": "County lines intensification week",
            "starts_on": "2026-03-30",
            "ends_on": "2026-04-05",
            "forces": [w.A, w.B],
        },
    ).json()
    got = act_api.client.get(
        f"/api/v1/weeks/{week['week_id']}", headers=act_api.auth("coord")
    ).json()
    assert got["outcomes"]["arrests"] == 2 and got["outcomes"]["disruptions_moderate"] == 1


def test_an_order_subject_inside_a_line_raises_a_breach_and_a_child_is_a_victim_first(
    act_api: Api,
) -> None:
    r = post(
        act_api,
        "coord",
        "/orders",
        {
            "person_id": w.P_OTHER,
            "order_type": "stpo",
            "made_on": "2026-02-01",
            "conditions": ["no more than one mobile phone, declared to the police"],
            "numbers": ["+447700900999"],
            "declared_numbers_only": True,
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["safeguarding"] is False
    child = post(
        act_api,
        "coord",
        "/orders",
        {"person_id": w.P_CHILD, "order_type": "cbo", "made_on": "2026-02-01"},
    ).json()
    assert child["safeguarding"] is True and child["victim_first"]
    assert after_publish(act_api.store, 1).breaches >= 1
    got = act_api.client.get(
        "/api/v1/alerts", params={"kind": "order_breach"}, headers=act_api.auth("coord")
    ).json()["items"]
    hits = {(a["person_id"], a["number"], a["line_id"]) for a in got}
    assert (w.P_OTHER, "+447700900010", w.L1) in hits  # the controller's phone of L1
    # the child's runner phone is inside L1 too: the alert still says safeguard first
    assert all(a["safeguarding"] for a in got if a["person_id"] == w.P_CHILD)


def test_a_handset_under_an_order_is_matched_through_the_subscriber_data(act_api: Api) -> None:
    """An SCPO names the subject's handset; the subscriber data shows L2's controller
    number in it: a breach, though no number of the subject's is known."""
    imei = "356938035643809"
    r = post(
        act_api,
        "coord",
        "/orders",
        {
            "person_id": w.P_B,
            "order_type": "scpo",
            "made_on": "2026-02-01",
            "imeis": [imei],
            "conditions": ["one declared handset"],
        },
    )
    assert r.status_code == 200, r.text
    checked = republish(
        act_api.store,
        2,
        [],
        handsets=[
            {"number": "+447700900110", "imei": imei, "imsi": None},
        ],
    )
    assert checked.breaches >= 1
    got = act_api.client.get(
        "/api/v1/alerts", params={"kind": "order_breach"}, headers=act_api.auth("inv-b")
    ).json()["items"]
    assert any(a["line_id"] == w.L2 and "handset the order names" in a["breach"] for a in got), got
