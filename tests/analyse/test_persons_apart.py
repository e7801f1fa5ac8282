"""Families and namesakes: the records that say two people are different stay apart
(analyse/persons/apart.py), and one-name records (contract v2) resolve with NULL names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from crossline.analyse.persons.apart import Rec, constrained_components, kept_apart
from crossline.analyse.persons.config import PersonsConfig
from crossline.analyse.persons.names import first_given
from crossline.analyse.persons.resolve import resolve, resolve_persons
from crossline.engine.duckdb import DuckDBEngine
from crossline.model import schema as s

GAP = 15


def rec(given: str | None, dob: tuple[int, int, int] | None, sex: str | None = None) -> Rec:
    return Rec(given, given, "turner", dob, sex)


def test_siblings_twins_and_father_and_son_are_kept_apart() -> None:
    # siblings: another given name, another date of birth
    assert kept_apart(rec("charlie", (2001, 7, 22)), rec("harry", (2005, 1, 1)), GAP)
    # twins: another given name, the same date of birth, another sex
    assert kept_apart(rec("charlie", (2001, 7, 22), "M"), rec("amy", (2001, 7, 22), "F"), GAP)
    # father and son of one full name, a generation apart
    assert kept_apart(rec("john", (1975, 3, 2)), rec("john", (2001, 3, 9)), GAP)
    # a surname-only record with a plainly different date, or another sex
    assert kept_apart(rec(None, (1979, 2, 0)), rec("ellie", (1984, 9, 9)), GAP)
    assert kept_apart(rec(None, (1983, 0, 0), "M"), rec("chloe", (1983, 11, 20), "F"), GAP)


def test_another_given_name_alone_is_not_enough() -> None:
    """Forces mistype and replace given names; with full dates of birth agreeing and
    nothing else against, that is left to the model's weights (same-sex twins too: a
    known limit). Without full dates on both, nothing says they are one."""
    assert not kept_apart(rec("charlie", (2001, 7, 22)), rec("harry", (2001, 7, 22)), GAP)
    assert kept_apart(rec("charlie", None), rec("harry", (2001, 7, 22)), GAP)
    assert kept_apart(rec("charlie", (2001, 0, 0)), rec("harry", (2001, 7, 22)), GAP)
    assert not kept_apart(rec("john", (1975, 3, 2)), rec("john", (2001, 3, 9)), None)


def test_one_person_recorded_differently_is_not_kept_apart() -> None:
    assert not kept_apart(rec("jon", (1990, 1, 1)), rec("jonathan", (1990, 0, 0)), GAP)
    assert not kept_apart(rec("kathherine", None), Rec("kate", "katherine", "x", None, None), GAP)
    # one digit of the year mistyped on the same day and month
    assert not kept_apart(rec("katherine", (2003, 10, 20)), rec("katherine", (2013, 10, 20)), GAP)
    assert not kept_apart(rec("john", (1975, 6, 1)), rec("john", (1995, 6, 1)), GAP)
    # a surname-only record of the same year
    assert not kept_apart(rec(None, (1990, 0, 0)), rec("amy", (1990, 4, 4)), GAP)


def test_a_chain_through_an_undated_record_does_not_join_a_family() -> None:
    """Mother (0) and daughter (2) both link strongly to a surname-only record (1); the
    stronger link wins, the weaker is refused."""
    recs = [rec("karen", (1970, 5, 5)), rec(None, None), rec("megan", (1996, 2, 2))]
    labels = constrained_components(
        3, np.array([0, 1]), np.array([1, 2]), np.array([0.99, 0.95]), recs, GAP
    )
    assert labels[0] == labels[1] != labels[2]


def test_mohammed_before_the_name_he_is_known_by() -> None:
    assert first_given("Mohammed Imran") == "imran"
    assert first_given("Muhammad Ali") == "ali"
    assert first_given("Mohammed") == "mohammed"
    assert first_given("Jon Paul") == "jon"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[DuckDBEngine]:
    e = DuckDBEngine(tmp_path / "store.duckdb")
    yield e
    e.close()


def _row(force: str, rid: str, given: str | None, family: str | None, dob: str | None) -> dict:
    return {
        s.RECORD_ID: rid,
        s.FORCE: force,
        s.FAMILY_NAME: family,
        s.GIVEN_NAMES: given,
        s.DATE_OF_BIRTH: dob,
        s.SEX: "M",
        s.ADDRESS: "12 Mill Lane, Leeds",
        s.POSTCODE: "LS1 2AB",
        s.PHONE_NUMBERS: ["+447700900123"] if rid in ("a1", "b1") else None,
        s.FLAGS: None,
    }


def test_one_name_records_and_a_household_resolve(engine: DuckDBEngine) -> None:
    """Loaded directly into the store, as contract v2's ingest will: a record with only a
    family name shares the son's phone and links to him; the father of the same full name
    and the son's brother at the same address stay apart from him."""
    rows = [
        _row("kent", "a1", "Ryan", "Turner", "2005-04-03"),
        _row("essex", "b1", None, "Turner", None),
        _row("kent", "a2", "Ryan", "Turner", "1978-09-12"),
        _row("kent", "a3", "Harry", "Turner", "2008-11-30"),
    ]
    engine.replace_table(s.NOMINALS.name, pa.Table.from_pylist(rows))
    persons = resolve_persons(engine).to_pylist()
    pid = {r[s.RECORD_ID]: r["person_id"] for r in persons}
    assert len(pid) == 4
    assert pid["a1"] == pid["b1"]
    assert len({pid["a1"], pid["a2"], pid["a3"]}) == 3


