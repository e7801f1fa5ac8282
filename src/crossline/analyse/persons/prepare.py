"""Nominal records cleaned into the features the person model compares.

Forces record one person differently: a spelling variant or nickname of a name
(Muhammad/Mohammed, Jon/John, Kate/Katherine), a typo, a date of birth known only to the
year or month or typed day-first, an old address, a number in any format. The comparison
model needs each of these as its own column so it can give each kind of disagreement its
own weight:

- names lower-cased and stripped to letters (O'Brien, O Brien and OBrien are one name),
  the first given name, the canonical form from a shipped table of variants and
  nicknames, and a Soundex code for blocking on names that sound alike;
- the date of birth split by precision (full date, year-month, year) plus the full date
  with day and month swapped where that is a valid date, so that a day-first typing is
  recognised instead of counted as a disagreement;
- the address, and its parts from a small parser (`parse_address`): house number,
  street and post town, so that the same street at another number (a neighbour, or an
  old and new flat) weighs differently from the same house, and a town says something
  even when the street is written differently;
- postcodes without spaces and their outward code and sector, and the postcode again as
  a blocking key where few records share it; phone numbers as the array of E.164 numbers
  ingest already normalised, with the numbers the force's events give the record (a
  missing-person report holds the child's mobile, a stop finds a phone on someone), so a
  record with no number of its own can still share one with another force's record.

Text clean-up runs in Python over the distinct names only (thousands, even for millions
of records); the rest is one SQL statement through the engine.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from importlib import resources
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from crossline.engine.base import Engine
from crossline.engine.dialect import quote as q
from crossline.model import schema as s
from crossline.model.vocab import EventType

NOMINALS = s.NOMINALS.name

# Columns of the prepared table (internal to person resolution, not contract columns).
UID = "uid"
GIVEN = "given"
GIVEN_CANON = "given_canon"
GIVEN_SX = "given_sx"
FAMILY = "family"
FAMILY_CANON = "family_canon"
FAMILY_SX = "family_sx"
DOB = "dob"  # full date YYYY-MM-DD or NULL
DOB_DATE = "dob_date"  # the same as a DATE (NULL if not a valid day)
DOB_SWAP = "dob_swap"  # full date with day and month swapped, when a valid date
# the full date's fortnight counted from 1800, and again with fortnights starting a week
# later: two dates at most a week apart share one or the other (a blocking key)
DOB_FORTNIGHT = "dob_fortnight"
DOB_FORTNIGHT_7 = "dob_fortnight_7"
DOB_YM = "dob_ym"  # YYYY-MM when at least month precision
DOB_Y = "dob_y"  # year as an integer
SEX = "sex_known"  # M or F; U and empty are NULL
ADDR = "addr"
TOWN = "town"  # post town: last comma-separated part of the address, when there are two
HOUSE = "house"  # house number (12, 12a), from parse_address
STREET = "street"  # street words after the house number, from parse_address
PCODE = "pcode"  # postcode without spaces, upper case
PCODE_SECTOR = "pcode_sector"  # outward code + first inward digit
PCODE_OUT = "pcode_out"  # outward code
PCODE_BLOCK = "pcode_block"  # the postcode, when few records share it (a blocking key)
PCODE_TOWN = "pcode_town"  # the post town of the postcode's outward code, from the records
PLACE = "place"  # the town of the address, else the town of the postcode
PLACE_UNDATED = "place_undated"  # the place, for a record with no date of birth
DOB_YEAR_ONLY = "dob_year_only"  # the year, for a record whose date of birth is a year only
FAMILY_START = "family_start"  # the family name's first two letters
GIVEN_INITIAL = "given_initial"  # the given name's first letter
PHONES = "phones"
PHONE_FIRST = "phone_first"  # the smallest of the numbers (an equi-join key)

PREPARE_SQL = """
SELECT *,
    date_diff('day', DATE '1800-01-01', {DOB_DATE}) // 14 AS {DOB_FORTNIGHT},
    (date_diff('day', DATE '1800-01-01', {DOB_DATE}) + 7) // 14 AS {DOB_FORTNIGHT_7},
    CASE WHEN {PCODE} IS NOT NULL
          AND count(*) OVER (PARTITION BY {PCODE}) <= {PCODE_BLOCK_MAX}
         THEN {PCODE} END AS {PCODE_BLOCK}
