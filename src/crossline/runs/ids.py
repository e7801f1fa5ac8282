"""The workspace's identity tables, and the hooks that give a run's lines and persons the
ids the workspace already knows them by (`crossline.analyse.pipeline.IdentityHooks`).

Three tables, each with a `kind` column ('line' or 'person'):

- `identity_ids`: every id ever handed out, with the run that minted it (its age, which
  decides which id survives a merge);
- `identity_members`: the id each member last had: a deal number (lines) or a nominal
  record as `force:record_id` (persons), including members a later run no longer found,
  so that a number that reappears comes back to its line;
- `identity_aliases`: ids retired by a merge, the id each now resolves to, and since when.

The hooks only compute; `save` writes, inside the run's transaction, so a failed run
leaves the workspace's memory as it was.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime

import pyarrow as pa

from crossline.analyse.lines.build import Line, line_id_for
from crossline.analyse.persons.resolve import person_id
from crossline.engine.base import Engine
from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.runs.identity import Assignment, Cluster, Memory, assign

IDS_TABLE = "identity_ids"
MEMBERS_TABLE = "identity_members"
ALIASES_TABLE = "identity_aliases"
LINE, PERSON = "line", "person"
KINDS = (LINE, PERSON)
ALIAS_COLUMNS = ("kind", "alias", "id", "since", "run_id")


def record_key(force: str, record_id: str) -> str:
    return f"{force}:{record_id}"


def _person_of_key(key: str) -> str:
    force, record_id = key.split(":", 1)
    return person_id(force, record_id)


def _rows(engine: Engine, table: str) -> list[dict[str, object]]:
    if not engine.has_table(table):
        return []
    rows: list[dict[str, object]] = engine.query(f"SELECT * FROM {table}").to_pylist()
    return rows


class IdentityBook:
    """Both kinds of memory, loaded once per run; implements IdentityHooks."""

    def __init__(self, engine: Engine, run_id: int, started_at: datetime) -> None:
        self.run_id = run_id
        self.started_at = started_at
        self.memory = {kind: Memory() for kind in KINDS}
        for r in _rows(engine, IDS_TABLE):
            self.memory[str(r["kind"])].born[str(r["id"])] = int(str(r["born_run"]))
        for r in _rows(engine, MEMBERS_TABLE):
            self.memory[str(r["kind"])].members[str(r["member"])] = str(r["id"])
        self.alias_rows = [r for r in _rows(engine, ALIASES_TABLE)]
        for r in self.alias_rows:
            self.memory[str(r["kind"])].aliases[str(r["alias"])] = str(r["id"])
        self.assigned: dict[str, Assignment] = {}

    def lines(self, lines: list[Line]) -> list[Line]:
        clusters = [Cluster(ln.line_id, tuple(d.number for d in ln.deals)) for ln in lines]
        done = assign(clusters, self.memory[LINE], self.run_id, line_id_for)
        self.assigned[LINE] = done
        return [replace(ln, line_id=i) for ln, i in zip(lines, done.ids, strict=True)]

    def persons(self, persons: pa.Table) -> pa.Table:
        pids = persons.column(o.PERSON_ID).to_pylist()
        keys = [
            record_key(f, r)
            for f, r in zip(
                persons.column(s.FORCE).to_pylist(),
                persons.column(s.RECORD_ID).to_pylist(),
                strict=True,
            )
        ]
        members: dict[str, list[str]] = defaultdict(list)
        for pid, key in zip(pids, keys, strict=True):
            members[pid].append(key)
        fresh = list(members)
        # the smallest record leads, as it names the person (person_id)
        clusters = [Cluster(pid, tuple(sorted(members[pid]))) for pid in fresh]
        done = assign(clusters, self.memory[PERSON], self.run_id, _person_of_key)
        self.assigned[PERSON] = done
        stable = dict(zip(fresh, done.ids, strict=True))
        column = pa.array([stable[pid] for pid in pids], pa.string())
        return persons.set_column(0, o.PERSON_ID, column)

    def tables(self) -> dict[str, pa.Table]:
        """The three identity tables as this run leaves them."""
        ids: dict[str, list[object]] = {"kind": [], "id": [], "born_run": []}
        mem: dict[str, list[object]] = {"kind": [], "member": [], "id": []}
        for kind, memory in self.memory.items():
            for i, born in sorted(memory.born.items()):
                ids["kind"].append(kind)
                ids["id"].append(i)
                ids["born_run"].append(born)
            for member, i in sorted(memory.members.items()):
                mem["kind"].append(kind)
                mem["member"].append(member)
                mem["id"].append(i)
        since = {(str(r["kind"]), str(r["alias"])): r for r in self.alias_rows}
        ali: dict[str, list[object]] = {c: [] for c in ALIAS_COLUMNS}
        for kind, memory in self.memory.items():
            new = self.assigned[kind].aliased if kind in self.assigned else {}
            for alias, target in sorted(memory.aliases.items()):
                old = since.get((kind, alias))
                ali["kind"].append(kind)
                ali["alias"].append(alias)
                ali["id"].append(target)
                ali["since"].append(
                    self.started_at if old is None or alias in new else old["since"]
                )
                ali["run_id"].append(self.run_id if old is None or alias in new else old["run_id"])
        return {
            IDS_TABLE: pa.table(
                {
                    "kind": pa.array(ids["kind"], pa.string()),
                    "id": pa.array(ids["id"], pa.string()),
                    "born_run": pa.array(ids["born_run"], pa.int64()),
                }
            ),
            MEMBERS_TABLE: pa.table({c: pa.array(v, pa.string()) for c, v in mem.items()}),
            ALIASES_TABLE: pa.table(
                {
                    "kind": pa.array(ali["kind"], pa.string()),
                    "alias": pa.array(ali["alias"], pa.string()),
                    "id": pa.array(ali["id"], pa.string()),
                    "since": pa.array(ali["since"], pa.timestamp("us")),
                    "run_id": pa.array(ali["run_id"], pa.int64()),
                }
            ),
        }

    def save(self, engine: Engine) -> None:
        for name, table in self.tables().items():
            engine.replace_table(name, table)


def aliases(engine: Engine) -> pa.Table:
    """Every retired id and the id it resolves to now, oldest first."""
    if not engine.has_table(ALIASES_TABLE):
        return pa.table({c: pa.array([], pa.string()) for c in ALIAS_COLUMNS})
    cols = ", ".join(ALIAS_COLUMNS)
    return engine.query(f"SELECT {cols} FROM {ALIASES_TABLE} ORDER BY since, kind, alias")


def resolve(engine: Engine, kind: str, some_id: str) -> str:
    """The id `some_id` goes by now (itself unless a merge retired it)."""
    memory = Memory()
    for r in _rows(engine, ALIASES_TABLE):
        if r["kind"] == kind:
            memory.aliases[str(r["alias"])] = str(r["id"])
    return memory.resolve(some_id)
