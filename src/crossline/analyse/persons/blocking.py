"""Which record pairs the person model looks at: blocking rules for scoring, for the EM
training sessions, and the deterministic rules behind the prior match rate. Blocking is
most of resolution's cost at national scale, so each rule was sized on a million records
(docs/performance.md)."""

from __future__ import annotations

from typing import Any

from splink import block_on
from splink.blocking_rule_library import CustomRule

from crossline.analyse.persons import prepare as p
from crossline.engine.base import SQL_DIALECT


def _rule(sql: str) -> CustomRule:
    """A rule written in the house dialect, declared so: Splink then transpiles it for an
    engine of another dialect (to Spark, "x" is a string, not a column), and leaves it as
    written for DuckDB."""
    return CustomRule(sql, sql_dialect=SQL_DIALECT)


def prediction_blocking_rules() -> list[Any]:
    """Which pairs are scored at all. Each true pair must satisfy at least one rule; each
    rule must stay small at national scale (millions of records), hence names are always
    paired with a date or a place, and a date or a place alone with part of a name or
    the house number. Scoring is most of the cost of resolution, so every rule was sized
    on a million records (docs/performance.md) and the loose ones carry a filter: a
    name-and-town block only for records without a date of birth to tell them apart
    (dated records meet through the date rules), a day/month-swapped date only with a
    name that sounds the same. A first name with a birth month was dropped: at 1M records
    it was 15% of the pairs for 0.1% of the true pairs. Postcode with a family-name
    Soundex became postcode with the canonical family name, or with both names' Soundex
    (both inside it): 2.2M instead of 6.4M pairs at 1M records for 0.02% of the true
    pairs. Postcode with house number only with a name that sounds the same or the same
    birth year: on the bench's large postcodes it was 4.4M pairs for 2 true pairs;
    FEBRL recall 0.982 -> 0.981 (F1 0.991 -> 0.990)."""
    name_sounds = f'(l."{p.GIVEN_SX}" = r."{p.GIVEN_SX}" OR l."{p.FAMILY_SX}" = r."{p.FAMILY_SX}")'
    family_start = f'l."{p.FAMILY_START}" = r."{p.FAMILY_START}"'
    given_initial = f'l."{p.GIVEN_INITIAL}" = r."{p.GIVEN_INITIAL}"'

    def one_side(column: str, only: str, rest: str) -> list[Any]:
        """`rest` and the same `column`, where at least one record holds it in `only`
        (the column kept for records lacking a date: prepare.PLACE_UNDATED,
        DOB_YEAR_ONLY). Two equi-joins, one per side, instead of a filter after the join:
        a filter would first pair every record of a town with every other (33M pairs per
        rule at 1M records, against 2.5M kept)."""
        return [_rule(f'{rest} AND l."{x}" = r."{y}"') for x, y in ((only, column), (column, only))]

    same_names_sound = (
        f'l."{p.GIVEN_SX}" = r."{p.GIVEN_SX}" AND l."{p.FAMILY_SX}" = r."{p.FAMILY_SX}"'
    )
    return [
        block_on(p.PHONES, arrays_to_explode=[p.PHONES]),
        block_on(p.DOB, p.GIVEN_SX),
        block_on(p.DOB, p.FAMILY_SX),
        block_on(p.DOB, p.HOUSE),
        _rule(f'l."{p.DOB_SWAP}" = r."{p.DOB}" AND {name_sounds}'),
        block_on(p.GIVEN_SX, p.FAMILY_SX, p.DOB_Y),
        block_on(p.GIVEN_CANON, p.FAMILY_CANON, p.PCODE_OUT),
        block_on(p.GIVEN_CANON, p.FAMILY_CANON, p.HOUSE),
        # names that sound the same in one town, where a record has no date to tell
        # people apart
        *one_side(p.PLACE, p.PLACE_UNDATED, same_names_sound),
        block_on(p.ADDR),
        block_on(p.PCODE_BLOCK),
        _rule(
            f'l."{p.PCODE}" = r."{p.PCODE}" AND l."{p.HOUSE}" = r."{p.HOUSE}" '
            f'AND ({name_sounds} OR l."{p.DOB_Y}" = r."{p.DOB_Y}")'
        ),
        block_on(p.PCODE, p.DOB_Y),
        block_on(p.FAMILY_CANON, p.DOB_YM),
        _rule(
            f'l."{p.GIVEN_CANON}" = r."{p.FAMILY_CANON}" '
            f'AND l."{p.FAMILY_CANON}" = r."{p.GIVEN_CANON}"'
        ),
        block_on(p.PCODE, p.FAMILY_CANON),
        block_on(p.PCODE, p.GIVEN_SX, p.FAMILY_SX),
        # Last, so that the larger rules above need not test them for each of their
        # pairs (a rule's pairs are those no earlier rule found).
        # the same full name, dates of birth at most a week apart across a month's or a
        # year's end (2007-12-30 / 2008-01-01), which no year or year-month block meets
        block_on(p.GIVEN_CANON, p.FAMILY_CANON, p.DOB_FORTNIGHT),
        block_on(p.GIVEN_CANON, p.FAMILY_CANON, p.DOB_FORTNIGHT_7),
        # a slip in the family name that changes its Soundex (Marshall/Marhall, a vowel
        # between two letters of one code: Bennett/Benentt) leaves its first two letters:
        # with a full date of birth and the given name's initial (1.1M pairs at 1M
        # records), or with the given name and a birth year one record gives alone
        # (Ethan Bennett, 2000 / Ethan Benentt, 2000-07-23; 3.2M pairs)
        _rule(f'l."{p.DOB}" = r."{p.DOB}" AND {family_start} AND {given_initial}'),
        *one_side(
            p.DOB_Y,
            p.DOB_YEAR_ONLY,
            f'l."{p.GIVEN_CANON}" = r."{p.GIVEN_CANON}" AND {family_start}',
        ),
        # where a slip in the given name changed its Soundex (Adam/Aam): the family name
        # the same and the given name's initial, in one town, one record undated (1.5M
        # pairs). The mirror rule for a family-name slip (Mensah/Mesah: the given name
        # and the family name's first two letters) was 2.5M pairs and 8-14 s of scoring
        # at 1M records for one pair in 68 worlds: left out.
        *one_side(
            p.PLACE,
            p.PLACE_UNDATED,
            f'l."{p.FAMILY_CANON}" = r."{p.FAMILY_CANON}" AND {given_initial}',
        ),
        # one digit of the birth year mistyped (2009 / 2019): names that sound the same
        # and the same day and month, which no date or year block meets
        block_on(p.GIVEN_SX, p.FAMILY_SX, p.DOB_MD),
    ]


def training_blocking_rules() -> list[Any]:
    """EM sessions: each blocks on something so that a good share of its pairs are true
    matches, and between them every comparison is estimated at least once (a comparison
    is not estimated in a session that blocks on its columns)."""
    return [
        block_on(p.DOB),
        block_on(p.GIVEN_CANON, p.FAMILY_CANON),
        block_on(p.PHONE_FIRST),
    ]


def deterministic_rules() -> list[Any]:
    """Pairs that are near-certainly one person, to estimate the prior match rate.
    Equi-joins only (a list-overlap condition would compare every pair): the smallest
    number of each record stands for its numbers."""
    return [
        block_on(p.PHONE_FIRST),
        block_on(p.GIVEN_CANON, p.FAMILY_CANON, p.DOB),
    ]
