"""The audit log: every consultation, disclosure and refusal is an entry with user,
force, client, what was touched and why; the API cannot change or delete one; the hash
chain names the first entry altered; the database refuses UPDATE and DELETE itself."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from crossline.store import Store, audit
from tests.store import world as w
from tests.store.backends import tamper

from .conftest import WHY, Api


def newest(store: Store, n: int) -> list[dict[str, object]]:
    rows, _ = audit.search(store, limit=n)
    return rows


def test_reads_and_refusals_are_logged_with_who_where_what_and_why(api: Api) -> None:
    a, b = api.auth("ana-a"), api.auth("ana-b", why=True)  # logged in first
    api.client.get(f"/api/v1/phones/{w.A_DEAL}", headers={**a, **WHY})
    api.client.get(f"/api/v1/phones/{w.A_DEAL}", headers=b)
    api.client.get(f"/api/v1/persons/{w.P_BOTH}", headers=a)
    refused_why, refused_scope, ok = newest(api.store, 3)
    assert ok["operation"] == "disclosure" and ok["outcome"] == "ok"
    assert (ok["username"], ok["force"], ok["entity_kind"], ok["entity_id"]) == (
        "ana-a",
        w.A,
        "phone",
        w.A_DEAL,
    )
    assert ok["justification"] == WHY["X-Justification"] and ok["client"]
    assert refused_scope["outcome"] == "refused" and refused_scope["username"] == "ana-b"
    assert (refused_scope["entity_kind"], refused_scope["entity_id"]) == ("phone", w.A_DEAL)
    assert refused_why["outcome"] == "refused" and "justification" in str(refused_why["detail"])


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "POST"])
def test_no_api_changes_or_deletes_an_entry(api: Api, method: str) -> None:
    h = api.auth("admin")
    before = audit.verify(api.store)[0]
    r = api.client.request(method, "/api/v1/audit", headers=h)
    assert r.status_code == 405
    entry = newest(api.store, 1)[0]
    assert entry["outcome"] == "refused" and entry["username"] == "admin"
    assert entry["operation"] == ("erasure" if method == "DELETE" else "alteration")
    checked, broken = audit.verify(api.store)
    assert broken is None and checked == before + 1


def test_audit_filters_by_user_entity_and_time(api: Api) -> None:
    api.client.get(f"/api/v1/lines/{w.L1}", headers=api.auth("ana-a"))
    h = api.auth("admin")
    r = api.client.get("/api/v1/audit", params={"username": "ana-a", "entity_id": w.L1}, headers=h)
    items = r.json()["items"]
    assert items and all(i["username"] == "ana-a" and i["entity_id"] == w.L1 for i in items)
    r = api.client.get("/api/v1/audit", params={"since": "2999-01-01T00:00:00Z"}, headers=h)
    assert r.json() == {"items": [], "total": 0}


def test_the_database_refuses_update_and_delete(fresh_api: Callable[[], Api]) -> None:
    api = fresh_api()
    for sql in ("UPDATE audit_log SET username = 'someone'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), api.store.write() as conn:
            conn.execute(text(sql))
    assert audit.verify(api.store)[1] is None


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("UPDATE audit_log SET justification = 'OP-X/1: edited' WHERE seq = 3", "altered"),
        ("DELETE FROM audit_log WHERE seq = 3", "missing"),
    ],
)
def test_verify_names_the_first_entry_altered(
    fresh_api: Callable[[], Api], sql: str, reason: str
) -> None:
    api = fresh_api()
    h = api.auth("ana-a")
    for _ in range(3):
        api.client.get("/api/v1/lines", headers=h)
    assert audit.verify(api.store)[1] is None
    tamper(api.store, sql)
    broken = audit.verify(api.store)[1]
    assert broken is not None and broken.seq == 3 and reason in broken.reason
