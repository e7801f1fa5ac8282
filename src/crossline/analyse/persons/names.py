"""Names cleaned for comparison: letters only, the first given name, a canonical form from
a shipped table of variants and nicknames, and a Soundex code.

Forces spell one person's name differently (Muhammad/Mohammed, Jon/John, Kate/Katherine,
O'Brien/OBrien); the person model compares the cleaned and canonical forms and blocks on
the Soundex of names that sound alike. The clean-up is Python over the distinct names only
(thousands, even for millions of records).
"""

from __future__ import annotations

import csv
import unicodedata
from functools import cache
from importlib import resources

import pyarrow as pa
import pyarrow.compute as pc


@cache
def name_variants() -> dict[str, str]:
    """variant -> canonical, from the shipped table analyse/data/name_variants.csv.

    A short table of spellings and nicknames that police records are known to mix
    (transliterations of Arabic names, English nicknames, Mc/Mac, a silent final e).
    Fuzzy string distance cannot see that Kate is Katherine or Jon is Jonathan; a lookup
    can, and each pair in it is a fact about names, not about a dataset."""
    ref = resources.files("crossline.analyse").joinpath("data/name_variants.csv")
    out: dict[str, str] = {}
    with ref.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out[row["variant"]] = row["canonical"]
            out.setdefault(row["canonical"], row["canonical"])
    return out


def letters(name: str | None) -> str | None:
    """Lower-case ASCII letters only: accents folded, punctuation and spaces removed."""
    if name is None:
        return None
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    out = "".join(ch for ch in folded.lower() if "a" <= ch <= "z")
    return out or None


# a given name often written before the name a man is known by (Mohammed Imran Khan is
# Imran to his family and in other forces' records): the canonical forms it takes
PREFIX_NAMES = frozenset({"mohammed"})


def first_given(name: str | None) -> str | None:
    """The first of someone's given names, cleaned (middle names vary between forces);
    after a Mohammed prefix, the name that follows it (the one he is known by, and the one
    that tells two brothers both named Mohammed apart)."""
    if name is None:
        return None
    tokens = [c for c in (letters(t) for t in name.replace("-", " ").split()) if c]
    if len(tokens) > 1 and name_variants().get(tokens[0], tokens[0]) in PREFIX_NAMES:
        return tokens[1]
    return tokens[0] if tokens else None


_SOUNDEX = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def soundex(name: str | None) -> str | None:
    """American Soundex of a cleaned name (Robert and Rupert -> R163)."""
    if not name:
        return None
    code = [name[0].upper()]
    last = _SOUNDEX.get(name[0], "")
    for ch in name[1:]:
        digit = _SOUNDEX.get(ch, "")
        if digit and digit != last:
            code.append(digit)
            if len(code) == 4:
                break
        if ch not in "hw":
            last = digit
    return "".join(code).ljust(4, "0")


def map_distinct(col: pa.ChunkedArray, fn: dict[str, str | None]) -> pa.Array:
    """Apply a value map computed over the distinct values of a string column."""
    enc = pc.dictionary_encode(col).combine_chunks()
    dictionary = enc.dictionary.to_pylist()
    mapped = pa.array([fn.get(v) if v is not None else None for v in dictionary], pa.string())
    return pc.take(mapped, enc.indices)


def name_columns(raw: pa.ChunkedArray, given: bool) -> tuple[pa.Array, pa.Array, pa.Array]:
    """The cleaned name (the first given name, or the family name), its canonical form and
    the canonical form's Soundex, computed once per distinct raw name."""
    variants = name_variants()
    distinct = [v for v in pc.unique(raw).to_pylist() if v is not None]
    cleaned = {v: (first_given(v) if given else letters(v)) for v in distinct}
    canon = {v: variants.get(c, c) if c else None for v, c in cleaned.items()}
    sx = {v: soundex(c) for v, c in canon.items()}
    return map_distinct(raw, cleaned), map_distinct(raw, canon), map_distinct(raw, sx)
