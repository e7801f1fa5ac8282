"""A PostgreSQL restart (here: the server ending the service's connections) costs at most
the requests then in flight, each answered 503 with a clear message, never a fault; a
connection that lay idle is checked before use, so after a quiet spell nobody meets one."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import psycopg
import pytest
from sqlalchemy import make_url

from crossline.api.app import STORE_UNAVAILABLE
from crossline.store import db
from tests.store import world as w
from tests.store.backends import PG_ADMIN

from .conftest import Api


def _end_connections(api: Api) -> int:
    """What a restart does to the service's pooled connections."""
    name = make_url(api.store.url).database
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchall()
    return len(rows)


@pytest.fixture
def pg_api(fresh_api: Callable[[], Api]) -> Iterator[Api]:
    api = fresh_api()
    if not api.store.is_postgres:
        pytest.skip("a restart is PostgreSQL's: SQLite has no server connection to lose")
    yield api


def test_idle_connections_are_checked_and_replaced(
    pg_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = pg_api.auth("ana-a", why=True)
    assert pg_api.client.get(f"/api/v1/lines/{w.L1}", headers=h).status_code == 200
    assert _end_connections(pg_api) >= 1
    monkeypatch.setattr(db, "PING_AFTER_IDLE_S", 0.0)  # every pooled connection "idle"
    for _ in range(3):
        assert pg_api.client.get(f"/api/v1/lines/{w.L1}", headers=h).status_code == 200


def test_a_connection_lost_in_use_is_503_then_the_service_recovers(
    pg_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = pg_api.auth("ana-a", why=True)
    assert pg_api.client.get(f"/api/v1/lines/{w.L1}", headers=h).status_code == 200
    monkeypatch.setattr(db, "PING_AFTER_IDLE_S", 3600.0)  # in steady use: not pinged
    assert _end_connections(pg_api) >= 1
    r = pg_api.client.get(f"/api/v1/lines/{w.L1}", headers=h)
    assert r.status_code == 503 and r.json() == {"detail": STORE_UNAVAILABLE}
    assert r.headers["retry-after"] == "1"
    for _ in range(3):
        assert pg_api.client.get(f"/api/v1/lines/{w.L1}", headers=h).status_code == 200
