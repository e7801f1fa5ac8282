"""Families, namesakes and record-keeping slips for the realistic style.

Worlds of the `own` style give every person an independent name, date of birth and home,
so that two records agreeing on a surname and an address are almost always one person.
Real nominal records are not like that: siblings, twins, a father and the son named after
him, a mother and daughter share a surname and an address; a city holds several people
with one common name; and forces record a person with transliterations, nicknames, a date
of birth typed as 1 January or with one digit of the year wrong, only one of their names,
or twice in one force's own system. This module plans those families (which other people
of a world are someone's relatives, and what they share) and varies a record the way the
public descriptions of police record keeping say records vary. Everything here draws from
its own random streams, so `own` worlds are unchanged by it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Protocol

import numpy as np

from crossline.simulate import names

# realistic name pools (the own pools plus names common in British police records),
# drawn with Zipf-like weights: a few names are very common, as in the population
GIVEN_M = (
    *names.GIVEN_M,
    "Ali",
    "Imran",
    "Bilal",
    "Hamza",
    "Adnan",
    "Zain",
    "William",
    "Thomas",
    "James",
    "George",
    "Charlie",
    "Robert",
    "Jamie",
    "Kyrone",
    "Reuben",
)
GIVEN_F = (
    *names.GIVEN_F,
    "Shazia",
    "Ayesha",
    "Zainab",
    "Amira",
    "Olivia",
    "Emily",
    "Jessica",
    "Elizabeth",
    "Charlotte",
    "Sophie",
    "Grace",
)
FAMILY = (*names.FAMILY, "Mohammed", "Iqbal", "Shah", "Kaur", "Singh", "Nowak", "Kowalski")
# given names a record may use as a first name or put before the name the person is known
# by (Mohammed Imran Khan is often recorded as Imran Khan)
PREFIXES = ("Mohammed", "Muhammad", "Mohamed", "Mohammad")
NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Billy", "Will"),
    "Thomas": ("Tom", "Tommy"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "Robert": ("Rob", "Bob", "Bobby"),
    "Charlie": ("Charles",),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Jessica": ("Jess",),
    "Charlotte": ("Lottie",),
    "Daniel": ("Danny", "Dan"),
    "Michael": ("Mike", "Mikey"),
    "Joshua": ("Josh",),
    "Rebecca": ("Becky",),
    "Jonathan": ("Jon",),
    "Stephen": ("Steve",),
    "Nathan": ("Nate",),
    "Katherine": ("Kate", "Katie"),
}


def _zipf(n: int, s: float = 0.9) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** s
    out: np.ndarray = w / w.sum()
    return out


@dataclass(frozen=True)
class Ident:
    """The fields of a person's identity a family can share (records.Identity's shape)."""

    given: str
    family: str
    dob: date
    sex: str
    address: str
    postcode: str


class _World(Protocol):
    @property
    def n_people(self) -> int: ...


@dataclass
class Families:
    """Who is whose relative (anchor, relative, kind) and each relative's identity."""

    identities: dict[int, Ident]
    relatives: list[tuple[int, int, str]]


@dataclass
class NameDraws:
    """Every person's realistic name draws at once (vectorised, as records._Draws)."""

    given_m: np.ndarray
    given_f: np.ndarray
    family: np.ndarray
    second: np.ndarray
    u: np.ndarray

    @staticmethod
    def of(n: int, seed: int) -> NameDraws:
        rng = np.random.default_rng([seed, 21])
        return NameDraws(
            rng.choice(len(GIVEN_M), n, p=_zipf(len(GIVEN_M))),
            rng.choice(len(GIVEN_F), n, p=_zipf(len(GIVEN_F))),
            rng.choice(len(FAMILY), n, p=_zipf(len(FAMILY), 0.7)),
            rng.integers(0, len(FAMILY), n),
            rng.random(n),
        )

    def names(self, p: int, female: bool) -> tuple[str, str]:
        """Person p's given and family name: Mohammed before the name a man is known by
        in some families; a few double-barrelled surnames."""
        given = GIVEN_F[int(self.given_f[p])] if female else GIVEN_M[int(self.given_m[p])]
        fam = FAMILY[int(self.family[p])]
        muslim = fam in ("Khan", "Ali", "Hussain", "Ahmed", "Mohammed", "Iqbal", "Shah")
        if not female and muslim and self.u[p] < 0.4 and given != PREFIXES[0]:
            given = f"{PREFIXES[0]} {given}"
        elif not muslim and self.u[p] > 0.95:
            other = FAMILY[int(self.second[p])]
            if other != fam:
                fam = f"{fam}-{other}"
        return given, fam


