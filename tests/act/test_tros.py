"""DDTROs: the senior-officer rule (Serious Crime Act 2015 s.80A) and the provider's
compliance deadline, five working days after the order, bank holidays excluded."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crossline.act.tros import compliance_deadline, may_apply
from crossline.store import audit
from tests.api.conftest import Api
from tests.store import world as w

from .conftest import post

TRO = {
    "line_id": w.L1,
    "msisdns": ["07700 900001"],
    "imeis": ["356938035643809"],
    "court": "Chester Magistrates' Court",
    "applied_on": "2026-03-30",
    "granted_on": "2026-04-02",
    "provider": "a network",
}


@pytest.mark.parametrize(
    "rank",
    [
        "Superintendent",
        "Detective Chief Superintendent",
        "chief-constable",
        "Commander",
        "Deputy Assistant Commissioner",
        "NCA Director General",
        "Deputy Director General of the NCA",
    ],
)
def test_superintendent_or_above_or_the_ncas_director_general_may_apply(rank: str) -> None:
    assert may_apply(rank)


@pytest.mark.parametrize(
    "rank",
    [
        "Chief Inspector",
        "Inspector",
        "Sergeant",
        "Acting Superintendent",
        "NCA Officer",
        "Director",
        "superintendant",
        "",
    ],
)
def test_any_other_rank_may_not(rank: str) -> None:
    assert not may_apply(rank)


def test_a_chief_inspectors_application_is_refused_with_422_and_logged(act_api: Api) -> None:
    r = post(act_api, "coord", "/tros", {**TRO, "applicant_rank": "Chief Inspector"})
    assert r.status_code == 422
    assert "superintendent or above" in r.json()["detail"]
    refused = audit.search(act_api.store, entity_kind="tro", entity_id=w.L1)[0]
    assert refused[0]["outcome"] == "refused" and "422" in refused[0]["detail"]

    ok = post(act_api, "coord", "/tros", {**TRO, "applicant_rank": "Detective Superintendent"})
    assert ok.status_code == 200, ok.text
    tro = ok.json()
    assert tro["msisdns"] == [w.A_DEAL] and tro["status"] == "in force"
    # Thursday 2 April 2026: Good Friday and Easter Monday are not working days
    assert tro["compliance_due"] == "2026-04-13T23:59:59"
    entry = audit.search(act_api.store, entity_kind="tro", entity_id=str(tro["tro_id"]))[0][0]
    assert entry["outcome"] == "ok" and entry["justification"].startswith("OP-TEST/1")


def test_the_deadline_is_the_end_of_the_fifth_working_day_after_the_order() -> None:
    # Thursday 2 April 2026; Good Friday (3rd) and Easter Monday (6th) are bank holidays
    assert compliance_deadline(date(2026, 4, 2)) == datetime(2026, 4, 13, 23, 59, 59)
    # the same weekday a week earlier, no holiday: Friday 27 March + four more working days
    assert compliance_deadline(date(2026, 3, 26)) == datetime(2026, 4, 2, 23, 59, 59)
    # over Christmas and the new year: Christmas Day, the substitute Boxing Day on Monday
    # 28 December and New Year's Day are not working days (24, 29, 30, 31 Dec, 4 Jan are)
    assert compliance_deadline(date(2026, 12, 23)) == datetime(2027, 1, 4, 23, 59, 59)


def test_bad_orders_are_422_naming_the_rule(act_api: Api) -> None:
    base = {**TRO, "applicant_rank": "Superintendent"}
    for body, words in [
        ({**base, "granted_on": "2026-03-01"}, "before applied_on"),
        ({**base, "msisdns": [], "imeis": []}, "at least one"),
        ({**base, "imeis": ["12345"]}, "imei"),
    ]:
        r = post(act_api, "coord", "/tros", body)
        assert r.status_code == 422 and words in r.json()["detail"].lower(), r.text
    # an analyst may not record one; a force that cannot see the line gets 404
    assert post(act_api, "ana-a", "/tros", base).status_code == 403
    assert post(act_api, "inv-b", "/tros", base).status_code == 404
    # discharged: dated and shown
    tro = post(act_api, "inv-a", "/tros", base).json()
    done = post(
        act_api, "inv-a", f"/tros/{tro['tro_id']}/discharge", {"discharged_on": "2026-05-01"}
    )
    assert done.json()["status"] == "discharged"
