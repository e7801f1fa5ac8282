"""Nominal records cleaned into the features the person model compares.

Forces record one person differently: a spelling variant or nickname of a name
(Muhammad/Mohammed, Jon/John, Kate/Katherine), a typo, a date of birth known only to the
year or month or typed day-first, an old address, a number in any format. The comparison
model needs each of these as its own column so it can give each kind of disagreement its
own weight:

- names lower-cased and stripped to letters (O'Brien, O Brien and OBrien are one name),
  the first given name, the canonical form from a shipped table of variants and
  nicknames, and a Soundex code for blocking on names that sound alike;
- the date of birth split by precision (full date, year-month, year; a 1 January date is
  taken as the year alone, the placeholder it usually is) plus the full date
  with day and month swapped where that is a valid date, so that a day-first typing is
  recognised instead of counted as a disagreement;
- the address, and its parts from a small parser (addresses.parse_address): house number,
  street and post town, so that the same street at another number (a neighbour, or an
  old and new flat) weighs differently from the same house, and a town says something
  even when the street is written differently;
- postcodes without spaces and their outward code and sector, and the postcode again as
  a blocking key where few records share it; phone numbers as the array of E.164 numbers
  ingest already normalised, with the numbers the force's events give the record (a
  missing-person report holds the child's mobile, a stop finds a phone on someone), so a
  record with no number of its own can still share one with another force's record.

Text clean-up runs in Python over the distinct names and addresses only (thousands, even
for millions of records: names.py, addresses.py); the rest is one SQL statement through
the engine.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from crossline.analyse.persons.addresses import (
    address_columns,
    postcode_head_sql,
    postcode_towns,
    subscriber_districts,
)
from crossline.analyse.persons.names import name_columns
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
DOB_MD = "dob_md"  # MM-DD of a full date (blocks a year with one digit mistyped)
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
    CASE WHEN length({DOB_RAW}) = 10 THEN substr({DOB_RAW}, 6, 5) END AS {DOB_MD},
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
# 1 January is what many systems record when only the year of birth is known: such a date
# is compared as the year alone, so that it neither agrees exactly with another record's
# 1 January (two people born in one year) nor disagrees with the real birthday
DOB_KNOWN = "(CASE WHEN substr({DOB}, 6, 5) = '01-01' THEN substr({DOB}, 1, 4) ELSE {DOB} END)"

PERSONAL_EVENT_TYPES = (
    EventType.MISSING_EPISODE,
    EventType.FOUND_AFTER_MISSING,
    EventType.SAFEGUARDING_REFERRAL,
    EventType.NRM_REFERRAL,
    EventType.STOP_SEARCH,
    EventType.ARREST,
)


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
        DOB_RAW=DOB_KNOWN.format(DOB=q(s.DATE_OF_BIRTH)),
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
        DOB_MD=DOB_MD,
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
    cols: dict[str, pa.Array] = {}
    cols[GIVEN], cols[GIVEN_CANON], cols[GIVEN_SX] = name_columns(t.column("raw_given"), True)
    cols[FAMILY], cols[FAMILY_CANON], cols[FAMILY_SX] = name_columns(t.column("raw_family"), False)
    cols[HOUSE], cols[STREET], cols[TOWN] = address_columns(t.column("raw_address"))
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