def plan(
    w: _World,
    anchors: list[int],
    free: np.ndarray,
    age: np.ndarray,
    female: np.ndarray,
    place: np.ndarray,
    base: Callable[[int], Ident],
    seed: int,
) -> Families:
    """Relatives for a share of `anchors` (people with records), chosen among the `free`
    people (no line role) of the anchor's home place with a fitting age and sex; each
    relative takes the household's surname and address, and what the relation shares
    besides (a twin the date of birth, a son the father's full name). Then groups of
    namesakes: several people of one place given one common full name."""
    rng = np.random.default_rng([seed, 22])
    used = np.zeros(w.n_people, dtype=bool)
    used[anchors] = True
    idents: dict[int, Ident] = {}
    rel: list[tuple[int, int, str]] = []
    free_by_place: dict[int, np.ndarray] = {
        int(pl): free[place[free] == pl] for pl in np.unique(place[free])
    }

    def find(pl: int, lo: int, hi: int, fem: bool | None) -> int | None:
        cand = free_by_place.get(pl, np.zeros(0, dtype=np.int64))
        ok = cand[(age[cand] >= lo) & (age[cand] <= hi) & ~used[cand]]
        if fem is not None:
            ok = ok[female[ok] == fem]
        if len(ok) == 0:
            return None
        q = int(ok[int(rng.integers(len(ok)))])
        used[q] = True
        return q

    for a in anchors:
        if a in idents or rng.random() > 0.45:
            continue
        head = base(a)
        ag, fem = int(age[a]), bool(female[a])
        kinds = ["sibling", "twin", "parent", "child"]
        kind = kinds[int(rng.choice(4, p=[0.5, 0.15, 0.25, 0.1]))]
        if kind == "sibling":
            q = find(int(place[a]), max(10, ag - 6), ag + 6, None)
        elif kind == "twin":
            q = find(int(place[a]), max(10, ag - 3), ag + 3, None)
        elif kind == "parent":
            q = find(int(place[a]), ag + 20, ag + 38, fem)
        else:
            q = find(int(place[a]), max(10, ag - 38), ag - 20, fem) if ag >= 32 else None
        if q is None:
            continue
        mine = base(q)
        if kind == "twin":
            new = replace(mine, dob=head.dob)
        elif kind in ("parent", "child") and not fem and rng.random() < 0.6:
            new = replace(mine, given=head.given)  # father and son of one full name
            kind = "namesake_" + kind
        else:
            new = mine
        if new.given.split()[-1] == head.given.split()[-1] and kind in ("sibling", "twin"):
            continue  # two children of one house are not given one name
        idents[q] = replace(new, family=head.family, address=head.address, postcode=head.postcode)
        rel.append((a, q, kind))
    # namesakes: a common full name held by several people of one city
    for cand in free_by_place.values():
        cand = cand[~used[cand] & (age[cand] >= 16)]
        groups = max(1, len(cand) // 400)
        for _ in range(groups):
            k = min(len(cand), int(rng.integers(3, 6)))
            if k < 2:
                break
            males = cand[~female[cand]]
            if len(males) < k:
                break
            chosen = rng.choice(males, k, replace=False)
            given = ("Mohammed", "Daniel", "Jack", "Ryan")[int(rng.integers(4))]
            fam = ("Khan", "Smith", "Jones", "Ali", "Williams")[int(rng.integers(5))]
            first = int(chosen[0])
            for q in chosen:
                used[int(q)] = True
                idents[int(q)] = replace(base(int(q)), given=given, family=fam)
                if int(q) != first:
                    rel.append((first, int(q), "common_name"))
            cand = cand[~used[cand]]
    return Families(idents, rel)


def vary_given(given: str, rng: np.random.Generator) -> str:
    """How one force records a given name: a transliteration of a Mohammed prefix or the
    prefix left off, a nickname, a spelling variant or typo, or as it is."""
    parts = given.split()
    if parts[0] in PREFIXES:
        u = rng.random()
        rest = parts[1:]
        if u < 0.35 and rest:
            return " ".join(rest)  # known by the name after the prefix
        if u < 0.8:
            return " ".join([PREFIXES[int(rng.integers(len(PREFIXES)))], *rest])
        return given
    name = parts[0]
    u = rng.random()
    if name in NICKNAMES and u < 0.3:
        opts = NICKNAMES[name]
        return opts[int(rng.integers(len(opts)))]
    if u < 0.55:
        return names.variant(name, rng)
    return name


def vary_family(family: str, rng: np.random.Generator) -> str:
    """A double-barrelled name with or without its hyphen; otherwise a variant or typo."""
    if "-" in family:
        u = rng.random()
        return family.replace("-", " ") if u < 0.4 else family
    return names.variant(family, rng) if rng.random() < 0.3 else family


def year_typo(year: int, rng: np.random.Generator) -> int:
    """One digit of the year typed wrong: 2009 for 2019, 1987 for 1986."""
    tens, units = (year // 10) % 10, year % 10
    if rng.random() < 0.5:
        return year + (10 if tens == 0 or (tens < 9 and rng.random() < 0.5) else -10)
    return year + (1 if units == 0 or (units < 9 and rng.random() < 0.5) else -1)


def vary_dob(dob: date, rng: np.random.Generator) -> str:
    """A date of birth as a record holds it: exact mostly; 1 January where only the year
    was known; year-month or year; day and month swapped; one digit of the year wrong; a
    few days out; or missing."""
    u = rng.random()
    if u < 0.6:
        return dob.isoformat()
    if u < 0.7:
        return f"{dob.year:04d}-01-01"
    if u < 0.75:
        return dob.strftime("%Y-%m")
    if u < 0.8:
        return str(dob.year)
    if u < 0.86 and dob.day <= 12:
        return f"{dob.year:04d}-{dob.day:02d}-{dob.month:02d}"
    if u < 0.9:
        try:
            return dob.replace(year=year_typo(dob.year, rng)).isoformat()
        except ValueError:  # 29 February
            return dob.isoformat()
    if u < 0.93:
        return (dob + timedelta(days=int(rng.integers(-3, 4)))).isoformat()
    return ""


def one_name(given: str, family: str, rng: np.random.Generator) -> tuple[str, str]:
    """Most records hold both names; a few only one (a street name, a surname from a
    parent's record)."""
    u = rng.random()
    if u < 0.03:
        return given, ""
    if u < 0.05:
        return "", family
    return given, family
