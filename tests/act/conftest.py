"""Acting together over the hand-built world (tests/store/world.py), on SQLite and on
PostgreSQL: a fresh store per test (these tests change it), with investigators of both
forces, a local authority's and a charity's users besides the world's own."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from crossline.act.organisations import add_organisation
from crossline.store import Store, open_store
from crossline.store.users import add_user
from tests.api.conftest import WHY, Api, make_api
from tests.store import world
from tests.store.backends import BACKENDS, database

EXTRA_USERS = {
    "inv-a": (world.A, "investigator"),
    "inv-b": (world.B, "investigator"),
    "la-sg": ("cheshire-east-council", "safeguarding_lead"),
    "charity-sg": ("a-charity", "safeguarding_lead"),
}


@pytest.fixture(params=BACKENDS)
def act_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    with database(request.param, tmp_path_factory.mktemp("act")) as url:
        store = open_store(url)
        world.publish_world(store)
        world.add_users(store)
        add_organisation(store, "cheshire-east-council", "Cheshire East Council", "local_authority")
        add_organisation(store, "a-charity", "A charity", "other")
        for name, (force, role) in EXTRA_USERS.items():
            add_user(store, name, force, role, world.PASSWORD)
        try:
            yield make_api(store)
        finally:
            store.close()


def post(api: Api, user: str, path: str, body: dict[str, object]) -> httpx.Response:
    return api.client.post(f"/api/v1{path}", json=body, headers=api.auth(user, why=True))


__all__ = ["WHY"]


@pytest.fixture(params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A fresh, migrated, empty store."""
    with database(request.param, tmp_path_factory.mktemp("store")) as url:
        s = open_store(url)
        try:
            yield s
        finally:
            s.close()
