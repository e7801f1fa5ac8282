"""How many line and person ids survive a second delivery, with stable ids and as the
content-derived ids alone would have named them.

`python -m tests.runs.survival WORLD WORK [--nominals-first]` splits WORLD (see
deliveries), ingests and analyses the first delivery, then the second, in WORK/ws."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from crossline.analyse.lines.build import Line, line_id_for
from crossline.analyse.persons.resolve import person_id
from crossline.runs import Service

from .deliveries import split_world


@dataclass
class Survival:
    carried: int  # earlier ids whose members are still found
    kept: int  # ... still the id of what holds them
    resolving: int  # ... kept, or an alias of the id of what holds them
    content: int  # ... that content-derived ids alone would have kept

    def to_json(self) -> dict[str, int]:
        return self.__dict__.copy()


def line_survival(before: list[Line], after: list[Line], aliases: dict[str, str]) -> Survival:
    holder = {d.number: ln for ln in after for d in ln.deals}
    content_after = {line_id_for(ln.deals[0].number) for ln in after}
    ids_after = {ln.line_id for ln in after}
    carried = kept = resolving = content = 0
    for ln in before:
        holders = {holder[d.number].line_id for d in ln.deals if d.number in holder}
        if not holders:
            continue
        carried += 1
        kept += ln.line_id in ids_after
        resolving += aliases.get(ln.line_id, ln.line_id) in holders
        content += line_id_for(ln.deals[0].number) in content_after
    return Survival(carried, kept, resolving, content)


def _records(persons: pa.Table) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in persons.to_pylist():
        out[r["person_id"]].append((r["force"], r["record_id"]))
    return out


def person_survival(before: pa.Table, after: pa.Table, aliases: dict[str, str]) -> Survival:
    of_record = {(r["force"], r["record_id"]): r["person_id"] for r in after.to_pylist()}
    content_after = {person_id(*min(recs)) for recs in _records(after).values()}
    ids_after = set(of_record.values())
    carried = kept = resolving = content = 0
    for pid, recs in _records(before).items():
        holders = {of_record[r] for r in recs if r in of_record}
        if not holders:
            continue
        carried += 1
        kept += pid in ids_after
        resolving += aliases.get(pid, pid) in holders
        content += person_id(*min(recs)) in content_after
    return Survival(carried, kept, resolving, content)


def deliver_twice(world: Path, work: Path, split_nominals: bool = True) -> dict[str, Any]:
    cut = split_world(world, work / "first", work / "second", split_nominals)
    service = Service.for_workspace(work / "ws")
    service.ingest(work / "first")
    one = service.analyse().results
    service.ingest(work / "second")
    two = service.analyse().results
    aliases: dict[str, dict[str, str]] = {"line": {}, "person": {}}
    for r in service.result("aliases").table.to_pylist():
        aliases[r["kind"]][r["alias"]] = r["id"]
    return {
        "cut": cut,
        "lines": (len(one.lines), len(two.lines)),
        "persons": (one.persons.num_rows, two.persons.num_rows),
        "line_ids": line_survival(one.lines, two.lines, aliases["line"]).to_json(),
        "person_ids": person_survival(one.persons, two.persons, aliases["person"]).to_json(),
        "aliases": {k: len(v) for k, v in aliases.items()},
    }


if __name__ == "__main__":
    whole = len(sys.argv) > 3 and sys.argv[3] == "--nominals-first"
    print(json.dumps(deliver_twice(Path(sys.argv[1]), Path(sys.argv[2]), not whole), indent=1))
