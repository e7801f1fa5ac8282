"""Two forces' users try to read, list, search and export each other's lines, persons,
phones and intelligence, by listing, by guessing ids and by typing numbers in other
forms. Out of scope answers exactly as absent: 404, the same body."""

from __future__ import annotations

import pytest

from tests.store import world as w

from .conftest import Api

NOT_FOUND = {"detail": "not found"}


def ids(body: dict[str, object]) -> set[str]:
    return {str(i["line_id"]) for i in body["items"]}  # type: ignore[attr-defined]


def test_national_sees_every_line_in_priority_order(api: Api) -> None:
    r = api.client.get("/api/v1/lines", headers=api.auth("coord"))
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 3
    assert [i["line_id"] for i in body["items"]] == [w.L1, w.L2, w.L3]


def test_each_force_lists_only_lines_touching_it(api: Api) -> None:
    assert ids(api.client.get("/api/v1/lines", headers=api.auth("ana-a")).json()) == {w.L1, w.L3}
    assert ids(api.client.get("/api/v1/lines", headers=api.auth("ana-b")).json()) == {w.L2}
    # filtering by the other force finds nothing rather than the other force's lines
    r = api.client.get("/api/v1/lines", params={"force": w.B}, headers=api.auth("ana-a"))
    assert r.json() == {"items": [], "total": 0}


def test_filters_and_paging(api: Api) -> None:
    h = api.auth("coord")
    assert ids(api.client.get("/api/v1/lines", params={"scope": "local"}, headers=h).json()) == {
        w.L3
    }
    assert ids(api.client.get("/api/v1/lines", params={"min_score": 50}, headers=h).json()) == {
        w.L1,
        w.L2,
    }
    page = api.client.get("/api/v1/lines", params={"limit": 1, "offset": 1}, headers=h).json()
    assert page["total"] == 3 and [i["line_id"] for i in page["items"]] == [w.L2]
    r = api.client.get("/api/v1/lines", params={"sort": "-thr_score"}, headers=h)
    assert [i["line_id"] for i in r.json()["items"]] == [w.L1, w.L2, w.L3]


@pytest.mark.parametrize("line_id", [w.L2, "CL-DOESNOTEXIST", "CL-BBBB0003"])
def test_another_forces_line_is_404_exactly_as_absent(api: Api, line_id: str) -> None:
    r = api.client.get(f"/api/v1/lines/{line_id}", headers=api.auth("ana-a"))
    assert r.status_code == 404 and r.json() == NOT_FOUND


def test_line_detail_with_numbers_roles_persons_flags_aliases(api: Api) -> None:
    r = api.client.get(f"/api/v1/lines/{w.L1}", headers=api.auth("ana-a"))
    assert r.status_code == 200
    line = r.json()
    assert [n["number"] for n in line["numbers"] if n["role"] == "deal"] == [
        w.A_DEAL,
        "+447700900002",
    ]
    assert {"number": w.A_RUNNER, "role": "runner", "position": 3} in line["numbers"]
    assert line["safeguarding_flags"][0]["flag"] == "child_runner"
    assert line["aliases"] == [w.L1_ALIAS]
    assert line["provenance"]["run_id"] == 1
    assert line["evidence_factors"][0]["name"] == "burst_rate"
    assert {p["person_id"] for p in line["persons"]} == {w.P_BOTH, w.P_CHILD, w.P_OTHER}


def test_an_alias_resolves_to_its_line_and_person(api: Api) -> None:
    r = api.client.get(f"/api/v1/lines/{w.L1_ALIAS}", headers=api.auth("ana-a"))
    assert r.status_code == 200 and r.json()["line_id"] == w.L1
    r = api.client.get(f"/api/v1/persons/{w.P1_ALIAS}", headers=api.auth("ana-a", why=True))
    assert r.status_code == 200 and r.json()["person_id"] == w.P_BOTH
    # and the alias of a line out of scope is as absent as the line
    assert (
        api.client.get(f"/api/v1/lines/{w.L1_ALIAS}", headers=api.auth("ana-b")).status_code == 404
    )


@pytest.mark.parametrize(
    "form", ["07700 900001", "+447700900001", "07700900001", "+44 7700 900001", "(07700) 900001"]
)
def test_a_phone_in_any_usual_form_is_one_phone(api: Api, form: str) -> None:
    r = api.client.get(f"/api/v1/phones/{form}", headers=api.auth("ana-a", why=True))
    assert r.status_code == 200, r.text
    assert r.json()["number"] == w.A_DEAL
    assert r.json()["lines"] == [{"line_id": w.L1, "role": "deal"}]
    r = api.client.get(f"/api/v1/phones/{form}", headers=api.auth("ana-b", why=True))
    assert r.status_code == 404 and r.json() == NOT_FOUND


def test_phone_shows_only_persons_in_scope(api: Api) -> None:
    r = api.client.get(f"/api/v1/phones/{w.A_RUNNER}", headers=api.auth("ana-a", why=True))
    assert [p["person_id"] for p in r.json()["persons"]] == [w.P_CHILD]
    for number in (w.B_DEAL, "+447700900110", "07700 900999"):
        assert (
            api.client.get(
                f"/api/v1/phones/{number}", headers=api.auth("ana-a", why=True)
            ).status_code
            == 404
        )


