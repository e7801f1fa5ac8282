"""Alembic's environment: migrations run on the connection the store hands over
(`Store.migrate`), or on `sqlalchemy.url` when alembic is run by hand."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from crossline.store.tables import metadata

config = context.config


def run() -> None:
    conn = config.attributes.get("connection")
    if conn is not None:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
