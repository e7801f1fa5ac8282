"""Migration 0004 upgrades a store already in use (published runs, users, audit) on SQLite
and on PostgreSQL: the act tables appear empty, nothing published is lost, the audit
chain still verifies, and a downgrade to 0003 removes them again."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import func, inspect, select

from crossline.store import Store, audit
from crossline.store import tables as t
from crossline.store import tables_act as ta
from crossline.store.db import MIGRATIONS
from tests.store import world


def _to(store: Store, revision: str, down: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.writer_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_0004_upgrades_a_store_in_use(store: Store) -> None:
    world.publish_world(store)
    _to(store, "0003", down=True)
    names = set(inspect(store.engine).get_table_names())
    assert not {tb.name for tb in ta.ACT_TABLES} & names and "handsets" not in names
    _to(store, "head")
    names = set(inspect(store.engine).get_table_names())
    assert {tb.name for tb in ta.ACT_TABLES} <= names and {"number_activity", "handsets"} <= names
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.lines)).scalar_one() == 3
        assert conn.execute(select(func.count()).select_from(ta.tasking)).scalar_one() == 0
    assert audit.verify(store)[1] is None
