"""Migration 0004 upgrades a store already in use (published runs, users, audit) on SQLite
and on PostgreSQL: the act tables appear empty, nothing published is lost, the audit
chain still verifies, and a downgrade to 0003 removes them again."""

from __future__ import annotations

from sqlalchemy import func, inspect, select

from crossline.store import Store, audit
from crossline.store import tables as t
from crossline.store import tables_act as ta
from tests.store import world
from tests.store.backends import migrate_to


def test_0004_upgrades_a_store_in_use(store: Store) -> None:
    world.publish_world(store)
    migrate_to(store, "0003", down=True)
    names = set(inspect(store.engine).get_table_names())
    assert not {tb.name for tb in ta.ACT_TABLES} & names and "handsets" not in names
    migrate_to(store, "head")
    names = set(inspect(store.engine).get_table_names())
    assert {tb.name for tb in ta.ACT_TABLES} <= names and {"number_activity", "handsets"} <= names
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.lines)).scalar_one() == 3
        assert conn.execute(select(func.count()).select_from(ta.tasking)).scalar_one() == 0
    assert audit.verify(store)[1] is None
