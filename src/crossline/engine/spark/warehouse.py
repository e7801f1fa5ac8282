"""The Spark engine's store: Parquet files in the workspace, and one small manifest naming
each table's files.

Spark has no transactions and a cluster reads files in place, so a table is a list of
immutable Parquet files (one per append, written once, never edited) and the manifest
(catalog.json) is the only thing that changes: a write adds files, then swaps in a new
manifest with one atomic rename. A transaction holds its manifest changes until it
commits; a rollback drops them, and the files it wrote are unreferenced and removed.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "catalog.json"
TABLES = "tables"


@dataclass
class Warehouse:
    """Tables (name -> Parquet paths, relative to `root`) and what they were exported
    from (`source`: the DuckDB store's identity when last mirrored)."""

    root: Path
    tables: dict[str, list[str]] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    _pending: list[str] | None = None  # files written inside an open transaction

    @classmethod
    def open(cls, root: Path) -> Warehouse:
        root.mkdir(parents=True, exist_ok=True)
        path = root / MANIFEST
        if not path.is_file():
            return cls(root)
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(root, dict(data.get("tables", {})), dict(data.get("source", {})))

    def new_path(self, table: str) -> str:
        """A fresh relative path for a file (or Spark's folder of part files) of `table`."""
        rel = f"{TABLES}/{table}/{uuid.uuid4().hex}.parquet"
        (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
        if self._pending is not None:
            self._pending.append(rel)
        return rel

    def paths(self, table: str) -> list[str]:
        return [str(self.root / p) for p in self.tables.get(table, [])]

    def set(self, table: str, files: list[str]) -> None:
        old = self.tables.get(table, [])
        self.tables[table] = list(files)
        self._save(drop=[p for p in old if p not in files])

    def add(self, table: str, file: str) -> None:
        self.tables[table] = [*self.tables.get(table, []), file]
        self._save()

    def drop(self, table: str) -> None:
        old = self.tables.pop(table, [])
        self._save(drop=old)

    def record_source(self, source: dict[str, Any]) -> None:
        """Note what the tables now mirror (export.is_current compares it)."""
        self.source = dict(source)
        self._save()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Manifest changes inside the block land together, or not at all."""
        if self._pending is not None:  # nested: part of the outer one
            yield
            return
        before = {k: list(v) for k, v in self.tables.items()}
        self._pending = []
        try:
            yield
        except BaseException:
            written, self._pending = self._pending, None
            self.tables = before
            for rel in written:
                _remove(self.root / rel)
            raise
        self._pending = None
        kept = {p for files in self.tables.values() for p in files}
        self._save(drop=[p for files in before.values() for p in files if p not in kept])

    def _save(self, drop: list[str] | None = None) -> None:
        if self._pending is not None:
            return  # written when the transaction commits
        tmp = self.root / f".{MANIFEST}.{uuid.uuid4().hex}"
        body = {"tables": self.tables, "source": self.source}
        tmp.write_text(json.dumps(body, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.root / MANIFEST)
        for rel in drop or []:
            _remove(self.root / rel)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
