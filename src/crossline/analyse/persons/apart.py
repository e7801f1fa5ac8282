"""Records that cannot be one person, and persons built so they never hold two such records.

A Fellegi-Sunter model weighs each field on its own, which is how families get merged:
siblings share a surname, an address, a postcode and often a phone, and those agreements
outweigh one disagreeing given name and date of birth. Twins add the date of birth to
what they share; a father and the son named after him share everything but the year.
Connected components make it worse: a record of a family's surname with no date of birth
links to the mother and to the daughter, and the two become one person.

Two records are kept apart (a cannot-link) when:
- their given names are plainly different names (not one canonical name of the variants
  table, not one the other's initial or start: Jon / Jonathan, not one or two slips
  apart, not one written in the other's family name field) and their dates of birth
  cannot be one (twins: the same date and another sex); or
- their dates of birth are a generation apart (`PersonsConfig.generation_gap_years`),
  unless the two full dates differ only by one digit of the year (2009 / 2019 typed for
  one another, the same day and month); or
- one record holds no given name (a surname-only record) and their dates of birth are
  plainly different (two years or more, not a one-digit slip) or their sexes differ:
  with no given name to tell them apart, a family's surname and address say nothing.
Persons are then built from the links strongest first, joining two groups only when no
record of one is kept apart from a record of the other: a chain through a record that
says little (a surname and a town) no longer joins people its ends say are different.
Nothing here is learned or fitted; the model's m and u are still Splink's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import jellyfish
import numpy as np
import pyarrow as pa

from crossline.analyse.persons import prepare as p

# a date of birth as (year, month or 0, day or 0)
Dob = tuple[int, int, int]


@dataclass(frozen=True)
class Rec:
    """What the cannot-link rules read of one record."""

    given: str | None
    given_canon: str | None
    family_canon: str | None
    dob: Dob | None
    sex: str | None


def records(prep: pa.Table) -> list[Rec]:
    """One Rec per prepared record, in uid order (index = uid - 1)."""
    order = uid_order(prep)
    cols = {
        c: prep.column(c).take(order).to_pylist()
        for c in (p.GIVEN, p.GIVEN_CANON, p.FAMILY_CANON, p.DOB, p.DOB_YM, p.DOB_Y, p.SEX)
    }
    out = []
    for g, gc, fc, full, ym, y, sex in zip(
        cols[p.GIVEN],
        cols[p.GIVEN_CANON],
        cols[p.FAMILY_CANON],
        cols[p.DOB],
        cols[p.DOB_YM],
        cols[p.DOB_Y],
        cols[p.SEX],
        strict=True,
    ):
        out.append(Rec(g, gc, fc, _dob(full, ym, y), sex))
    return out


def _dob(full: str | None, ym: str | None, y: int | None) -> Dob | None:
    try:
        if full:
            return (int(full[:4]), int(full[5:7]), int(full[8:10]))
        if ym:
            return (int(ym[:4]), int(ym[5:7]), 0)
    except ValueError:
        return None
    return (int(y), 0, 0) if y else None


def names_differ(a: Rec, b: Rec) -> bool:
    """Plainly different given names (both known)."""
    x, y = a.given, b.given
    if not x or not y or not a.given_canon or not b.given_canon:
        return False
    crossed = (a.given_canon == b.family_canon != a.family_canon) or (
        b.given_canon == a.family_canon != b.family_canon
    )
    if crossed:
        return False  # one name in the other field (not a name that is both: Mohammed)
    # as written and as canonical forms (a variant with a slip: Kathherine / Kate)
    return all(unlike(u, v) for u in (x, a.given_canon) for v in (y, b.given_canon))


def unlike(x: str, y: str) -> bool:
    if x == y or x.startswith(y) or y.startswith(x):
        return False
    if jellyfish.damerau_levenshtein_distance(x, y) <= 2:
        return False
    return jellyfish.jaro_winkler_similarity(x, y) < 0.88


def one_digit_apart(x: int, y: int) -> bool:
    """One slip of the keys between two years: a digit mistyped, or two swapped."""
    return jellyfish.damerau_levenshtein_distance(str(x), str(y)) == 1


def generation_apart(a: Rec, b: Rec, gap: int | None) -> bool:
    """Dates of birth at least `gap` years apart, and not one slip in the year (with the
    same day and month where both dates are full). `gap` None: never."""
    if gap is None or a.dob is None or b.dob is None or abs(a.dob[0] - b.dob[0]) < gap:
        return False
    full = a.dob[2] > 0 and b.dob[2] > 0
    return not (one_digit_apart(a.dob[0], b.dob[0]) and (not full or a.dob[1:] == b.dob[1:]))


def uid_order(prep: pa.Table) -> pa.Array:
    return pa.array(np.argsort(prep.column(p.UID).to_numpy()))


def dobs_differ(a: Rec, b: Rec) -> bool:
    """Dates of birth plainly different: years two or more apart, and not one digit of
    the year mistyped (with the same day and month, where both dates are full)."""
    if a.dob is None or b.dob is None or abs(a.dob[0] - b.dob[0]) < 2:
        return False
    full = a.dob[2] > 0 and b.dob[2] > 0
    typo = one_digit_apart(a.dob[0], b.dob[0]) and (not full or a.dob[1:] == b.dob[1:])
    return not typo


def dobs_agree(a: Rec, b: Rec) -> bool:
    """Dates of birth that may be one (either unknown; equal; day and month swapped; at
    most a week apart; one digit of the year mistyped on the same day; partial dates
    within a year of each other or one year digit apart)."""
    if a.dob is None or b.dob is None:
        return True
    (ya, ma, da), (yb, mb, db) = a.dob, b.dob
    if da and db:
        if a.dob == b.dob or (ya == yb and (ma, da) == (db, mb)):
            return True
        if (ma, da) == (mb, db) and one_digit_apart(ya, yb):
            return True
        try:
            return abs((date(ya, ma, da) - date(yb, mb, db)).days) <= 7
        except ValueError:
            return False
    return abs(ya - yb) <= 1 or one_digit_apart(ya, yb)


def kept_apart(a: Rec, b: Rec, gap: int | None, strict_names: bool = False) -> bool:
    """A plainly different given name, unless both dates of birth are full and may be one
    (the same date with another sex is twins); a generation between the dates of birth; or, where a
    record holds no given name to compare, plainly different dates of birth or sexes (a
    record of a family's surname only is no evidence against a sibling otherwise). A
    different given name alone is not enough: forces mistype, shorten and replace given
    names (FEBRL's corruptions lose 8 points of recall to such a rule). `strict_names`:
    a plainly different given name alone is two people (same-sex twins at one address,
    one date of birth), where noise.names_check finds the data's names typed, not
    replaced."""
    if generation_apart(a, b, gap):
        return True
    sexes = a.sex is not None and b.sex is not None and a.sex != b.sex
    if names_differ(a, b):
        if strict_names:
            return True  # names this data types, not replaces: twins are two people
        if a.dob is None or b.dob is None or not a.dob[2] or not b.dob[2]:
            return True  # no full dates to say they are one: a sibling's partial record
        return not dobs_agree(a, b) or (a.dob == b.dob and sexes)
    if a.given and b.given:
        return False
    return sexes or dobs_differ(a, b)


def constrained_components(
    n: int,
    a: np.ndarray,
    b: np.ndarray,
    prob: np.ndarray,
    recs: list[Rec],
    gap: int | None,
    strict_names: bool = False,
) -> np.ndarray:
    """Persons from links strongest first, never joining two groups that hold records
    kept apart. Label = the smallest member index, as resolve's components."""
    parent = np.arange(n)
    members: dict[int, list[int]] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    for k in np.lexsort((b, a, -prob)):
        ra, rb = root(int(a[k])), root(int(b[k]))
        if ra == rb:
            continue
        ma, mb = members.get(ra, [ra]), members.get(rb, [rb])
        if any(kept_apart(recs[x], recs[y], gap, strict_names) for x in ma for y in mb):
            continue
        lo, hi = min(ra, rb), max(ra, rb)
        parent[hi] = lo
        members[lo] = ma + mb
        members.pop(hi, None)
    labels = np.array([root(i) for i in range(n)], dtype=np.int64)
    return labels