def test_person_records_of_partner_forces_are_counted_not_named(api: Api) -> None:
    r = api.client.get(f"/api/v1/persons/{w.P_BOTH}", headers=api.auth("ana-a", why=True))
    person = r.json()
    assert [x["force"] for x in person["records"]] == [w.A]
    assert person["records_elsewhere"] == 1
    assert w.B not in r.text
    national = api.client.get(
        f"/api/v1/persons/{w.P_BOTH}", headers=api.auth("coord", why=True)
    ).json()
    assert {x["force"] for x in national["records"]} == {w.A, w.B}


def test_a_child_is_always_shown_with_the_safeguarding_flag(api: Api) -> None:
    person = api.client.get(
        f"/api/v1/persons/{w.P_CHILD}", headers=api.auth("ana-a", why=True)
    ).json()
    assert person["flags"] == ["safeguarding"]
    assert person["safeguarding"]["reasons"] == ["child_runner"]
    assert person["safeguarding"]["forces"] == [w.A] and "merseyside" not in str(person)


@pytest.mark.parametrize("pid", [w.P_B, w.P_CHILD, "PER-nobody000001"])
def test_persons_out_of_scope_are_404(api: Api, pid: str) -> None:
    who = "ana-b" if pid != w.P_B else "ana-a"
    r = api.client.get(f"/api/v1/persons/{pid}", headers=api.auth(who, why=True))
    assert r.status_code == 404 and r.json() == NOT_FOUND


def test_person_linked_to_a_line_in_scope_is_visible(api: Api) -> None:
    r = api.client.get(f"/api/v1/persons/{w.P_OTHER}", headers=api.auth("ana-a", why=True))
    assert r.status_code == 200 and r.json()["records"] == [] and r.json()["records_elsewhere"] == 1


def test_intelligence_by_force_with_handling_conditions_on_every_read(api: Api) -> None:
    items = api.client.get("/api/v1/intelligence", headers=api.auth("ana-a", why=True)).json()[
        "items"
    ]
    assert {(i["force"], i["intel_id"]) for i in items} == {(w.A, "I1"), (w.B, "I3")}
    for i in items:
        assert i["handling_code"] in ("P", "C")
        if i["handling_code"] == "C":
            assert i["handling_conditions"]
    b = api.client.get("/api/v1/intelligence", headers=api.auth("ana-b", why=True)).json()
    assert {i["intel_id"] for i in b["items"]} == {"I2", "I3"}
    assert next(i for i in b["items"] if i["intel_id"] == "I2")["handling_conditions"] == (
        "Not to be disseminated outside suffolk"
    )
    coord = api.client.get("/api/v1/intelligence", headers=api.auth("coord", why=True)).json()
    assert coord["total"] == 4
    assert all(i["handling_conditions"] for i in coord["items"] if i["handling_code"] == "C")


def test_intelligence_search_by_subject_in_any_form(api: Api) -> None:
    r = api.client.get(
        "/api/v1/intelligence",
        params={"subject": "07700 900101"},
        headers=api.auth("ana-a", why=True),
    )
    assert r.json() == {"items": [], "total": 0}
    r = api.client.get(
        "/api/v1/intelligence",
        params={"subject": "07700 900101"},
        headers=api.auth("ana-b", why=True),
    )
    assert [i["intel_id"] for i in r.json()["items"]] == ["I2"]


def test_safeguarding_list_by_role_and_force(api: Api) -> None:
    sg = api.client.get("/api/v1/safeguarding", headers=api.auth("sg-a", why=True)).json()
    assert [i["person_id"] for i in sg["items"]] == [w.P_CHILD]
    assert sg["items"][0]["forces"] == [w.A] and sg["items"][0]["records_elsewhere"] == 1
    assert (
        api.client.get("/api/v1/safeguarding", headers=api.auth("ana-a", why=True)).status_code
        == 403
    )
    assert (
        api.client.get("/api/v1/safeguarding", headers=api.auth("coord", why=True)).json()["total"]
        == 1
    )


def test_export_is_scoped_and_justified(api: Api) -> None:
    r = api.client.get("/api/v1/export/lines", headers=api.auth("ana-b", why=True))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert w.L2 in r.text and w.L1 not in r.text and w.L3 not in r.text
    assert api.client.get("/api/v1/export/lines", headers=api.auth("ana-b")).status_code == 400


def test_admin_reads_the_audit_but_no_data(api: Api) -> None:
    assert api.client.get("/api/v1/lines", headers=api.auth("admin")).status_code == 403
    assert api.client.get("/api/v1/audit", headers=api.auth("ana-a")).status_code == 403
    assert api.client.get("/api/v1/audit", headers=api.auth("admin")).status_code == 200


def test_a_list_of_lines_keeps_the_flags_and_leaves_the_evidence_to_the_detail(api: Api) -> None:
    r = api.client.get("/api/v1/lines", headers=api.auth("ana-a"))
    assert r.status_code == 200
    (listed,) = [ln for ln in r.json()["items"] if ln["line_id"] == w.L1]
    assert "evidence" not in listed and "evidence_factors" not in listed
    assert listed["safeguarding_flags"][0]["flag"] == "child_runner"  # a child stays flagged
    detail = api.client.get(f"/api/v1/lines/{w.L1}", headers=api.auth("ana-a")).json()
    assert detail["evidence_factors"] and detail["evidence"]
    assert {k: detail[k] for k in listed} == listed
