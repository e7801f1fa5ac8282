"""Addresses and postcodes as the person model compares them: an address's house number,
street and post town from a small parser, a postcode's district and sector, and the post
town a district stands for, learned from the records themselves (no gazetteer ships with
Crossline), so that a record giving only a postcode can be placed in a town."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from crossline.analyse.persons.names import map_distinct
from crossline.engine.base import Engine
from crossline.engine.dialect import quote as q
from crossline.model import schema as s


class Address(NamedTuple):
    house: str | None
    street: str | None
    town: str | None


_SUB_BUILDING = re.compile(r"\b(?:flat|apartment|apt|unit|room|suite|maisonette)\s+[a-z0-9]+\b")
_HOUSE = re.compile(r"^\d+[a-z]?$")


def parse_address(text: str | None) -> Address:
    """House number, street and post town of a free-text UK-style address.

    Police records hold addresses as one line typed by hand ("Flat 3, 12a High Street,
    Leeds", "12 HIGH ST LEEDS", "12, High Street, Leeds"); no address library fits
    offline British nominal data (usaddress is for US addresses, libpostal needs a 2 GB
    model), so this is a small parser with three rules:

    - the post town is the last comma-separated part, when there are at least two;
    - a sub-building ("Flat 3", "Apartment 2", "Unit 4") is dropped: it says which door,
      not which building, and is recorded inconsistently;
    - the house number is the first token of the remaining parts that is a number with
      at most one letter (12, 12a); the street is the words after it in its part, or the
      next part's words when the number stands alone ("12, High Street"); with no
      number, the street is the first part's words.

    Everything is folded to lower-case ASCII letters and digits."""
    if not text:
        return Address(None, None, None)
    parts = [part for part in (_clean(p) for p in _fold(text).split(",")) if part]
    if not parts:
        return Address(None, None, None)
    town = _words(parts[-1]) if len(parts) >= 2 else None
    body = [" ".join(_SUB_BUILDING.sub(" ", part).split()) for part in parts[:-1] or parts]
    body = [part for part in body if part]
    for i, part in enumerate(body):
        tokens = part.split()
        for j, token in enumerate(tokens):
            if _HOUSE.match(token):
                street = _words(" ".join(tokens[j + 1 :]))
                if street is None and i + 1 < len(body):
                    street = _words(body[i + 1])
                return Address(token, street, town)
    return Address(None, _words(body[0]) if body else None, town)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _clean(part: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", part).split())


def post_town(last_part: str) -> str | None:
    """The post town an address's last comma-separated part names, as parse_address
    takes it."""
    return _words(_clean(_fold(last_part)))


def _words(text: str) -> str | None:
    """Only the letter words of a text, space-separated (None if there are none)."""
    out = " ".join(w for w in text.split() if w.isalpha())
    return out or None


def address_columns(raw: pa.ChunkedArray) -> tuple[pa.Array, pa.Array, pa.Array]:
    """House number, street and town columns, parsed once per distinct address."""
    enc = pc.dictionary_encode(raw).combine_chunks()
    parsed = [parse_address(v) for v in enc.dictionary.to_pylist()]
    house, street, town = (
        pc.take(pa.array([a[k] for a in parsed], pa.string()), enc.indices) for k in range(3)
    )
    return house, street, town


def postcode_head_sql(column: str, inward_kept: int) -> str:
    """SQL for the head of a postcode: spaces removed, upper case, the inward code's last
    3 - `inward_kept` characters dropped (0: the outward code or district, LS12; 1: the
    sector, LS124). NULL for a postcode shorter than five characters."""
    bare = f"regexp_replace({column}, '\\s+', '', 'g')"
    return (
        f"CASE WHEN length({bare}) >= 5"
        f" THEN upper(left({bare}, length({bare}) - {3 - inward_kept})) END"
    )


# Postcode districts and post towns of subscriber addresses: a communications provider
# registers far more addresses than a force holds nominals, so a district that no two
# nominal records place in a town is usually placed by the subscribers. The town is the
# last comma-separated part of the address, as parse_address takes it.
SUBSCRIBER_DISTRICTS_SQL = """
SELECT district, regexp_extract(rtrim(addr, ', '), '[^,]*$') AS last_part, count(*) AS n
FROM (
    SELECT {DISTRICT_OF_POSTCODE} AS district, {ADDRESS} AS addr
    FROM {SUBSCRIBERS}
    WHERE {ADDRESS} LIKE '%,%'
)
WHERE district IS NOT NULL
GROUP BY ALL
"""


def subscriber_districts(engine: Engine) -> list[tuple[str, str, int]]:
    """(district, post town, records) from the subscriber table, when one is loaded."""
    if not engine.has_table(s.SUBSCRIBERS.name):
        return []
    rows = engine.query(
        SUBSCRIBER_DISTRICTS_SQL.format(
            DISTRICT_OF_POSTCODE=postcode_head_sql(q(s.POSTCODE), 0),
            ADDRESS=q(s.REGISTERED_ADDRESS),
            SUBSCRIBERS=s.SUBSCRIBERS.name,
        )
    ).to_pylist()
    towns = {v: post_town(v) for v in {r["last_part"] for r in rows}}
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        if (town := towns[r["last_part"]]) is not None:
            key = (r["district"], town)
            counts[key] = counts.get(key, 0) + int(r["n"])
    return sorted((district, town, n) for (district, town), n in counts.items())


def postcode_towns(
    outward: pa.ChunkedArray | pa.Array,
    town: pa.ChunkedArray | pa.Array,
    known: list[tuple[str, str, int]] | None = None,
    min_records: int = 2,
    min_share: float = 0.8,
) -> pa.Array:
    """For each record, the post town its postcode's outward code (district) stands for,
    learned from the records themselves: the town that records with both an address and
    a postcode in that district name, when at least `min_records` of them do and at
    least `min_share` of them agree (a district on a town's edge, or one a simulated or
    mistyped postcode shares between towns, gets none). `known` adds (district, town,
    count) from other records, such as subscriber registrations. No gazetteer ships with
    Crossline; the records are their own. A record that gives only a postcode can then
    be placed in a town and compared with one that gives only an address."""
    grouped = (
        pa.table({"out": outward, "town": town})
        .filter(pc.is_valid(pc.field("out")) & pc.is_valid(pc.field("town")))
        .group_by(["out", "town"])
        .aggregate([([], "count_all")])
        .to_pylist()
    )
    votes: dict[str, dict[str, int]] = {}
    for district, place, n in [(r["out"], r["town"], r["count_all"]) for r in grouped] + (
        known or []
    ):
        per_town = votes.setdefault(district, {})
        per_town[place] = per_town.get(place, 0) + n
    towns: dict[str, str | None] = {}
    for district, counts in votes.items():
        total = sum(counts.values())
        best, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        towns[district] = best if total >= min_records and n >= min_share * total else None
    col = outward if isinstance(outward, pa.ChunkedArray) else pa.chunked_array([outward])
    return map_distinct(col, towns)
