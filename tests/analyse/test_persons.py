"""Person resolution on tiny hand-made nominal sets and one small simulated world.

Each hand-made set is ingested through the real ingest path (CSV -> store) and sits among
background people of varied names, dates and places, as real records would."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossline.analyse.persons import person_id, resolve_persons
from crossline.analyse.persons_prepare import soundex
from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import ingest_dataset
from crossline.model import schema as s
from crossline.simulate.config import WorldConfig
from crossline.simulate.evaluate_persons import evaluate_persons, pairwise_score
from crossline.simulate.writer import write_world

Row = dict[str, str]
PERSON_ID = s.PERSONS_COLUMNS[0]

GIVEN = ["Aaron", "Chloe", "Daniel", "Fatima", "Harvey", "Jade", "Leon", "Megan", "Omar", "Tia"]
FAMILY = ["Bennett", "Cooper", "Evans", "Graham", "Hill", "Kelly", "Mensah", "Osei", "Price"]
TOWNS = ["Leeds", "Hull", "Derby", "Luton", "Exeter", "Bath"]


def nominal(
    force: str,
    rid: str,
    given: str,
    family: str,
    dob: str = "",
    *,
    sex: str = "",
    address: str = "",
    postcode: str = "",
    phones: str = "",
) -> Row:
    return {
        s.RECORD_ID: rid,
        s.FORCE: force,
        s.GIVEN_NAMES: given,
        s.FAMILY_NAME: family,
        s.DATE_OF_BIRTH: dob,
        s.SEX: sex,
        s.ADDRESS: address,
        s.POSTCODE: postcode,
        s.PHONE_NUMBERS: phones,
        s.FLAGS: "",
    }


def background(n: int = 40) -> list[Row]:
    """n distinct people, one record each, at the 'kent' force."""
    rows = []
    for i, (g, f) in enumerate(itertools.islice(itertools.product(GIVEN, FAMILY), n)):
        town = TOWNS[i % len(TOWNS)]
        rows.append(
            nominal(
                "kent",
                f"B{i:04d}",
                g,
                f,
                f"{1960 + i % 40}-{1 + i % 12:02d}-{1 + (i * 7) % 28:02d}",
                sex="M" if i % 2 else "F",
                address=f"{i + 1} Mill Lane, {town}",
                postcode=f"{town[:2].upper()}{1 + i % 9} {i % 10}AB",
                phones=f"07700 9{i:05d}",
            )
        )
    return rows


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[DuckDBEngine]:
    e = DuckDBEngine(tmp_path / "store.duckdb")
    yield e
    e.close()


def load(engine: DuckDBEngine, tmp_path: Path, rows: list[Row], name: str = "ds") -> None:
    ds = tmp_path / name
    ds.mkdir()
    with (ds / "nominals.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(s.NOMINALS.names))
        w.writeheader()
        w.writerows(rows)
    report = ingest_dataset(engine, ds, tmp_path / f"q_{name}")
    assert engine.scalar(f"SELECT count(*) FROM {s.NOMINALS.name}") == len(rows), report


def person_of(persons: pa.Table) -> dict[tuple[str, str], str]:
    return {
        (f, r): p
        for p, f, r in zip(
            persons.column(PERSON_ID).to_pylist(),
            persons.column(s.FORCE).to_pylist(),
            persons.column(s.RECORD_ID).to_pylist(),
            strict=True,
        )
    }


def resolve(engine: DuckDBEngine, tmp_path: Path, rows: list[Row]) -> dict[tuple[str, str], str]:
    load(engine, tmp_path, rows)
    persons = resolve_persons(engine)
    assert tuple(persons.column_names) == s.PERSONS_COLUMNS
    return person_of(persons)


def test_name_variant_with_same_dob_and_phone_is_one_person(
    engine: DuckDBEngine, tmp_path: Path
) -> None:
    rows = [
        *background(),
        nominal("merseyside", "N1", "Mohammed", "Khan", "1999-04-03", phones="07700 900111"),
        nominal("metropolitan", "N9", "Muhammad", "Khan", "1999-04-03", phones="+447700900111"),
    ]
    p = resolve(engine, tmp_path, rows)
    assert p[("merseyside", "N1")] == p[("metropolitan", "N9")]
    assert p[("merseyside", "N1")] == person_id("merseyside", "N1")


def test_same_common_name_different_dob_are_two_people(
    engine: DuckDBEngine, tmp_path: Path
) -> None:
    rows = [
        *background(),
        nominal("kent", "N1", "John", "Smith", "1971-02-14", address="3 High Street, Dover"),
        nominal("essex", "N2", "John", "Smith", "1998-11-30", address="Flat 2, Park Road, Harlow"),
    ]
    p = resolve(engine, tmp_path, rows)
    assert p[("kent", "N1")] != p[("essex", "N2")]


def test_day_month_swapped_dob_still_matches(engine: DuckDBEngine, tmp_path: Path) -> None:
    rows = [
        *background(),
        nominal("norfolk", "N1", "Kai", "Walker", "2001-03-07", sex="M", postcode="NR2 4AB"),
        nominal("suffolk", "N5", "Kai", "Walker", "2001-07-03", sex="M", postcode="NR2 4AB"),
    ]
    p = resolve(engine, tmp_path, rows)
    assert p[("norfolk", "N1")] == p[("suffolk", "N5")]


def test_shared_phone_links_records_with_name_typos(engine: DuckDBEngine, tmp_path: Path) -> None:
    rows = [
        *background(),
        nominal("durham", "N1", "Connor", "Hughes", "2006-05", phones="07911 123456"),
        nominal("cleveland", "N2", "Conor", "Hughs", "", phones="+44 7911 123456;07700 900999"),
    ]
    p = resolve(engine, tmp_path, rows)
    assert p[("durham", "N1")] == p[("cleveland", "N2")]


def test_unrelated_people_stay_apart(engine: DuckDBEngine, tmp_path: Path) -> None:
    rows = background()
    p = resolve(engine, tmp_path, rows)
    assert len(set(p.values())) == len(rows)


records = st.lists(
    st.tuples(
        st.sampled_from(["kent", "essex", "surrey"]),
        st.sampled_from(GIVEN[:4]),
        st.sampled_from(FAMILY[:3]),
        st.sampled_from(["", "1990", "1990-05", "1990-05-04", "1990-04-05", "2001-12-30"]),
        st.sampled_from(["", "07700 900001", "07700 900002"]),
    ),
    min_size=2,
    max_size=12,
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records)
def test_every_record_appears_exactly_once(
    tmp_path_factory: pytest.TempPathFactory,
    recs: list[tuple[str, str, str, str, str]],
) -> None:
    tmp = tmp_path_factory.mktemp("h")
    rows = [
        nominal(force, f"R{i}", g, f, dob, phones=ph)
        for i, (force, g, f, dob, ph) in enumerate(recs)
    ]
    engine = DuckDBEngine(tmp / "store.duckdb")
    try:
        load(engine, tmp, rows)
        persons = resolve_persons(engine)
        again = resolve_persons(engine)
    finally:
        engine.close()
    forces = persons.column(s.FORCE).to_pylist()
    keys = list(zip(forces, persons.column(s.RECORD_ID).to_pylist(), strict=True))
    assert sorted(keys) == sorted((r[s.FORCE], r[s.RECORD_ID]) for r in rows)
    assert len(set(keys)) == len(keys)
    assert persons.equals(again)  # deterministic
    probs = persons.column(s.PERSONS_COLUMNS[3]).to_pylist()
    assert all(0.0 <= x <= 1.0 for x in probs)
    # a person's id names its smallest (force, record_id)
    members: dict[str, list[tuple[str, str]]] = {}
    for key, pid in person_of(persons).items():
        members.setdefault(pid, []).append(key)
    for pid, ks in members.items():
        assert pid == person_id(*min(ks))


def test_soundex() -> None:
    assert soundex("robert") == soundex("rupert") == "R163"
    assert soundex("ashcraft") == "A261"
    assert soundex("lee") == "L000"


def test_pairwise_score_counts_pairs() -> None:
    truth = {("a", "1"): "x", ("a", "2"): "x", ("b", "1"): "x", ("b", "2"): "y"}
    pred = {("a", "1"): "p", ("a", "2"): "p", ("b", "1"): "q", ("b", "2"): "q"}
    sc = pairwise_score(pred, truth)
    assert (sc.true_pairs, sc.predicted_pairs, sc.correct_pairs) == (3, 2, 1)
    assert sc.precision == 0.5 and sc.recall == pytest.approx(0.3333, abs=1e-4)


def test_small_simulated_world_resolves_with_high_f1(tmp_path: Path) -> None:
    world = tmp_path / "world"
    write_world(WorldConfig(lines=3, people=1500, days=21, seed=11), world)
    engine = DuckDBEngine(tmp_path / "store.duckdb")
    try:
        ingest_dataset(engine, world, tmp_path / "quarantine")
        persons = resolve_persons(engine)
    finally:
        engine.close()
    score = evaluate_persons(persons, world / "truth")
    assert score.true_pairs > 0
    assert score.f1 >= 0.95, score


def test_phone_persons_sources(engine: DuckDBEngine, tmp_path: Path) -> None:
    from crossline.analyse.phone_persons import phone_persons

    rows = [
        *background(6),
        nominal("kent", "N1", "Leon", "Okafor", "1990-01-02", postcode="ME1 2AB"),
        nominal("essex", "N2", "Tia", "Price", "1991-01-02", phones="07700 900555"),
    ]
    load(engine, tmp_path, rows)
    ds = tmp_path / "subs"
    ds.mkdir()
    cols = list(s.SUBSCRIBERS.names)
    with (ds / "subscribers.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        base = dict.fromkeys(cols, "")
        w.writerow(
            {
                **base,
                s.NUMBER: "07700 900777",
                s.REGISTERED_NAME: "Leon Okafor",
                s.POSTCODE: "ME12AB",
            }
        )
        w.writerow(
            {
                **base,
                s.NUMBER: "07700 900888",
                s.REGISTERED_NAME: "Leon Okafor",
                s.POSTCODE: "ZZ9 9ZZ",
            }
        )
    ingest_dataset(engine, ds, tmp_path / "q2")
    persons = resolve_persons(engine)
    links = {
        (r["number"], r["source"]): r["person_id"]
        for r in phone_persons(engine, persons).to_pylist()
    }
    p = person_of(persons)
    assert links[("+447700900555", "nominal")] == p[("essex", "N2")]
    assert links[("+447700900777", "subscriber")] == p[("kent", "N1")]
    assert not any(n == "+447700900888" for n, _ in links)  # postcode disagrees
