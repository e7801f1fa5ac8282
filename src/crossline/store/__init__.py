"""The operational store: what the shared service reads (published runs, users, the audit
log), in SQLAlchemy 2 over SQLite or PostgreSQL, its schema owned by Alembic migrations.

One writer (the run service publishing a run), many readers (the API). It imports only
`crossline.model`, so the analyses and the analytical engine never depend on it.
"""

from crossline.store.db import Store, StoreError, open_store, sqlite_url

__all__ = ["Store", "StoreError", "open_store", "sqlite_url"]
