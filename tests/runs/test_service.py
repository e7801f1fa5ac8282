"""The run service end to end on a small simulated world delivered out of order: the
later half first, then the earlier half with a second batch of forces' nominals."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from crossline.analyse.lines.build import line_id_for
from crossline.analyse.pipeline import run_all
from crossline.model import schema as s
from crossline.runs import NotAnalysed, Service
from crossline.simulate.config import WorldConfig
from crossline.simulate.writer import write_world

from .deliveries import split_world
from .survival import line_survival, person_survival

# A world where the content-derived ids alone rename a line and some persons when the
# earlier half arrives second (checked below), so the test shows stable ids at work.
WORLD = WorldConfig(lines=4, people=1_500, days=35, seed=1)


def test_ids_survive_a_delivery_of_older_data(tmp_path: Path) -> None:
    write_world(WORLD, tmp_path / "world", fmt="csv")
    split_world(tmp_path / "world", tmp_path / "first", tmp_path / "second")
    service = Service.for_workspace(tmp_path / "ws")
    service.ingest(tmp_path / "first")
    with pytest.raises(NotAnalysed):
        service.result("lines")
    one = service.analyse()
    assert one.run.run_id == 1

    # a fresh workspace names everything as the analyses alone do, byte for byte
    assert all(ln.line_id == line_id_for(ln.deals[0].number) for ln in one.results.lines)
    with service.engine() as engine:
        alone = run_all(engine)
    assert alone.register.equals(one.results.register)
    assert alone.persons.equals(one.results.persons)
    assert alone.safeguarding.equals(one.results.safeguarding)
    stored = service.result("lines")
    assert not stored.stale
    assert stored.table.num_rows == one.results.register.num_rows

    service.ingest(tmp_path / "second")
    assert service.result("lines").stale
    assert service.status()["analysis"]["stale"] is True
    two = service.analyse()
    assert two.run.run_id == 2
    assert service.status()["analysis"]["stale"] is False
    assert len(two.run.loads) > len(one.run.loads)

    aliases: dict[str, dict[str, str]] = {"line": {}, "person": {}}
    for r in service.result("aliases").table.to_pylist():
        aliases[r["kind"]][r["alias"]] = r["id"]
    lines = line_survival(one.results.lines, two.results.lines, aliases["line"])
    assert lines.carried >= 3
    assert lines.resolving == lines.carried  # every carried-over line still answers
    assert lines.kept == lines.carried - len(aliases["line"])
    assert lines.content < lines.carried  # what the content-derived ids alone would do
    people = person_survival(one.results.persons, two.results.persons, aliases["person"])
    assert people.carried == len(set(one.results.persons.column("person_id").to_pylist()))
    assert people.resolving == people.carried
    assert people.kept >= people.carried - len(aliases["person"])
    # ...where the content-derived ids alone would have renamed some persons
    assert people.content < people.carried

    # the stable ids are what the downstream analyses used and stored
    stored_persons = set(service.result("persons").table.column("person_id").to_pylist())
    assert set(two.results.persons.column("person_id").to_pylist()) == stored_persons
    listed = service.result("safeguarding").table
    assert set(listed.column("person_id").to_pylist()) <= stored_persons
    line_ids = {ln.line_id for ln in two.results.lines}
    for cell in listed.column("line_ids").to_pylist():
        assert set(filter(None, (cell or "").split(s.LIST_SEP))) <= line_ids
    holders = pa.compute.unique(service.result("lines").table.column("line_id")).to_pylist()
    assert set(holders) == line_ids
