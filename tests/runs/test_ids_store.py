"""The identity tables in a store: what one run remembers, the next run reads back."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from crossline.analyse.lines.build import Line, line_id_for
from crossline.analyse.lines.classify import DealNumber
from crossline.analyse.persons.resolve import PERSONS_SCHEMA, person_id
from crossline.engine.duckdb import DuckDBEngine
from crossline.runs import ids

T = datetime(2026, 3, 1)


def line(*numbers: str) -> Line:
    deals = [DealNumber(n, T, T, 1, 1, 0, 6, 5, 5, 0.9, "test") for n in numbers]
    return Line(line_id_for(numbers[0]), deals, set(), None, [], "", "", 0.9, "")


def run_lines(engine: DuckDBEngine, run: int, lines: list[Line]) -> list[str]:
    book = ids.IdentityBook(engine, run, datetime(2026, 4, run))
    out = [ln.line_id for ln in book.lines(lines)]
    book.persons(pa.table({c: [] for c in PERSONS_SCHEMA.names}, schema=PERSONS_SCHEMA))
    book.save(engine)
    return out


def test_merged_lines_keep_the_older_id_and_export_the_alias() -> None:
    engine = DuckDBEngine()
    a, b = line_id_for("+447700900001"), line_id_for("+447700900002")
    assert run_lines(engine, 1, [line("+447700900001")]) == [a]
    assert run_lines(engine, 2, [line("+447700900002"), line("+447700900001")]) == [b, a]
    assert run_lines(engine, 3, [line("+447700900002", "+447700900001")]) == [a]
    rows = ids.aliases(engine).to_pylist()
    assert [(r["kind"], r["alias"], r["id"], r["run_id"]) for r in rows] == [("line", b, a, 3)]
    assert ids.resolve(engine, "line", b) == a
    # a later run leaves the alias as it was, since the run that made it
    assert run_lines(engine, 4, [line("+447700900001", "+447700900002")]) == [a]
    assert ids.aliases(engine).to_pylist() == rows


def persons(rows: list[tuple[str, str, str]]) -> pa.Table:
    cols = list(zip(*rows, strict=True))
    return pa.table(
        {
            "person_id": list(cols[0]),
            "force": list(cols[1]),
            "record_id": list(cols[2]),
            "match_probability": [1.0] * len(rows),
        },
        schema=PERSONS_SCHEMA,
    )


def test_a_person_keeps_its_id_when_a_smaller_record_joins() -> None:
    engine = DuckDBEngine()
    book = ids.IdentityBook(engine, 1, T)
    first = book.persons(persons([(person_id("suffolk", "N9"), "suffolk", "N9")]))
    book.lines([])
    book.save(engine)
    # another force's record of the same person is smaller: it would name the person now
    fresh = person_id("cheshire", "N1")
    book = ids.IdentityBook(engine, 2, T)
    second = book.persons(persons([(fresh, "cheshire", "N1"), (fresh, "suffolk", "N9")]))
    assert set(second.column("person_id").to_pylist()) == set(first.column("person_id").to_pylist())
    assert second.column("record_id").to_pylist() == ["N1", "N9"]
