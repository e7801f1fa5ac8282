"""The API over the hand-built world (tests/store/world.py) on SQLite and on PostgreSQL:
one published store per backend for the session, logged-in clients per user."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from crossline.api.app import create_app
from crossline.api.settings import ServiceSettings
from crossline.store import Store, open_store
from crossline.store.users import Lockout
from tests.store import world
from tests.store.backends import BACKENDS, database

SECRET = "test-only signing key, never used outside tests"
WHY = {"X-Justification": "OP-TEST/1: checking the API in tests"}


@dataclass
class Api:
    client: TestClient
    store: Store
    settings: ServiceSettings
    tokens: dict[str, str]

    def login(self, username: str, password: str = world.PASSWORD) -> str:
        r = self.client.post("/api/v1/token", data={"username": username, "password": password})
        assert r.status_code == 200, r.text
        token: str = r.json()["access_token"]
        return token

    def auth(self, username: str, why: bool = False) -> dict[str, str]:
        if username not in self.tokens:
            self.tokens[username] = self.login(username)
        h = {"Authorization": f"Bearer {self.tokens[username]}"}
        return {**h, **WHY} if why else h


def make_api(store: Store) -> Api:
    settings = ServiceSettings(
        database_url=store.url, secret_key=SECRET, token_minutes=5, lockout=Lockout(3, 15)
    )
    return Api(TestClient(create_app(store, settings)), store, settings, {})


@pytest.fixture(scope="session", params=BACKENDS)
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with database(request.param, tmp_path_factory.mktemp("api")) as url:
        store = open_store(url)
        world.publish_world(store)
        world.add_users(store)
        try:
            yield make_api(store)
        finally:
            store.close()


@pytest.fixture(params=BACKENDS)
def fresh_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[], Api]]:
    """An API over its own new store, for tests that lock, disable or tamper."""
    with database(request.param, tmp_path_factory.mktemp("fresh")) as url:
        store = open_store(url)
        world.publish_world(store)
        world.add_users(store)
        try:
            yield lambda: make_api(store)
        finally:
            store.close()
