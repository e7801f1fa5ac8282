"""Connecting to the operational store, and bringing its schema to the newest migration.

SQLite (a file in the workspace) by default, PostgreSQL when a URL names it. On SQLite a
second engine begins its transactions with BEGIN IMMEDIATE: the audit chain and a publish
read then write, and two processes must not both read the same last entry (pysqlite
otherwise begins a transaction only at the first write). Readers use WAL, so they never
wait for the writer.

On PostgreSQL a read runs in autocommit: each statement sees what was committed when it
started, which is what READ COMMITTED gives inside a transaction too, without the BEGIN
and the ROLLBACK (two round trips, each costing the service CPU, on every read). Pysqlite
already reads so (it begins a transaction only before a write).

A pooled PostgreSQL connection is pinged before use only when it has lain idle a while
(`PING_AFTER_IDLE_S`), not on every checkout (SQLAlchemy's pool_pre_ping): a ping is a
round trip, and a busy service checks out twice a request. A connection in steady use is
known alive by its last use; one that lay idle may have been closed by a restart or a
firewall, and is replaced before anyone meets it. A restart under load still fails the
requests then in flight (the service answers 503, and the pool starts afresh).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, OperationalError
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_FILE = "crossline-service.db"
PING_AFTER_IDLE_S = 5.0


class StoreError(Exception):
    """The store cannot be used as configured: said in one line."""


def sqlite_url(workspace: Path) -> str:
    return f"sqlite:///{(workspace / SQLITE_FILE).resolve()}"


def _normalised(url: str) -> str:
    """`postgresql://` means psycopg 3 here (the driver installed), not psycopg2."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    if immediate:

        @event.listens_for(engine, "connect")
        def _no_implicit(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we say BEGIN ourselves

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _idle(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _alive(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return  # new, or in use a moment ago
        try:
            with dbapi_connection.cursor() as cur:
                cur.execute("SELECT 1")
            dbapi_connection.rollback()  # the ping's implicit transaction
        except Exception as exc:
            # the pool tries another connection
            raise DisconnectionError("the pooled connection was closed") from exc


class Store:
    """The store at one URL: a reader engine and a writer engine (the same one on
    PostgreSQL, where row locks and LOCK TABLE do what BEGIN IMMEDIATE does on SQLite)."""

    def __init__(self, url: str, *, pool: bool = True) -> None:
        self.url = _normalised(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise StoreError(f"not a database URL: {url!r}") from exc
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = _sqlite_engine(self.url, immediate=False)
            self.writer_engine = _sqlite_engine(self.url, immediate=True)
        elif self.dialect == "postgresql":
            kw: dict[str, Any] = {}
            if not pool:
                kw["poolclass"] = NullPool
            else:
                kw.update(pool_size=10, max_overflow=20)
            self.engine = create_engine(self.url, **kw)
            if pool:
                _ping_when_idle(self.engine)
            self.writer_engine = self.engine
        else:
            raise StoreError(f"unsupported database {self.dialect!r}: use sqlite or postgresql")
        # the same pool; on PostgreSQL its connections are in autocommit while lent
        self.reader_engine: Engine = (
            self.engine.execution_options(isolation_level="AUTOCOMMIT")
            if self.dialect == "postgresql"
            else self.engine
        )

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def read(self, *, streaming: bool = False) -> Iterator[Connection]:
        """A connection to read with. `streaming`: for a server-side cursor
        (stream_results), which PostgreSQL declares only inside a transaction."""
        with (self.engine if streaming else self.reader_engine).connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed on leaving, rolled back on an error."""
        with self.writer_engine.begin() as conn:
            yield conn

    @contextmanager
    def write_statement(self) -> Iterator[Connection]:
        """For a write that is one statement: on PostgreSQL in autocommit, the statement its
        own transaction (no BEGIN and COMMIT round trips); elsewhere `write`."""
        if self.is_postgres:
            with self.reader_engine.connect() as conn:
                yield conn
        else:
            with self.write() as conn:
                yield conn

    def migrate(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.writer_engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()
        if self.writer_engine is not self.engine:
            self.writer_engine.dispose()


def open_store(url: str, *, migrate: bool = True, pool: bool = True) -> Store:
    """The store at `url`, migrated; StoreError (one line) when it cannot be reached."""
    store = Store(url, pool=pool)
    if migrate:
        try:
            store.migrate()
        except OperationalError as exc:
            store.close()
            first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreError(f"cannot reach the store {make_url(store.url)!r}: {first}") from exc
    return store
