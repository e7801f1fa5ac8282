"""Whether this data's dates of birth and given names are typed with slips, or replaced.

Two of the rules that keep records apart (apart.py) read a difference as two people: a
generation between the dates of birth (a father and the son named after him), and a
plainly different given name with dates of birth that may be one (same-sex twins). Both
hold for records forces type, where a date or a name is mistyped, shortened or
transliterated but not swapped for another. Some data replaces fields wholesale instead
(FEBRL's corruption; a system that writes noise), and there the same differences are one
person's. The records tell which: a difference no family explains (dates further apart
than any parent and child; a different family name with the same given name, date of
birth and address) appears as often as the difference a family does explain only where
fields are replaced. Nothing here is fitted: each check counts and compares.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from crossline.analyse.persons import apart
from crossline.analyse.persons import prepare as pp


@dataclass(frozen=True)
class GenerationCheck:
    """Records of one full name at one address with full dates of birth at least a
    generation apart (`pairs`), and how many of them are further apart than any parent
    and child (`beyond`)."""

    pairs: int
    beyond: int

    def dates_are_noise(self, share: float, minimum: int) -> bool:
        return self.beyond >= minimum and self.beyond >= share * self.pairs


def generation_check(prep: pa.Table, recs: list[apart.Rec], gap: int, most: int) -> GenerationCheck:
    """Whether a generation's gap in this data's dates of birth means two people.

    A father and the son named after him share a full name and an address, 15 to 60
    years apart; nobody's parent is 60 years older, and a grandfather and grandson of
    one full name at one address are rare. Where the records that share a full name and
    an address show gaps beyond 60 years as often as a tenth of those beyond 15, their
    dates of birth are not typed with slips but replaced (FEBRL's corruption, a system
    that writes noise), and a gap says nothing about generations. Dates of 1 January
    (often a placeholder for a year) and addresses held by more than 20 records (an
    institution) are left out."""
    named = pc.and_(
        pc.is_valid(prep.column(pp.GIVEN_CANON)), pc.is_valid(prep.column(pp.FAMILY_CANON))
    )
    rows = _full_dates(prep.filter(named))
    name = pc.binary_join_element_wise(
        rows.column(pp.GIVEN_CANON), rows.column(pp.FAMILY_CANON), "\x1f"
    )
    wide = []
    for u, v in _pairs(_by_place(rows, "name", name), "name"):
        a, b = recs[u - 1].dob, recs[v - 1].dob
        if a is not None and b is not None and abs(a[0] - b[0]) >= gap:
            wide.append(abs(a[0] - b[0]))
    return GenerationCheck(len(wide), sum(1 for g in wide if g > most))


@dataclass(frozen=True)
class NamesCheck:
    """Records with one full date of birth at one address: pairs of one family name whose
    given names are plainly different (`given`: twins, or names replaced), and pairs of
    one given name whose family names are plainly different (`family`: which no family
    explains — twins share a surname)."""

    given: int
    family: int

    def names_are_noise(self, share: float, minimum: int) -> bool:
        return self.family >= minimum and self.family >= share * self.given


def names_check(prep: pa.Table, recs: list[apart.Rec]) -> NamesCheck:
    """Whether a plainly different given name, with a date of birth that may be one,
    means two people (twins) in this data. Dates of 1 January and addresses held by more
    than 20 records are left out, as in generation_check."""
    rows = _full_dates(prep)
    given = family = 0
    for u, v in _pairs(_by_place(rows, "dob", rows.column(pp.DOB)), "dob"):
        a, b = recs[u - 1], recs[v - 1]
        if not (a.given_canon and b.given_canon and a.family_canon and b.family_canon):
            continue
        if a.family_canon == b.family_canon and apart.names_differ(a, b):
            given += 1
        elif a.given_canon == b.given_canon and apart.unlike(a.family_canon, b.family_canon):
            family += 1
    return NamesCheck(given, family)


def _full_dates(rows: pa.Table) -> pa.Table:
    """The records with a full date of birth that is not 1 January (a placeholder for a
    year more often than a birthday)."""
    dob = rows.column(pp.DOB)
    dated = pc.and_(pc.is_valid(dob), pc.not_equal(pc.utf8_slice_codeunits(dob, 5), "01-01"))
    return rows.filter(pc.fill_null(dated, False))


def _by_place(rows: pa.Table, name: str, key: pa.Array | pa.ChunkedArray) -> pa.Table:
    """(key, place, uid) once per place a record gives (its postcode; its house and
    street), for places at most 20 records share with the same key."""
    house_street = pc.binary_join_element_wise(rows.column(pp.HOUSE), rows.column(pp.STREET), " ")
    keyed = [
        pa.table({name: key, "place": place, "uid": rows.column(pp.UID)}).filter(
            pc.fill_null(pc.not_equal(place, ""), False)
        )
        for place in (rows.column(pp.PCODE), house_street)
    ]
    at = pa.concat_tables(keyed)
    sizes = at.group_by([name, "place"]).aggregate([("uid", "count")])
    small = sizes.filter(pc.less_equal(sizes.column("uid_count"), 20)).drop_columns("uid_count")
    return at.join(small, [name, "place"], join_type="inner")


def _pairs(at: pa.Table, name: str) -> set[tuple[int, int]]:
    """Distinct (uid, uid) pairs, smaller first, of records sharing `name` and a place."""
    pairs = at.join(at, [name, "place"], right_suffix="_r", join_type="inner")
    pairs = pairs.filter(pc.less(pairs.column("uid"), pairs.column("uid_r")))
    return set(zip(pairs.column("uid").to_pylist(), pairs.column("uid_r").to_pylist(), strict=True))