FROM (
SELECT
    row_number() OVER (ORDER BY {FORCE}, {RECORD_ID}) AS {UID},
    {FORCE}, {RECORD_ID},
    {FAMILY_NAME} AS raw_family, {GIVEN_NAMES} AS raw_given,
    CASE WHEN length({DOB_RAW}) = 10 THEN {DOB_RAW} END AS {DOB},
    TRY_CAST(CASE WHEN length({DOB_RAW}) = 10 THEN {DOB_RAW} END AS DATE) AS {DOB_DATE},
    CASE WHEN length({DOB_RAW}) = 10
          AND TRY_CAST(
                substr({DOB_RAW}, 1, 5) || substr({DOB_RAW}, 9, 2) || '-'
                || substr({DOB_RAW}, 6, 2) AS DATE) IS NOT NULL
          AND substr({DOB_RAW}, 6, 2) <> substr({DOB_RAW}, 9, 2)
         THEN substr({DOB_RAW}, 1, 5) || substr({DOB_RAW}, 9, 2) || '-'
              || substr({DOB_RAW}, 6, 2) END AS {DOB_SWAP},
    CASE WHEN length({DOB_RAW}) >= 7 THEN substr({DOB_RAW}, 1, 7) END AS {DOB_YM},
    TRY_CAST(substr({DOB_RAW}, 1, 4) AS INTEGER) AS {DOB_Y},
    CASE WHEN {SEX_RAW} IN ('M', 'F') THEN {SEX_RAW} END AS {SEX},
    nullif(trim(regexp_replace(lower({ADDRESS}), '[^a-z0-9]+', ' ', 'g')), '') AS {ADDR},
    {ADDRESS} AS raw_address,
    nullif(upper(regexp_replace({POSTCODE_RAW}, '\\s+', '', 'g')), '') AS {PCODE},
    {SECTOR_OF_POSTCODE} AS {PCODE_SECTOR},
    {DISTRICT_OF_POSTCODE} AS {PCODE_OUT},
    CASE WHEN {N_PHONES} > 0 THEN list_sort(all_phones) END AS {PHONES},
    CASE WHEN {N_PHONES} > 0 THEN list_min(all_phones) END AS {PHONE_FIRST}
FROM (
    SELECT n.*,
           list_distinct(list_concat(coalesce(n.{PHONE_NUMBERS}, []),
                                     coalesce(ev.event_phones, []))) AS all_phones
    FROM {NOMINALS} n
    LEFT JOIN ({EVENT_PHONES}) ev USING ({FORCE}, {RECORD_ID})
)
)
"""

# The numbers events give a record, by force and record id: the number in a report about
# the person (a missing-person report records the child's mobile) or on them when stopped
# or arrested. Seizures are left out: a seized handset is often the line's phone, passed
# from runner to runner, and would tie different people together.
EVENT_PHONES_SQL = """
SELECT {FORCE}, {NOMINAL_RECORD_ID} AS {RECORD_ID}, list(DISTINCT {PHONE_NUMBER}) AS event_phones
FROM {EVENTS}
WHERE {PHONE_NUMBER} IS NOT NULL AND {NOMINAL_RECORD_ID} IS NOT NULL
  AND {EVENT_TYPE} IN ({PERSONAL_TYPES})
GROUP BY ALL
"""
NO_EVENT_PHONES_SQL = """
SELECT NULL::VARCHAR AS {FORCE}, NULL::VARCHAR AS {RECORD_ID}, NULL::VARCHAR[] AS event_phones
WHERE false
"""
PERSONAL_EVENT_TYPES = (
    EventType.MISSING_EPISODE,
    EventType.FOUND_AFTER_MISSING,
    EventType.SAFEGUARDING_REFERRAL,
    EventType.NRM_REFERRAL,
    EventType.STOP_SEARCH,
    EventType.ARREST,
)


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


def first_given(name: str | None) -> str | None:
    """The first of someone's given names, cleaned (middle names vary between forces)."""
    if name is None:
        return None
    for token in name.replace("-", " ").split():
        cleaned = letters(token)
        if cleaned:
            return cleaned
    return None


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


def _map_distinct(col: pa.ChunkedArray, fn: dict[str, str | None]) -> pa.Array:
    """Apply a value map computed over the distinct values of a string column."""
    enc = pc.dictionary_encode(col).combine_chunks()
    dictionary = enc.dictionary.to_pylist()
    mapped = pa.array([fn.get(v) if v is not None else None for v in dictionary], pa.string())
    return pc.take(mapped, enc.indices)


def _names(raw: pa.ChunkedArray, given: bool) -> dict[str, pa.Array]:
    variants = name_variants()
    distinct = [v for v in pc.unique(raw).to_pylist() if v is not None]
    cleaned = {v: (first_given(v) if given else letters(v)) for v in distinct}
    canon = {v: variants.get(c, c) if c else None for v, c in cleaned.items()}
    sx = {v: soundex(c) for v, c in canon.items()}
    prefix = GIVEN if given else FAMILY
    return {
        prefix: _map_distinct(raw, cleaned),
        f"{prefix}_canon": _map_distinct(raw, canon),
        f"{prefix}_sx": _map_distinct(raw, sx),
    }


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


