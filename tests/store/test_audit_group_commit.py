"""Concurrent audit appends are committed together, each caller returning only once its
own entries are in the chain; one caller's failure costs no one else their entries."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest
from sqlalchemy import Connection, func, select

from crossline.store import Store, audit
from crossline.store.tables import audit_log


def entry(name: str) -> audit.Entry:
    return audit.Entry(
        operation=audit.Operation.CONSULTATION,
        username=name,
        force="national",
        client="127.0.0.1",
        entity_kind="line",
    )


def count(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())


def test_appends_queued_behind_a_write_commit_in_one_transaction(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = audit._append
    batches: list[list[str]] = []
    first_in, release = threading.Event(), threading.Event()

    def held(conn: Connection, s: Store, entries: list[audit.Entry]) -> None:
        batches.append([e.username for e in entries])
        if len(batches) == 1:  # the first writer holds the lock while the others queue
            first_in.set()
            assert release.wait(30)
        real(conn, s, entries)

    monkeypatch.setattr(audit, "_append", held)
    lead = threading.Thread(target=audit.append, args=(store, entry("lead")))
    lead.start()
    assert first_in.wait(30)
    queued = [threading.Thread(target=audit.append, args=(store, entry(f"u{i}"))) for i in range(5)]
    for t in queued:
        t.start()
    # every queued caller is waiting for the lead's write, none has written
    while sum(len(q) for q, _ in audit._groups[store].queue) < 5:
        threading.Event().wait(0.01)
    assert count(store) == 0
    release.set()
    for t in (lead, *queued):
        t.join(30)
    assert batches[0] == ["lead"]
    assert sorted(batches[1]) == [f"u{i}" for i in range(5)]  # one transaction for five
    assert len(batches) == 2
    assert count(store) == 6
    assert audit.verify(store) == (6, None)


def test_a_failing_entry_costs_only_its_own_caller(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = audit._append

    def refuse_bad(conn: Connection, s: Store, entries: list[audit.Entry]) -> None:
        if any(e.username == "bad" for e in entries):
            raise RuntimeError("refused")
        real(conn, s, entries)

    monkeypatch.setattr(audit, "_append", refuse_bad)
    group = audit._GroupCommit(store)
    futures: list[Future[None]] = [Future() for _ in range(3)]
    group.queue = [([entry(n)], f) for n, f in zip(("a", "bad", "b"), futures, strict=True)]
    group.writing = True
    group._write_until_empty()
    done = [f.exception() for f in futures]
    assert done[0] is None and done[2] is None
    assert isinstance(done[1], RuntimeError)
    assert not group.writing
    assert count(store) == 2
    assert audit.verify(store) == (2, None)


def test_many_threads_leave_one_unbroken_chain(store: Store) -> None:
    start = threading.Barrier(12)

    def many(i: int) -> None:
        start.wait(30)
        for j in range(10):
            audit.append(store, entry(f"t{i}-{j}"))

    threads = [threading.Thread(target=many, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert count(store) == 120
    assert audit.verify(store) == (120, None)


class Stop(BaseException):
    """What an interrupted writer raises (not an Exception: no retry catches it)."""


def test_callers_queued_behind_a_writer_that_dies_are_told_not_left_waiting(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_in, release = threading.Event(), threading.Event()

    def dies(conn: Connection, s: Store, entries: list[audit.Entry]) -> None:
        first_in.set()
        assert release.wait(30)
        raise Stop

    monkeypatch.setattr(audit, "_append", dies)
    outcome: dict[str, BaseException | None] = {}

    def call(name: str) -> None:
        try:
            audit.append(store, entry(name))
        except BaseException as exc:
            outcome[name] = exc
        else:
            outcome[name] = None

    lead = threading.Thread(target=call, args=("lead",), daemon=True)
    lead.start()
    assert first_in.wait(30)
    queued = threading.Thread(target=call, args=("queued",), daemon=True)
    queued.start()
    while not audit._groups[store].queue:
        threading.Event().wait(0.01)
    release.set()
    lead.join(30)
    queued.join(30)
    assert not queued.is_alive()  # it was told, not left waiting for a leader that left
    assert isinstance(outcome["lead"], Stop) and isinstance(outcome["queued"], Stop)
    assert not audit._groups[store].writing and not audit._groups[store].queue
