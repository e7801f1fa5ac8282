"""Migration 0005 changes how an entry's hash is computed (digest 2, which PostgreSQL's
append function reproduces) without breaking a chain written before it: old entries keep
digest 1 and verify as before, new ones link on to them, and altering either is caught."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import insert, select

from crossline.store import Store, audit
from crossline.store.db import MIGRATIONS
from crossline.store.tables import audit_log
from tests.store.backends import tamper


def _to(store: Store, revision: str, down: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.writer_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def _entry(name: str) -> audit.Entry:
    return audit.Entry(
        operation=audit.Operation.CONSULTATION,
        username=name,
        force="national",
        client="127.0.0.1",
        entity_kind="line",
        justification='OP-Ü/1: "quoted" \\ and ünïcode',
    )


def _write_as_0004(store: Store, names: list[str]) -> None:
    """Entries as the code of 0004 wrote them: one digest over link and fields, no
    digest column given."""
    prev, rows = audit.GENESIS, []
    for seq, name in enumerate(names, start=1):
        e = {k: getattr(_entry(name), k) for k in audit._FIELDS}
        h = audit._digest_v1(prev, seq, e)
        rows.append({**e, "seq": seq, "prev_hash": prev, "hash": h})
        prev = h
    with store.write() as conn:
        conn.execute(insert(audit_log).values(rows))


def _digests(store: Store) -> list[int]:
    with store.read() as conn:
        return list(conn.execute(select(audit_log.c.digest).order_by(audit_log.c.seq)).scalars())


def test_a_chain_from_before_0005_verifies_and_new_entries_link_on(store: Store) -> None:
    _to(store, "0004", down=True)
    _write_as_0004(store, ["old-1", "old-2"])
    _to(store, "head")
    audit.append(store, _entry("new-1"), _entry("new-2"))
    audit.append(store, _entry("new-3"))
    assert _digests(store) == [1, 1, 2, 2, 2]
    assert audit.verify(store) == (5, None)


def test_altering_an_old_entry_or_a_new_one_is_caught(store: Store) -> None:
    _to(store, "0004", down=True)
    _write_as_0004(store, ["old-1", "old-2"])
    _to(store, "head")
    audit.append(store, _entry("new-1"), _entry("new-2"))
    tamper(store, "UPDATE audit_log SET username = 'someone' WHERE seq = 4")
    broken = audit.verify(store)[1]
    assert broken is not None and broken.seq == 4 and "altered" in broken.reason
    tamper(store, "UPDATE audit_log SET detail = 'edited' WHERE seq = 2")
    broken = audit.verify(store)[1]
    assert broken is not None and broken.seq == 2 and "altered" in broken.reason


def test_an_entry_relabelled_as_digest_1_is_caught(store: Store) -> None:
    audit.append(store, _entry("a"), _entry("b"))
    tamper(store, "UPDATE audit_log SET digest = 1 WHERE seq = 2")
    broken = audit.verify(store)[1]
    assert broken is not None and broken.seq == 2
