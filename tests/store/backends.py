"""The two stores every store and API test runs on: a SQLite file in a temporary folder
and a uniquely named PostgreSQL database, created for the session and dropped after it
(so a re-run never meets an earlier run's state). PostgreSQL unreachable is a failure,
never a skip: CI must not pass on SQLite alone."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from crossline.store import Store

PG_ADMIN = os.environ.get(
    "CROSSLINE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ("sqlite", "postgresql")


@contextmanager
def postgres_database() -> Iterator[str]:
    name = f"crossline_test_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is unreachable at {PG_ADMIN}: {exc}. The store and API tests need it "
            "(set CROSSLINE_TEST_POSTGRES to another server).",
            pytrace=False,
        )
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{folder / 'store.db'}"
    else:
        with postgres_database() as url:
            yield url


def tamper(store: Store, sql: str) -> None:
    """Run `sql` on the audit log past its append-only triggers: what an attacker with the
    database owner's rights would have to do."""
    with store.write() as conn:
        if store.is_postgres:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
            conn.execute(text(sql))
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
        else:
            conn.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
            conn.execute(text(sql))


def migrate_to(store: Store, revision: str, down: bool = False) -> None:
    """Upgrade (or with `down`, downgrade) the store's schema to `revision`."""
    from alembic import command
    from alembic.config import Config

    from crossline.store.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.writer_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)
