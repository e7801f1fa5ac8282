"""The CLI's way into the operational store: opened from the workspace's settings
(CROSSLINE_DATABASE_URL, else the workspace's SQLite file), failures said in one line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from crossline.cli.results import fail
from crossline.runs.publish import actor, database_url
from crossline.settings import ConfigError, Settings
from crossline.store import Store, StoreError, audit, open_store


def settings_from(ctx: typer.Context) -> Settings:
    from crossline.cli.app import settings_of

    try:
        return settings_of(ctx)
    except ConfigError as exc:
        raise fail(f"bad configuration: {exc}", 2) from exc


@contextmanager
def operational(ctx: typer.Context) -> Iterator[Store]:
    try:
        store = open_store(database_url(settings_from(ctx)))
    except StoreError as exc:
        raise fail(str(exc), 1) from exc
    try:
        yield store
    finally:
        store.close()


def log_admin(store: Store, operation: str, kind: str, entity: str, detail: str = "") -> None:
    """An administrator's change made at the command line, in the audit log."""
    audit.append(
        store,
        audit.Entry(
            operation=operation,
            username=actor(),
            force="local",
            client="cli",
            entity_kind=kind,
            entity_id=entity,
            detail=detail,
        ),
    )
