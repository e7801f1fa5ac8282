"""Every store test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crossline.store import Store, open_store

from .backends import BACKENDS, database


@pytest.fixture(params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A fresh, migrated, empty store (one per test: these tests change it)."""
    with database(request.param, tmp_path_factory.mktemp("store")) as url:
        s = open_store(url)
        try:
            yield s
        finally:
            s.close()