def _household(rid: str, given: str, dob: str, street: str, postcode: str) -> dict:
    row = _row("kent", rid, given, "Turner", dob)
    row[s.ADDRESS], row[s.POSTCODE] = f"{street}, Leeds", postcode
    return row


def test_a_generation_apart_is_two_people_unless_the_dates_are_noise(
    engine: DuckDBEngine,
) -> None:
    """A father and son of one full name at one address stay apart; but where other
    records of one full name at one address are 60+ years apart (no parent and child
    are), the dates are noise, the rule is dropped with a note, and the two are one."""
    family = [
        _household("f1", "Ryan", "1978-09-12", "12 Mill Lane", "LS1 2AB"),
        _household("f2", "Ryan", "2005-04-03", "12 Mill Lane", "LS1 2AB"),
    ]
    engine.replace_table(s.NOMINALS.name, pa.Table.from_pylist(family))
    kept = resolve(engine)
    assert any("generation rule applied: 1 pairs" in n for n in kept.notes)
    pid = dict(
        zip(
            kept.persons.column(s.RECORD_ID).to_pylist(),
            kept.persons.column("person_id").to_pylist(),
            strict=True,
        )
    )
    assert pid["f1"] != pid["f2"]

    noise = []
    for k, (given, street, pc) in enumerate(
        [
            ("Liam", "3 Oak Road", "LS2 7EE"),
            ("Noah", "9 Elm Street", "LS3 1QT"),
            ("Owen", "40 Ash Grove", "LS4 2DF"),
        ]
    ):
        noise += [
            _household(f"n{k}a", given, f"19{10 + k}-0{k + 2}-1{k}", street, pc),
            _household(f"n{k}b", given, f"19{85 + k}-1{k}-2{k}", street, pc),
        ]
    engine.replace_table(s.NOMINALS.name, pa.Table.from_pylist(family + noise))
    dropped = resolve(engine)
    assert any("generation rule not applied" in n for n in dropped.notes)
    off = resolve(engine, PersonsConfig(generation_noise_min_pairs=4))
    assert any("generation rule applied: 4 pairs" in n for n in off.notes)


def test_twins_of_one_sex_are_two_people_where_names_are_typed() -> None:
    """Another given name with one date of birth: left to the model unless the data's
    names are typed (strict), then two people."""
    twin_a, twin_b = rec("zainab", (1993, 5, 14), "F"), rec("aaliyah", (1993, 5, 14), "F")
    assert not kept_apart(twin_a, twin_b, GAP)
    assert kept_apart(twin_a, twin_b, GAP, strict_names=True)
    # a variant or a slip of one name is still one person under the strict rule
    assert not kept_apart(rec("jon", (1990, 2, 3)), rec("jonathan", (1990, 2, 3)), GAP, True)
    assert not kept_apart(rec("aaliyah", (1993, 5, 14)), rec("aalyiah", (1993, 5, 14)), GAP, True)


def test_the_twins_rule_is_dropped_where_names_are_replaced(engine: DuckDBEngine) -> None:
    """Twins at one address stay apart; where records of one given name, date of birth
    and address carry plainly different family names (what no family explains), names
    are noise and the rule is not applied, with a note."""
    twins = [
        _household("t1", "Zainab", "1993-05-14", "13 Green Lane", "EX1 1AA"),
        _household("t2", "Aaliyah", "1993-05-14", "13 Green Lane", "EX1 1AA"),
    ]
    for r in twins:
        r[s.SEX] = "F"
    engine.replace_table(s.NOMINALS.name, pa.Table.from_pylist(twins))
    kept = resolve(engine)
    assert any(n.startswith("twins rule applied") for n in kept.notes)
    pid = dict(
        zip(
            kept.persons.column(s.RECORD_ID).to_pylist(),
            kept.persons.column("person_id").to_pylist(),
            strict=True,
        )
    )
    assert pid["t1"] != pid["t2"]

    replaced = []
    for k, (family, street, pc) in enumerate(
        [
            ("Okafor", "3 Oak Road", "LS2 7EE"),
            ("Price", "9 Elm Street", "LS3 1QT"),
            ("Hill", "4 Ash Grove", "LS4 2DF"),
        ]
    ):
        a = _household(f"r{k}a", "Liam", f"198{k}-0{k + 3}-1{k}", street, pc)
        b = dict(a, **{s.RECORD_ID: f"r{k}b", s.FAMILY_NAME: family})
        replaced += [a, b]
    engine.replace_table(s.NOMINALS.name, pa.Table.from_pylist(twins + replaced))
    dropped = resolve(engine)
    assert any(n.startswith("twins rule not applied") for n in dropped.notes)
    off = resolve(engine, PersonsConfig(name_noise_min_pairs=4))
    assert any(n.startswith("twins rule applied") for n in off.notes)
