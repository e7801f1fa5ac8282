"""Person resolution on tiny hand-made nominal sets and one small simulated world.

Each hand-made set is ingested through the real ingest path (CSV -> store) and sits among
background people of varied names, dates and places, as real records would."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossline.analyse.persons import model as persons_model
from crossline.analyse.persons.addresses import (
    Address,
    parse_address,
    postcode_towns,
    subscriber_districts,
)
from crossline.analyse.persons.config import PersonsConfig
from crossline.analyse.persons.names import name_variants, soundex
from crossline.analyse.persons.resolve import person_id, resolve_persons
from crossline.engine.base import Engine
from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import ingest_dataset
from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.simulate.config import WorldConfig
from crossline.simulate.evaluate_persons import evaluate_persons, pairwise_score
from crossline.simulate.writer import write_world
from tests.conftest import on_engine
from tests.contract import contract_columns, without_extras

Row = dict[str, str]
PERSON_ID = o.PERSON_ID

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


@pytest.fixture
def on(
    engine: DuckDBEngine, engine_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Callable[[], Engine]:
    """The analysis engine over `engine`'s store, once it is loaded (DuckDB itself, or
    Spark over its Parquet mirror): the test runs once per engine."""
    return lambda: on_engine(engine, engine_kind, tmp_path / "spark", request)


def resolve(
    engine: DuckDBEngine, tmp_path: Path, rows: list[Row], on: Callable[[], Engine]
) -> dict[tuple[str, str], str]:
    load(engine, tmp_path, rows)
    persons = resolve_persons(on())
    assert without_extras(persons.column_names, o.PERSONS) == contract_columns("persons.csv")
    return person_of(persons)


def test_name_variant_with_same_dob_and_phone_is_one_person(
    engine: DuckDBEngine, tmp_path: Path, on: Callable[[], Engine]
) -> None:
    rows = [
        *background(),
        nominal("merseyside", "N1", "Mohammed", "Khan", "1999-04-03", phones="07700 900111"),
        nominal("metropolitan", "N9", "Muhammad", "Khan", "1999-04-03", phones="+447700900111"),
    ]
    p = resolve(engine, tmp_path, rows, on)
    assert p[("merseyside", "N1")] == p[("metropolitan", "N9")]
    assert p[("merseyside", "N1")] == person_id("merseyside", "N1")


def test_same_common_name_different_dob_are_two_people(
    engine: DuckDBEngine, tmp_path: Path, on: Callable[[], Engine]
) -> None:
    rows = [
        *background(),
        nominal("kent", "N1", "John", "Smith", "1971-02-14", address="3 High Street, Dover"),
        nominal("essex", "N2", "John", "Smith", "1998-11-30", address="Flat 2, Park Road, Harlow"),
    ]
    p = resolve(engine, tmp_path, rows, on)
    assert p[("kent", "N1")] != p[("essex", "N2")]


def test_day_month_swapped_dob_still_matches(
    engine: DuckDBEngine, tmp_path: Path, on: Callable[[], Engine]
) -> None:
    rows = [
        *background(),
        nominal("norfolk", "N1", "Kai", "Walker", "2001-03-07", sex="M", postcode="NR2 4AB"),
        nominal("suffolk", "N5", "Kai", "Walker", "2001-07-03", sex="M", postcode="NR2 4AB"),
    ]
    p = resolve(engine, tmp_path, rows, on)
    assert p[("norfolk", "N1")] == p[("suffolk", "N5")]


def test_shared_phone_links_records_with_name_typos(
    engine: DuckDBEngine, tmp_path: Path, on: Callable[[], Engine]
) -> None:
    rows = [
        *background(),
        nominal("durham", "N1", "Connor", "Hughes", "2006-05", phones="07911 123456"),
        nominal("cleveland", "N2", "Conor", "Hughs", "", phones="+44 7911 123456;07700 900999"),
    ]
    p = resolve(engine, tmp_path, rows, on)
    assert p[("durham", "N1")] == p[("cleveland", "N2")]


def event(force: str, eid: str, etype: str, rid: str, phone: str) -> Row:
    return {
        **dict.fromkeys(s.EVENTS.names, ""),
        s.EVENT_ID: eid,
        s.FORCE: force,
        s.EVENT_TYPE: etype,
        s.OCCURRED_AT: "2026-03-02T21:40:00Z",
        s.NOMINAL_RECORD_ID: rid,
        s.PHONE_NUMBER: phone,
    }


@pytest.mark.parametrize(("etype", "linked"), [("stop_search", True), ("drugs_seizure", False)])
def test_a_number_an_event_gives_a_record_is_its_phone_unless_seized(
    engine: DuckDBEngine, tmp_path: Path, etype: str, linked: bool
) -> None:
    """Cumbria stopped "Kai Jhnson" with a phone on him that the Met holds as Kai
    Johnsson's: one person. A seized handset is often the line's phone, passed between
    runners, so it says nothing of whose it is."""
    rows = [
        *background(),
        nominal("cumbria", "N1", "Kai", "Jhnson", "2003", sex="M"),
        nominal("metropolitan", "N7", "Kai", "Johnsson", "2003-06-03", phones="07801 649087"),
    ]
    ds = tmp_path / "ds"
    ds.mkdir()
    with (ds / "events.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(s.EVENTS.names))
        w.writeheader()
        w.writerow(event("cumbria", "E1", etype, "N1", "447801649087"))
    ingest_dataset(engine, ds, tmp_path / "q_events")
    assert engine.scalar(f"SELECT count(*) FROM {s.EVENTS.name}") == 1
    load(engine, tmp_path, rows, name="noms")
    p = person_of(resolve_persons(engine))
    assert (p[("cumbria", "N1")] == p[("metropolitan", "N7")]) is linked


def test_unrelated_people_stay_apart(
    engine: DuckDBEngine, tmp_path: Path, on: Callable[[], Engine]
) -> None:
    rows = background()
    p = resolve(engine, tmp_path, rows, on)
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
    probs = persons.column("match_probability").to_pylist()
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
    from crossline.analyse.persons.phones import phone_persons

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
        # one letter off in the family name: the same man
        w.writerow(
            {
                **base,
                s.NUMBER: "07700 900666",
                s.REGISTERED_NAME: "Leon Okafer",
                s.POSTCODE: "ME1 2AB",
            }
        )
        # one letter off a short given name: another person (Leo, not Leon)
        w.writerow(
            {
                **base,
                s.NUMBER: "07700 900444",
                s.REGISTERED_NAME: "Leo Okafor",
                s.POSTCODE: "ME1 2AB",
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
    assert links[("+447700900666", "subscriber")] == p[("kent", "N1")]
    assert not any(n == "+447700900444" for n, _ in links)


def test_swapped_given_and_family_name_still_match(
    engine: DuckDBEngine, tmp_path: Path, on: Callable[[], Engine]
) -> None:
    rows = [
        *background(),
        nominal("kent", "N1", "Ashleigh", "Rollins", "1988-03-07", postcode="ME1 2AB"),
        nominal("essex", "N2", "Rollins", "Ashleigh", "1988-03-07", postcode="ME1 2AB"),
    ]
    p = resolve(engine, tmp_path, rows, on)
    assert p[("kent", "N1")] == p[("essex", "N2")]


def _dob_features(raw: str) -> dict[str, object]:
    """The date-of-birth features persons_prepare derives from a date as typed."""
    from crossline.analyse.persons import prepare as pp

    full = dt.date.fromisoformat(raw) if len(raw) == 10 else None
    swap = None
    if full and full.day <= 12 and full.day != full.month:
        swap = f"{raw[:4]}-{raw[8:10]}-{raw[5:7]}"
    return {
        pp.DOB: raw if full else None,
        pp.DOB_DATE: full,
        pp.DOB_SWAP: swap,
        pp.DOB_YM: raw[:7] if len(raw) >= 7 else None,
        pp.DOB_MD: raw[5:] if full else None,
        pp.DOB_Y: int(raw[:4]),
    }


def _match_weight(a: Row, b: Row, towns: dict[str, str] | None = None) -> float:
    """Match weight of one pair under the model's starting values; the pair's dates of
    birth as recorded, or both 1990-01-02 where a record has none. `towns`: the post
    town of a postcode district, as postcode_towns would learn it."""
    from splink import DuckDBAPI, Linker

    from crossline.analyse.persons import prepare as pp

    variants = name_variants()

    def features(r: Row, uid: int) -> dict[str, object]:
        addr = parse_address(r[s.ADDRESS])
        pcode = r[s.POSTCODE].replace(" ", "").upper() or None
        district = pcode[:-3] if pcode else None
        pcode_town = (towns or {}).get(district or "")
        return {
            pp.UID: uid,
            pp.GIVEN: r[s.GIVEN_NAMES].lower(),
            pp.GIVEN_CANON: variants.get(r[s.GIVEN_NAMES].lower(), r[s.GIVEN_NAMES].lower()),
            pp.FAMILY: r[s.FAMILY_NAME].lower(),
            pp.FAMILY_CANON: variants.get(r[s.FAMILY_NAME].lower(), r[s.FAMILY_NAME].lower()),
            **_dob_features(r[s.DATE_OF_BIRTH] or "1990-01-02"),
            pp.SEX: None,
            pp.ADDR: r[s.ADDRESS].lower() or None,
            pp.HOUSE: addr.house,
            pp.STREET: addr.street,
            pp.TOWN: addr.town,
            pp.PCODE: pcode,
            pp.PCODE_SECTOR: pcode[:-2] if pcode else None,
            pp.PCODE_OUT: district,
            pp.PCODE_BLOCK: pcode,
            pp.PCODE_TOWN: pcode_town,
            pp.PLACE: addr.town or pcode_town,
            pp.PLACE_UNDATED: None,
            pp.DOB_FORTNIGHT: 0,
            pp.DOB_FORTNIGHT_7: 0,
            pp.DOB_YEAR_ONLY: None,
            pp.FAMILY_START: r[s.FAMILY_NAME].lower()[:2],
            pp.GIVEN_INITIAL: r[s.GIVEN_NAMES].lower()[:1],
            pp.PHONES: None,
            pp.PHONE_FIRST: None,
            pp.GIVEN_SX: soundex(r[s.GIVEN_NAMES].lower()),
            pp.FAMILY_SX: soundex(r[s.FAMILY_NAME].lower()),
        }

    table = pa.Table.from_pylist([features(a, 1), features(b, 2)])
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(table), persons_model.settings(1e-3, tf=False), log_level=None)
    pairs = linker.inference.predict(warning_mode="never").as_pyarrow_table()
    return float(pairs.column("match_weight")[0].as_py())


def test_other_house_number_on_the_same_street_lowers_the_match() -> None:
    a = nominal("kent", "N1", "Leon", "Okafor", address="12 Mill Lane, Leeds")
    same = nominal("essex", "N2", "Leon", "Okafor", address="12 Mill Lane, Leeds")
    same_house = nominal("essex", "N3", "Leon", "Okafor", address="Flat 2, 12 Mill Ln, Leeds")
    other = nominal("essex", "N4", "Leon", "Okafor", address="48 Mill Lane, Leeds")
    elsewhere = nominal("essex", "N5", "Leon", "Okafor", address="3 Park Road, Leeds")
    w_same, w_house, w_other, w_else = (
        _match_weight(a, b) for b in (same, same_house, other, elsewhere)
    )
    assert w_same > w_other + 3 and w_house > w_other + 3 and w_other > w_else


def test_parse_address_examples() -> None:
    assert parse_address("Flat 3, 12a High Street, Leeds") == Address("12a", "high street", "leeds")
    assert parse_address("12, High Street, Leeds") == Address("12", "high street", "leeds")
    assert parse_address("Mill House, Leeds") == Address(None, "mill house", "leeds")
    assert parse_address("") == Address(None, None, None)
    assert parse_address("flat 3") == Address(None, None, None)


words = st.lists(
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9), min_size=1, max_size=3
)


@given(
    house=st.integers(1, 999),
    suffix=st.sampled_from(["", "a", "B"]),
    street=words,
    town=words,
    flat=st.one_of(st.none(), st.integers(1, 99)),
    sep=st.sampled_from([" ", ", "]),
    upper=st.booleans(),
)
def test_parse_address_recovers_its_parts(
    house: int,
    suffix: str,
    street: list[str],
    town: list[str],
    flat: int | None,
    sep: str,
    upper: bool,
) -> None:
    """Flat, number, street and town in any case, the number alone or with its street:
    the parser returns number, street and town, whatever the words are."""
    street = [
        w
        for w in street
        if w not in {"flat", "apartment", "apt", "unit", "room", "suite", "maisonette"}
    ] or ["road"]
    text = f"{house}{suffix}{sep}{' '.join(street)}, {' '.join(town)}"
    if flat is not None:
        text = f"Flat {flat}, {text}"
    if upper:
        text = text.upper()
    assert parse_address(text) == Address(
        f"{house}{suffix.lower()}", " ".join(street), " ".join(town)
    )


@given(st.text(max_size=60))
def test_parse_address_never_fails_and_folds(text: str) -> None:
    a = parse_address(text)
    for part in a:
        assert part is None or (part == part.strip() and part.isascii() and part == part.lower())
    assert a.house is None or a.house[0].isdigit()


def test_one_name_in_the_other_field_is_evidence() -> None:
    """Caleb Menzies / Waller Caleb: one name written in the other field, the other name
    different, weighs more than two different names (all at one address and date)."""
    home = "32 Fowles Street, Leeds"
    a = nominal("kent", "N1", "Caleb", "Menzies", address=home)
    crossed = nominal("essex", "N2", "Waller", "Caleb", address=home)
    crossed_back = nominal("essex", "N3", "Menzies", "Waller", address=home)
    unrelated = nominal("essex", "N4", "Waller", "Okafor", address=home)
    w_cross, w_back, w_none = (_match_weight(a, b) for b in (crossed, crossed_back, unrelated))
    assert w_cross > w_none + 4 and w_back > w_none + 4


def test_postcode_one_typo_apart_is_evidence() -> None:
    """LS12 vs LS21: a mistyped district is neither the same sector nor the same outward
    code, yet far likelier for one person than an unrelated postcode."""
    a = nominal("kent", "N1", "Leon", "Okafor", postcode="LS12 4AB")
    typo = nominal("essex", "N2", "Leon", "Okafor", postcode="LS21 4AB")
    other = nominal("essex", "N3", "Leon", "Okafor", postcode="BD7 1XY")
    assert _match_weight(a, typo) > _match_weight(a, other) + 5


def test_street_with_a_locality_and_a_mistyped_town_still_agree() -> None:
    """A street written with its locality (Ruthven Street Walnut Grove Estate) is the street
    written without it; a town typed with a typo (Nottinhgam) is the town."""
    a = nominal(
        "kent", "N1", "Leon", "Okafor", address="7 Ruthven Street Walnut Grove Estate, Nottingham"
    )
    street = nominal("essex", "N2", "Leon", "Okafor", address="9 Ruthven Street, Nottingham")
    other_street = nominal("essex", "N3", "Leon", "Okafor", address="9 Park Road, Nottingham")
    # not a street starting with the same letters
    partial = nominal("essex", "N4", "Leon", "Okafor", address="9 Ruthvenside, Nottingham")
    w_street, w_other, w_partial = (_match_weight(a, b) for b in (street, other_street, partial))
    assert w_street > w_other + 1 and w_partial == w_other
    town_typo = nominal("essex", "N5", "Leon", "Okafor", address="3 Park Road, Nottinhgam")
    elsewhere = nominal("essex", "N6", "Leon", "Okafor", address="3 Park Road, Hull")
    assert _match_weight(a, town_typo) > _match_weight(a, elsewhere) + 4


def test_address_town_against_the_town_of_a_postcode() -> None:
    """One record gives only an address, the other only a postcode: the postcode's town
    agreeing is evidence for, disagreeing evidence against."""
    a = nominal("kent", "N1", "Marcus", "Wood", address="Flat 17, 183 Victoria Road, Bristol")
    b = nominal("essex", "N2", "Marcus", "Wood", postcode="BS8 4XH")
    w_same = _match_weight(a, b, towns={"BS8": "bristol"})
    w_unknown = _match_weight(a, b, towns={})
    w_other = _match_weight(a, b, towns={"BS8": "bath"})
    assert w_same > w_unknown + 1 > w_other + 2


def test_postcode_towns_learned_from_the_records() -> None:
    out = pa.array(["BS8", "BS8", "BS8", "BS8", None, "NG1", "NG1", "HU1", "HU2", "HU2"])
    town = pa.array(
        [
            "bristol",
            "bristol",
            None,
            "bristol",
            "x",
            "nottingham",
            "northampton",
            "hull",
            "hull",
            None,
        ]
    )
    got = postcode_towns(out, town).to_pylist()
    # BS8: three records agree; NG1: split between two towns; HU1: a single record;
    # HU2: one record with a town; records without a district get none
    assert got == ["bristol"] * 4 + [None] * 6


def test_postcode_towns_learned_from_subscriber_addresses_too() -> None:
    """A district no two nominal records place (LS7 here) is placed by the subscribers'
    registered addresses, which outnumber nominals; their votes add to the records'."""
    out = pa.array(["LS7", "BS8", "BS8"])
    town = pa.array([None, "bristol", "bath"])
    assert postcode_towns(out, town).to_pylist() == [None, None, None]
    known = [("LS7", "leeds", 12), ("LS7", "bradford", 1), ("BS8", "bristol", 9)]
    assert postcode_towns(out, town, known).to_pylist() == ["leeds", "bristol", "bristol"]


