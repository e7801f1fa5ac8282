"""Migration 0005 changes how an entry's hash is computed (digest 2, which PostgreSQL's
append function reproduces) without breaking a chain written before it: old entries keep
digest 1 and verify as before, new ones link on to them, and altering either is caught."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import insert, select

from crossline.store import Store, audit
from crossline.store.tables import audit_log
from tests.store.backends import migrate_to, tamper
from tests.store.test_audit_group_commit import entry


def _entry(name: str) -> audit.Entry:
    # text JSON escapes, to show both digests read it as stored
    return replace(entry(name), justification='OP-Ü/1: "quoted" \\ and ünïcode')


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
    migrate_to(store, "0004", down=True)
    _write_as_0004(store, ["old-1", "old-2"])
    migrate_to(store, "head")
    audit.append(store, _entry("new-1"), _entry("new-2"))
    audit.append(store, _entry("new-3"))
    assert _digests(store) == [1, 1, 2, 2, 2]
    assert audit.verify(store) == (5, None)


def test_altering_an_old_entry_or_a_new_one_is_caught(store: Store) -> None:
    migrate_to(store, "0004", down=True)
    _write_as_0004(store, ["old-1", "old-2"])
    migrate_to(store, "head")
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