def _addresses(raw: pa.ChunkedArray) -> dict[str, pa.Array]:
    """House number, street and town columns, parsed once per distinct address."""
    enc = pc.dictionary_encode(raw).combine_chunks()
    parsed = [parse_address(v) for v in enc.dictionary.to_pylist()]
    return {
        name: pc.take(pa.array([a[k] for a in parsed], pa.string()), enc.indices)
        for k, name in enumerate((HOUSE, STREET, TOWN))
    }


def prepare_nominals(engine: Engine, postcode_block_max: int = 25) -> pa.Table:
    """The `nominals` table as comparison features, one row per record (`uid` 1..n).

    `pcode_block` holds the postcode only where at most `postcode_block_max` records
    share it, so that a postcode alone can block without a large shared postcode (a
    prison, a hostel, a placeholder) pairing all its records."""
    events = s.EVENTS.name
    event_phones = (EVENT_PHONES_SQL if engine.has_table(events) else NO_EVENT_PHONES_SQL).format(
        FORCE=q(s.FORCE),
        RECORD_ID=q(s.RECORD_ID),
        NOMINAL_RECORD_ID=q(s.NOMINAL_RECORD_ID),
        PHONE_NUMBER=q(s.PHONE_NUMBER),
        EVENTS=events,
        EVENT_TYPE=q(s.EVENT_TYPE),
        PERSONAL_TYPES=", ".join(f"'{t.value}'" for t in PERSONAL_EVENT_TYPES),
    )
    sql = PREPARE_SQL.format(
        EVENT_PHONES=event_phones,
        PCODE_BLOCK=PCODE_BLOCK,
        PCODE_BLOCK_MAX=int(postcode_block_max),
        NOMINALS=NOMINALS,
        FORCE=q(s.FORCE),
        RECORD_ID=q(s.RECORD_ID),
        FAMILY_NAME=q(s.FAMILY_NAME),
        GIVEN_NAMES=q(s.GIVEN_NAMES),
        DOB_RAW=q(s.DATE_OF_BIRTH),
        SEX_RAW=q(s.SEX),
        ADDRESS=q(s.ADDRESS),
        POSTCODE_RAW=q(s.POSTCODE),
        PHONE_NUMBERS=q(s.PHONE_NUMBERS),
        UID=UID,
        DOB=DOB,
        DOB_DATE=DOB_DATE,
        DOB_FORTNIGHT=DOB_FORTNIGHT,
        DOB_FORTNIGHT_7=DOB_FORTNIGHT_7,
        DOB_SWAP=DOB_SWAP,
        DOB_YM=DOB_YM,
        DOB_Y=DOB_Y,
        SEX=SEX,
        ADDR=ADDR,
        PCODE=PCODE,
        PCODE_SECTOR=PCODE_SECTOR,
        PCODE_OUT=PCODE_OUT,
        SECTOR_OF_POSTCODE=postcode_head_sql(q(s.POSTCODE), 1),
        DISTRICT_OF_POSTCODE=postcode_head_sql(q(s.POSTCODE), 0),
        N_PHONES=engine.dialect.list_length("all_phones"),
        PHONES=PHONES,
        PHONE_FIRST=PHONE_FIRST,
    )
    t = engine.query(sql)
    cols = {
        **_names(t.column("raw_given"), given=True),
        **_names(t.column("raw_family"), given=False),
    }
    cols.update(_addresses(t.column("raw_address")))
    cols[PCODE_TOWN] = postcode_towns(t.column(PCODE_OUT), cols[TOWN], subscriber_districts(engine))
    cols[PLACE] = pc.coalesce(cols[TOWN], cols[PCODE_TOWN])
    cols[FAMILY_START] = pc.utf8_slice_codeunits(cols[FAMILY], 0, 2)
    cols[GIVEN_INITIAL] = pc.utf8_slice_codeunits(cols[GIVEN], 0, 1)
    undated = pc.is_null(t.column(DOB_Y))
    cols[PLACE_UNDATED] = pc.if_else(undated, cols[PLACE], pa.scalar(None, pa.string()))
    year_only = pc.and_(pc.is_null(t.column(DOB_YM)), pc.invert(undated))
    cols[DOB_YEAR_ONLY] = pc.if_else(year_only, t.column(DOB_Y), pa.scalar(None, pa.int32()))
    t = t.drop_columns(["raw_given", "raw_family", "raw_address"])
    for name, arr in cols.items():
        t = t.append_column(name, arr)
    return t


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
    return _map_distinct(col, towns)