def test_subscriber_districts_read_the_subscriber_table(
    engine: DuckDBEngine, tmp_path: Path
) -> None:

    ds = tmp_path / "subs"
    ds.mkdir()
    subs = [
        ("+447700900001", "12 Mill Lane, Leeds", "LS7 3AB"),
        ("+447700900002", "Flat 2, 4 Park Road, LEEDS ", "ls7 1xy"),
        ("+447700900003", "9 High Street", "LS7 2CD"),  # no town part
        ("+447700900004", "3 Dock Road, Hull", ""),  # no postcode
    ]
    with (ds / "subscribers.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(s.SUBSCRIBERS.names))
        w.writeheader()
        for number, address, postcode in subs:
            w.writerow({s.NUMBER: number, s.REGISTERED_ADDRESS: address, s.POSTCODE: postcode})
    ingest_dataset(engine, ds, tmp_path / "q")
    assert subscriber_districts(engine) == [("LS7", "leeds", 2)]


def test_a_slip_in_each_record_is_not_a_different_name() -> None:
    """Jhonson and Joohnson: each record mistyped Johnson its own way (two edits apart,
    Jaro-Winkler under 0.88). That is evidence for one person; two names that merely
    share their length and letters' places (Harris/Morris) are not."""
    a = nominal("kent", "N1", "Yusuf", "Jhonson", postcode="LS12 4AB")
    slips = nominal("essex", "N2", "Yusuf", "Joohnson", postcode="BD7 1XY")
    other = nominal("essex", "N3", "Yusuf", "Okafor", postcode="BD7 1XY")
    assert _match_weight(a, slips) > _match_weight(a, other) + 5
    h = nominal("kent", "N4", "Yusuf", "Harris", postcode="LS12 4AB")
    m = nominal("essex", "N5", "Yusuf", "Morris", postcode="BD7 1XY")
    assert _match_weight(h, m) == _match_weight(a, other)


def test_a_variant_with_a_slip_is_not_a_different_name() -> None:
    """Steve (a variant of Stephen) and Stepehn (Stephen mistyped): one slip apart once
    the variant is read, so evidence for one person, unlike Stuart."""
    a = nominal("kent", "N1", "Steve", "Okafor", address="19 Beech Grove, Leeds")
    slip = nominal("essex", "N2", "Stepehn", "Okafor", address="19 Beech Grove, Leeds")
    other = nominal("essex", "N3", "Stuart", "Okafor", address="19 Beech Grove, Leeds")
    assert _match_weight(a, slip) > _match_weight(a, other) + 5


def test_a_slip_that_changes_a_names_soundex_is_still_compared(
    engine: DuckDBEngine, tmp_path: Path, on: Callable[[], Engine]
) -> None:
    """A dropped or swapped letter can change a name's Soundex (Adam A350 / Aam A500,
    Marshall M624 / Marhall M640), so no Soundex block pairs the records. Adam Morris,
    born 1984, and Aam Morris with no date, both of Swindon, meet on the family name, the
    given name's initial and the town; Jaake Marshall and Jae Marhall on their full date
    of birth, the family name's first two letters and the given name's initial."""
    rows = [
        *background(),
        nominal(
            "lancashire",
            "N1",
            "Adam",
            "Morris",
            "1984-04-28",
            sex="M",
            address="Flat 8, 76 Victoria Road, Swindon",
        ),
        nominal("wiltshire", "N2", "Aam", "Morris", sex="M", address="172 Albert Street, Swindon"),
        nominal(
            "cleveland",
            "N3",
            "Jae",
            "Marhall",
            "1962-09-08",
            sex="M",
            address="124 King Street, Middlesbrough",
        ),
        nominal("north-wales", "N4", "Jaake", "Marshall", "1962-09-08", sex="M"),
    ]
    p = resolve(engine, tmp_path, rows, on)
    assert p[("lancashire", "N1")] == p[("wiltshire", "N2")]
    assert p[("cleveland", "N3")] == p[("north-wales", "N4")]
    assert p[("lancashire", "N1")] != p[("cleveland", "N3")]


def test_dates_a_week_apart_across_a_year_end_are_compared(
    engine: DuckDBEngine, tmp_path: Path, on: Callable[[], Engine]
) -> None:
    """Sarah Price born 2008-01-02 and Sarah Price born 2007-12-30, both of Aberystwyth:
    within a week, but no year or year-month block meets them. (Not 1 January: that is
    compared as the year alone, the placeholder it usually is.)"""
    rows = [
        *background(),
        nominal(
            "dyfed-powys",
            "N1",
            "Sarah",
            "Price",
            "2008-01-02",
            sex="F",
            address="Flat 15, 89 High Street, Aberystwyth",
        ),
        nominal(
            "west-mercia",
            "N2",
            "Sarah",
            "Price",
            "2007-12-30",
            sex="F",
            address="150 Mill Lane, Aberystwyth",
        ),
    ]
    p = resolve(engine, tmp_path, rows, on)
    assert p[("dyfed-powys", "N1")] == p[("west-mercia", "N2")]


def test_a_partial_date_typed_day_first_agrees() -> None:
    """Mike Ali born 1982-08-01 and Mike Ali of 1982-01: the partial date is the full one
    typed day-first (1982-01-08) and cut to its month. That agrees, and weighs like a
    partial date agreeing, not like another month of the same year."""
    a = nominal("kent", "N1", "Mike", "Ali", "1982-08-01", address="180 Beech Grove, Mansfield")
    day_first = nominal("essex", "N2", "Mike", "Ali", "1982-01", address="9 Mill Lane, Mansfield")
    other = nominal("essex", "N3", "Mike", "Ali", "1982-03", address="9 Mill Lane, Mansfield")
    agrees = nominal("essex", "N4", "Mike", "Ali", "1982-08", address="9 Mill Lane, Mansfield")
    w_day_first, w_other, w_agrees = (_match_weight(a, b) for b in (day_first, other, agrees))
    assert w_day_first > w_other + 3
    assert w_agrees >= w_day_first


def test_postcode_blocks_alone_only_where_few_records_share_it(
    engine: DuckDBEngine, tmp_path: Path
) -> None:
    from crossline.analyse.persons import prepare as pp

    rows = [
        nominal("kent", f"N{i}", g, "Okafor", postcode="ME1 2AB" if i < 4 else "ME9 9ZZ")
        for i, g in enumerate(["Aaron", "Chloe", "Daniel", "Fatima", "Harvey", "Jade"])
    ]
    load(engine, tmp_path, rows)
    prep = pp.prepare_nominals(engine, postcode_block_max=3)
    got = dict(
        zip(
            prep.column(s.RECORD_ID).to_pylist(),
            prep.column(pp.PCODE_BLOCK).to_pylist(),
            strict=True,
        )
    )
    assert got == {"N0": None, "N1": None, "N2": None, "N3": None, "N4": "ME99ZZ", "N5": "ME99ZZ"}


def test_name_known_in_one_town_by_address_and_postcode_links(
    engine: DuckDBEngine, tmp_path: Path, on: Callable[[], Engine]
) -> None:
    """Marcus Wood with a Bristol address and no postcode, Marcus Woed with a Bristol
    postcode and no address, neither dated: the records teach that BS8 is Bristol. The
    same pair with a Hull postcode stays apart."""
    rows = [
        *background(),
        nominal("kent", "T1", "Aaron", "Reid", address="4 Mill Lane, Bristol", postcode="BS8 1AA"),
        nominal("kent", "T2", "Chloe", "Ward", address="9 Hill Road, Bristol", postcode="BS8 2BB"),
        nominal("kent", "T3", "Jade", "Ross", address="2 Mill Lane, Hull", postcode="HU3 1AA"),
        nominal("kent", "T4", "Tia", "Shaw", address="5 Hill Road, Hull", postcode="HU3 2BB"),
        nominal(
            "nottinghamshire",
            "N8",
            "Marcus",
            "Wood",
            sex="M",
            address="Flat 17, 183 Victoria Road, Bristol",
        ),
        nominal("avon-and-somerset", "N9", "Marcus", "Woed", sex="M", postcode="BS8 4XH"),
        nominal(
            "nottinghamshire",
            "N5",
            "Kieran",
            "Lowe",
            sex="M",
            address="Flat 2, 18 Park Road, Bristol",
        ),
        nominal("avon-and-somerset", "N6", "Kieran", "Lowe", sex="M", postcode="HU3 4XH"),
    ]
    p = resolve(engine, tmp_path, rows, on)
    assert p[("nottinghamshire", "N8")] == p[("avon-and-somerset", "N9")]
    assert p[("nottinghamshire", "N5")] != p[("avon-and-somerset", "N6")]


def test_splink_training_diagnostics_stay_off_the_console(
    engine: DuckDBEngine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Trained on a few records, EM meets comparison levels it never observes and Splink
    warns about each; an analyst running `analyse` must not see those as faults."""
    load(engine, tmp_path, [*background(60), nominal("kent", "X1", "Aaron", "Reid")])
    splink_log = logging.getLogger("splink")
    before = splink_log.level
    with caplog.at_level(logging.WARNING):
        resolve_persons(engine, PersonsConfig(min_records_to_train=10))
    assert not [r for r in caplog.records if r.name.startswith("splink")]
    assert splink_log.level == before


def test_a_failed_em_session_keeps_the_comparisons_it_set_aside(
    engine: DuckDBEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Splink sets a session's blocked comparisons aside while EM runs and restores them
    only on success. When EM fails (it raises when an m underflows), resolution must go on
    with the model as it was before the session, names included: two people who share
    only a postcode and a town stay two people."""
    from splink.internals import em_training_session

    def underflow(*args: object, **kwargs: object) -> None:
        raise ValueError("m_probability value 1e-301 is below the minimum allowed value")

    monkeypatch.setattr(em_training_session, "expectation_maximisation", underflow)
    rows = [
        *background(60),
        nominal(
            "nottinghamshire",
            "T1",
            "Tyler",
            "Campbell",
            "1999-01-28",
            sex="M",
            address="27 Albert Street, Nottingham",
            postcode="NG7 2WF",
        ),
        nominal(
            "nottinghamshire",
            "T2",
            "Kieran",
            "Roberts",
            "2000-06-16",
            sex="M",
            address="182 Park Avenue, Nottingham",
            postcode="NG7 2WF",
        ),
    ]
    load(engine, tmp_path, rows)
    persons = resolve_persons(engine, PersonsConfig(min_records_to_train=10))
    p = person_of(persons)
    assert p[("nottinghamshire", "T1")] != p[("nottinghamshire", "T2")]
