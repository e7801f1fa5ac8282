"""The audit log the Data Protection Act 2018 s.62 asks of law-enforcement processing:
who did what to which record, when, from where, and why. Append-only and hash-chained:
each entry holds the hash of the one before, so an altered or deleted entry breaks the
chain at that point and `verify` names it. Appends are serialised (LOCK TABLE on
PostgreSQL, inside the server function that appends in one statement; BEGIN IMMEDIATE on
SQLite) so concurrent writers cannot fork the chain.

Because every read of intelligence is logged, the chain's one-writer-at-a-time lock is on
every request's path. Concurrent appends in one process are therefore committed together
(group commit, as databases do with their own logs): the first waiting thread writes every
entry queued so far in one transaction, and each caller returns only once its own entries
are committed, so the log is as durable as before and far fewer transactions queue on
the lock.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import weakref
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from crossline.store.db import Store
from crossline.store.tables import audit_log

GENESIS = "0" * 64


class Operation(StrEnum):
    """The s.62 operations (collection ... erasure); a refused attempt keeps the operation
    it attempted, with outcome `refused`."""

    COLLECTION = "collection"
    ALTERATION = "alteration"
    CONSULTATION = "consultation"
    DISCLOSURE = "disclosure"
    COMBINATION = "combination"
    ERASURE = "erasure"
    LOGIN = "login"


@dataclass(frozen=True)
class Entry:
    operation: str
    username: str
    force: str
    client: str
    entity_kind: str
    entity_id: str = ""
    justification: str = ""
    outcome: str = "ok"
    detail: str = ""
    at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))


_FIELDS = tuple(f.name for f in fields(Entry))
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f]")  # below space, but tab


def _clean(value: object) -> object:
    """Text as every backend stores it: no NUL (PostgreSQL refuses it), other control
    characters escaped, so a hostile path or name is logged as what it was. (Most text
    has none: one regex search says so, not a walk over every character.)"""
    if not isinstance(value, str) or not _CONTROL.search(value):
        return value
    return "".join(c if c >= " " or c in "\t" else f"\\x{ord(c):02x}" for c in value)


def _at(e: dict[str, Any]) -> str:
    return str(e["at"].isoformat(timespec="microseconds"))


def _body(e: dict[str, Any]) -> str:
    """The digest of an entry's own fields (what digest 2 chains)."""
    body = {k: e[k] for k in sorted(e) if k not in _CHAIN}
    body["at"] = _at(e)
    text = json.dumps(body, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _link(prev: str, seq: int, body: str) -> str:
    """Digest 2, as PostgreSQL's audit_log_append computes it (migration v0005)."""
    return hashlib.sha256(f"{prev}\n{seq}\n{body}".encode()).hexdigest()


def _digest_v1(prev: str, seq: int, e: dict[str, Any]) -> str:
    """Entries written before v0005: one digest over the link and the fields together."""
    body = {k: e[k] for k in sorted(e) if k not in _CHAIN}
    body["at"] = _at(e)
    text = json.dumps({"seq": seq, **body}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{prev}\n{text}".encode()).hexdigest()


def _expected(prev: str, seq: int, row: dict[str, Any]) -> str:
    if int(row["digest"]) == 1:
        return _digest_v1(prev, seq, row)
    return _link(prev, seq, _body(row))


_CHAIN = ("seq", "prev_hash", "hash", "digest")
# every request appends: the statements are built once, and an entry's fields are read
# directly (dataclasses.asdict deep-copies, which plain text and a datetime do not need)
_LAST = select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
_INSERT = insert(audit_log)
_PG_APPEND = text("SELECT audit_log_append(CAST(:entries AS jsonb))")


def _append(conn: Connection, store: Store, entries: list[Entry]) -> None:
    cleaned: list[dict[str, Any]] = [
        {k: _clean(getattr(entry, k)) for k in _FIELDS} for entry in entries
    ]
    if store.is_postgres:
        # one statement: the function locks the chain, reads its end and links these on
        payload = [{**e, "at": _at(e), "body": _body(e)} for e in cleaned]
        conn.execute(_PG_APPEND, {"entries": json.dumps(payload, ensure_ascii=False)})
        return
    last = conn.execute(_LAST).first()
    seq, prev = (0, GENESIS) if last is None else (int(last.seq), str(last.hash))
    rows = []
    for e in cleaned:
        seq += 1
        h = _link(prev, seq, _body(e))
        rows.append({**e, "seq": seq, "prev_hash": prev, "hash": h, "digest": 2})
        prev = h
    conn.execute(_INSERT, rows)


class _GroupCommit:
    """The appends of one process to one store, committed in batches."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lock = threading.Lock()
        self.queue: list[tuple[list[Entry], Future[None]]] = []
        self.writing = False

    def append(self, entries: list[Entry]) -> None:
        done: Future[None] = Future()
        with self.lock:
            self.queue.append((entries, done))
            lead = not self.writing
            self.writing = True
        if lead:
            self._write_until_empty()
        done.result()

    def _write_until_empty(self) -> None:
        while True:
            with self.lock:
                batch, self.queue = self.queue, []
                if not batch:
                    self.writing = False
                    return
            try:
                self._write(batch)
            except BaseException as exc:  # the leader is going: no caller may wait on it
                with self.lock:
                    rest, self.queue = self.queue, []
                    self.writing = False
                for _, done in (*batch, *rest):
                    if not done.done():
                        done.set_exception(exc)
                raise

    def _write(self, batch: list[tuple[list[Entry], Future[None]]]) -> None:
        try:
            with self.store.write_statement() as conn:
                _append(conn, self.store, [e for entries, _ in batch for e in entries])
        except Exception:
            # one caller's bad entry must not cost the others theirs: each alone
            for entries, done in batch:
                try:
                    with self.store.write_statement() as conn:
                        _append(conn, self.store, entries)
                except Exception as exc:
                    done.set_exception(exc)
                else:
                    done.set_result(None)
            return
        for _, done in batch:
            done.set_result(None)


_groups: weakref.WeakKeyDictionary[Store, _GroupCommit] = weakref.WeakKeyDictionary()
_groups_lock = threading.Lock()


def append(store: Store, *entries: Entry) -> None:
    """Log entries in their own transaction (shared with concurrent callers), so a refusal
    is logged even when the request that caused it fails; returns once they are committed."""
    with _groups_lock:
        group = _groups.get(store)
        if group is None:
            group = _groups[store] = _GroupCommit(store)
    group.append(list(entries))


def append_in(conn: Connection, store: Store, *entries: Entry) -> None:
    """Log entries inside a caller's write transaction (a publish and its entry commit
    together or not at all)."""
    _append(conn, store, list(entries))


@dataclass(frozen=True)
class Broken:
    seq: int
    reason: str


def verify(store: Store) -> tuple[int, Broken | None]:
    """(entries checked, the first entry that breaks the chain or None)."""
    prev, expected, n = GENESIS, 1, 0
    with store.read(streaming=True) as conn:
        rows = conn.execution_options(stream_results=True, yield_per=5000).execute(
            select(audit_log).order_by(audit_log.c.seq)
        )
        for r in rows.mappings():
            n += 1
            seq = int(r["seq"])
            if seq != expected:
                return n, Broken(expected, f"entry {expected} is missing (next is {seq})")
            if r["prev_hash"] != prev:
                return n, Broken(seq, f"entry {seq} does not follow entry {seq - 1}")
            if _expected(prev, seq, dict(r)) != r["hash"]:
                return n, Broken(seq, f"entry {seq} was altered after it was written")
            prev, expected = str(r["hash"]), seq + 1
    return n, None


def search(
    store: Store,
    *,
    username: str | None = None,
    entity_kind: str | None = None,
    entity_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Entries matching every filter given, newest first, and how many match."""
    where = []
    if username is not None:
        where.append(audit_log.c.username == username)
    if entity_kind is not None:
        where.append(audit_log.c.entity_kind == entity_kind)
    if entity_id is not None:
        where.append(audit_log.c.entity_id == entity_id)
    if since is not None:
        where.append(audit_log.c.at >= since)
    if until is not None:
        where.append(audit_log.c.at <= until)
    with store.read() as conn:
        total = int(
            conn.execute(select(func.count()).select_from(audit_log).where(*where)).scalar_one()
        )
        rows = conn.execute(
            select(audit_log)
            .where(*where)
            .order_by(audit_log.c.seq.desc())
            .limit(limit)
            .offset(offset)
        )
        return [dict(r) for r in rows.mappings()], total


def all_entries(store: Store) -> Iterator[dict[str, Any]]:
    with store.read() as conn:
        for r in conn.execute(select(audit_log).order_by(audit_log.c.seq)).mappings():
            yield dict(r)
