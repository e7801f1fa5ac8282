"""The Fellegi-Sunter model that decides whether two nominal records are one person.

Each comparison splits a record pair into levels from strong agreement to disagreement;
Splink learns from the records how often true pairs (m) and chance pairs (u) fall in each
level and adds up the log-likelihood ratios. The levels encode how force records of one
person really differ, so that each kind of difference gets its own learned weight instead
of counting as a plain mismatch:

- names: exact (with term-frequency adjustment, so Smith agreeing says less than Okafor
  agreeing), the same canonical name from the variants table (Muhammad/Mohammed,
  Jon/Jonathan), given and family name swapped, one edit apart (a typo), a variant of
  one a slip from the other (Steve / Stepehn, read Stephen), Jaro-Winkler
  close, two edits apart with the same initial (two records each with its own slip:
  Jhonson and Joohnson for one Johnson), different;
- date of birth: exact, day and month swapped, within a week, agreeing as far as a partial
  date goes (year-month, also against the other date read day-first, or year only),
  same month or year of two full dates, within a year, different;
- phone numbers: any number in common (the strongest evidence there is: a phone belongs
  to one person), numbers known on both sides but none shared;
- postcode (exact, same sector, same outward code), address (exact, same house number
  and street, same street at another number, close, same town), sex.

The starting m and u values below are general facts of record keeping (a date of birth
agrees by chance about once in 5,000 pairs; most duplicates carry the same surname) and
are only used as they stand when there are too few records to train on.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule

from crossline.analyse.persons import prepare as p


def _lvl(level: Any, m: float, u: float, **kw: Any) -> Any:
    return level.configure(m_probability=m, u_probability=u, **kw)


# Given and family name written the other way round (Khan Mohammed / Mohammed Khan): common
# where a form puts the family name first or a name's order is not the English one. Both
# names must cross-agree, exactly (canonical) or Jaro-Winkler close, so a typo in a
# swapped name still counts as a swap.
SWAPPED_NAMES = (
    f'("{p.GIVEN_CANON}_l" = "{p.FAMILY_CANON}_r" AND "{p.FAMILY_CANON}_l" = "{p.GIVEN_CANON}_r")'
    f' OR (jaro_winkler_similarity("{p.GIVEN}_l", "{p.FAMILY}_r") >= 0.9'
    f' AND jaro_winkler_similarity("{p.FAMILY}_l", "{p.GIVEN}_r") >= 0.9)'
)


# One name written in the other field while the other name differs (Caleb Menzies / Waller
# Caleb): a form filled with the names the wrong way round and one of them then taken from
# elsewhere (an alias, a married or step-family name, a second given name). Weaker than a
# full swap; weighed once, in the given-name comparison only.
CROSS_FIELD_NAME = (
    f'"{p.GIVEN_CANON}_l" = "{p.FAMILY_CANON}_r" OR "{p.FAMILY_CANON}_l" = "{p.GIVEN_CANON}_r"'
)


def swapped_level(counted: bool) -> Any:
    """The swapped-names level, in both name comparisons (a swapped pair must not fall to
    'different' in either) but weighed once: in the family-name comparison it is trained
    like any level; in the given-name comparison m = u, fixed, so it adds no evidence of
    its own (two comparisons of one fact would count it twice)."""
    level = cll.CustomLevel(SWAPPED_NAMES, label_for_charts="given/family swapped")
    if counted:
        return _lvl(level, 0.02, 1e-5)
    return _lvl(level, 0.01, 0.01, fix_m_probability=True, fix_u_probability=True)


def _within_edits(col: str, edits: int, label: str, min_length: int = 0) -> Any:
    """Names at most `edits` edits apart (Damerau-Levenshtein) with the same initial, both
    at least `min_length` letters. The cheap tests come first: a CASE condition stops at
    the first false one, so the edit distance is computed for few pairs."""
    a, b = f'"{col}_l"', f'"{col}_r"'
    tests = [f"left({a}, 1) = left({b}, 1)"]
    if min_length:
        tests.append(f"least(length({a}), length({b})) >= {min_length}")
    tests += [
        f"abs(length({a}) - length({b})) <= {edits}",
        f"damerau_levenshtein({a}, {b}) <= {edits}",
    ]
    return cll.CustomLevel(" AND ".join(tests), label_for_charts=label)


def name_comparison(
    col: str, canon: str, label: str, exact_m: float, tf: bool = True
) -> cl.CustomComparison:
    """Exact / variant / swapped / typo / variant with a slip / similar / two slips /
    (given name only: in the other field) / different, for one name column; with `tf`,
    an exact match is weighted by how rare the name is among the records."""
    exact = {"tf_adjustment_column": col} if tf else {}
    cross = col == p.GIVEN  # the one-name-in-the-other-field level, weighed once
    cross_m = 0.01 if cross else 0.0
    cross_level = _lvl(
        cll.CustomLevel(CROSS_FIELD_NAME, label_for_charts="in the other field"), cross_m, 5e-4
    )
    return cl.CustomComparison(
        output_column_name=label,
        comparison_levels=[
            cll.NullLevel(col),
            _lvl(cll.ExactMatchLevel(col), exact_m - cross_m, 0.01, **exact),
            _lvl(
                cll.CustomLevel(f'"{canon}_l" = "{canon}_r"', label_for_charts="variant"),
                0.08,
                0.002,
            ),
            swapped_level(counted=col == p.FAMILY),
            _lvl(cll.DamerauLevenshteinLevel(col, 1), 0.1, 0.002),
            _lvl(_within_edits(canon, 1, "variant, one slip"), 0.02, 0.002),
            _lvl(cll.JaroWinklerLevel(col, 0.88), 0.04, 0.01),
            _lvl(_within_edits(col, 2, "two slips", min_length=5), 0.02, 0.002),
            *([cross_level] if cross else []),
            _lvl(cll.ElseLevel(), 0.96 - exact_m - 0.22, 0.974),
        ],
    )


def dob_comparison() -> cl.CustomComparison:
    """Dates of birth as forces record them: full, partial, swapped or slightly wrong."""
    full_l, full_r = f'"{p.DOB}_l"', f'"{p.DOB}_r"'
    ym_l, ym_r = f'"{p.DOB_YM}_l"', f'"{p.DOB_YM}_r"'
    y_l, y_r = f'"{p.DOB_Y}_l"', f'"{p.DOB_Y}_r"'
    d_l, d_r = f'"{p.DOB_DATE}_l"', f'"{p.DOB_DATE}_r"'
    levels = [
        cll.CustomLevel(f"{y_l} IS NULL OR {y_r} IS NULL").configure(is_null_level=True),
        _lvl(cll.CustomLevel(f"{full_l} = {full_r}", label_for_charts="exact"), 0.68, 2e-4),
        _lvl(
            cll.CustomLevel(f'"{p.DOB_SWAP}_l" = {full_r}', label_for_charts="day/month swap"),
            0.05,
            2e-5,
        ),
        _lvl(
            cll.CustomLevel(
                f"abs(date_diff('day', {d_l}, {d_r})) <= 7", label_for_charts="within a week"
            ),
            0.03,
            1e-3,
        ),
        _lvl(
            cll.CustomLevel(
                f"{ym_l} = {ym_r} AND ({full_l} IS NULL OR {full_r} IS NULL)",
                label_for_charts="same year-month, one partial",
            ),
            0.1,
            3e-3,
        ),
        _lvl(
            cll.CustomLevel(
                f'(left("{p.DOB_SWAP}_l", 7) = {ym_r} AND {full_r} IS NULL)'
                f' OR (left("{p.DOB_SWAP}_r", 7) = {ym_l} AND {full_l} IS NULL)',
                label_for_charts="year-month, one partial, of the other read day-first",
            ),
            0.02,
            3e-3,
        ),
        _lvl(
            cll.CustomLevel(
                f"{y_l} = {y_r} AND ({ym_l} IS NULL OR {ym_r} IS NULL)",
                label_for_charts="same year, one year-only",
            ),
            0.08,
            0.03,
        ),
        _lvl(cll.CustomLevel(f"{ym_l} = {ym_r}", label_for_charts="same year-month"), 0.01, 3e-3),
        _lvl(cll.CustomLevel(f"{y_l} = {y_r}", label_for_charts="same year"), 0.01, 0.03),
        _lvl(
            cll.CustomLevel(f"abs({y_l} - {y_r}) <= 1", label_for_charts="within a year"),
            0.01,
            0.06,
        ),
        _lvl(cll.ElseLevel(), 0.03, 0.87),
    ]
    return cl.CustomComparison(output_column_name="date_of_birth", comparison_levels=levels)


def phone_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="phone_numbers",
        comparison_levels=[
            cll.NullLevel(p.PHONES),
            _lvl(cll.ArrayIntersectLevel(p.PHONES, 1), 0.85, 1e-5),
            _lvl(cll.ElseLevel(), 0.15, 0.99999),
        ],
    )


def postcode_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="postcode",
        comparison_levels=[
            cll.NullLevel(p.PCODE),
            _lvl(cll.ExactMatchLevel(p.PCODE), 0.83, 1e-3),
            _lvl(cll.ExactMatchLevel(p.PCODE_SECTOR), 0.03, 5e-3),
            _lvl(cll.ExactMatchLevel(p.PCODE_OUT), 0.03, 0.02),
            _lvl(cll.DamerauLevenshteinLevel(p.PCODE, 1), 0.02, 2e-4, label_for_charts="typo"),
            _lvl(cll.ElseLevel(), 0.09, 0.9738),
        ],
    )


def address_comparison() -> cl.CustomComparison:
    """Addresses by their parts (prepare.parse_address): the same house (number
    and street, or number and town when the street is typed differently) is strong
    evidence; the same street at another number is much weaker (neighbours, a move down
    the road); then a close string, then only the same town."""
    house = f'"{p.HOUSE}_l" = "{p.HOUSE}_r"'
    sl, sr, tl, tr = (f'"{c}_{side}"' for c in (p.STREET, p.TOWN) for side in "lr")
    street = (
        f"(jaro_winkler_similarity({sl}, {sr}) >= 0.9"
        f" OR starts_with({sl} || ' ', {sr} || ' ') OR starts_with({sr} || ' ', {sl} || ' '))"
    )
    town = f"jaro_winkler_similarity({tl}, {tr}) >= 0.9"
    town_ok = f"({town} OR {tl} IS NULL OR {tr} IS NULL)"
    # One record gives only an address, the other only a postcode: neither the address
    # nor the postcode comparison can speak, but the address's town and the town the
    # postcode's district stands for (prepare.postcode_towns) can.
    crosswise = (
        f'(("{p.ADDR}_l" IS NULL AND "{p.PCODE}_r" IS NULL)'
        f' OR ("{p.ADDR}_r" IS NULL AND "{p.PCODE}_l" IS NULL))'
    )
    pl, pr = f'"{p.PLACE}_l"', f'"{p.PLACE}_r"'
    return cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            _lvl(
                cll.CustomLevel(
                    f"{crosswise} AND {pl} = {pr}", label_for_charts="same town, address/postcode"
                ),
                0.18,
                0.05,
            ),
            _lvl(
                cll.CustomLevel(
                    f"{crosswise} AND {pl} <> {pr}", label_for_charts="other town, address/postcode"
                ),
                0.1,
                0.95,
            ),
            cll.NullLevel(p.ADDR),
            _lvl(cll.ExactMatchLevel(p.ADDR), 0.6, 5e-4),
            _lvl(
                cll.CustomLevel(
                    f"{house} AND ({street} OR {town})",
                    label_for_charts="same house",
                ),
                0.1,
                1e-4,
            ),
            _lvl(
                cll.CustomLevel(f"{street} AND {town_ok}", label_for_charts="same street"),
                0.04,
                2e-3,
            ),
            _lvl(cll.JaroWinklerLevel(p.ADDR, 0.9), 0.03, 5e-3),
            _lvl(cll.CustomLevel(town, label_for_charts="same town"), 0.18, 0.05),
            _lvl(cll.ElseLevel(), 0.05, 0.9399),
        ],
    )


def sex_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="sex",
        comparison_levels=[
            cll.NullLevel(p.SEX),
            _lvl(cll.ExactMatchLevel(p.SEX), 0.97, 0.5),
            _lvl(cll.ElseLevel(), 0.03, 0.5),
        ],
    )


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
        return [
            CustomRule(f'{rest} AND l."{x}" = r."{y}"') for x, y in ((only, column), (column, only))
        ]

    same_names_sound = (
        f'l."{p.GIVEN_SX}" = r."{p.GIVEN_SX}" AND l."{p.FAMILY_SX}" = r."{p.FAMILY_SX}"'
    )
    return [
        block_on(p.PHONES, arrays_to_explode=[p.PHONES]),
        block_on(p.DOB, p.GIVEN_SX),
        block_on(p.DOB, p.FAMILY_SX),
        block_on(p.DOB, p.HOUSE),
        CustomRule(f'l."{p.DOB_SWAP}" = r."{p.DOB}" AND {name_sounds}'),
        block_on(p.GIVEN_SX, p.FAMILY_SX, p.DOB_Y),
        block_on(p.GIVEN_CANON, p.FAMILY_CANON, p.PCODE_OUT),
        block_on(p.GIVEN_CANON, p.FAMILY_CANON, p.HOUSE),
        # names that sound the same in one town, where a record has no date to tell
        # people apart
        *one_side(p.PLACE, p.PLACE_UNDATED, same_names_sound),
        block_on(p.ADDR),
        block_on(p.PCODE_BLOCK),
        CustomRule(
            f'l."{p.PCODE}" = r."{p.PCODE}" AND l."{p.HOUSE}" = r."{p.HOUSE}" '
            f'AND ({name_sounds} OR l."{p.DOB_Y}" = r."{p.DOB_Y}")'
        ),
        block_on(p.PCODE, p.DOB_Y),
        block_on(p.FAMILY_CANON, p.DOB_YM),
        CustomRule(
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
        CustomRule(f'l."{p.DOB}" = r."{p.DOB}" AND {family_start} AND {given_initial}'),
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
    ]


def training_blocking_rules() -> list[Any]:
    """EM sessions: each blocks on something so that a good share of its pairs are true
    matches, and between them every comparison is estimated at least once (a comparison
    is not estimated in a session that blocks on its columns)."""
    return [
        block_on(p.DOB),
        block_on(p.GIVEN_CANON, p.FAMILY_CANON),
    ]


def deterministic_rules() -> list[Any]:
    """Pairs that are near-certainly one person, to estimate the prior match rate.
    Equi-joins only (a list-overlap condition would compare every pair): the smallest
    number of each record stands for its numbers."""
    return [
        block_on(p.PHONE_FIRST),
        block_on(p.GIVEN_CANON, p.FAMILY_CANON, p.DOB),
    ]


def settings(prior: float, tf: bool = True, max_iterations: int = 10) -> SettingsCreator:
    """The model. `tf` turns on term-frequency adjustment of exact name matches; it is
    off for small inputs, where a name's frequency is dominated by the very pair being
    scored (two records of one Sean Reid among 80 make 'sean' look common)."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=p.UID,
        probability_two_random_records_match=prior,
        comparisons=[
            name_comparison(p.GIVEN, p.GIVEN_CANON, "given_names", 0.7, tf),
            name_comparison(p.FAMILY, p.FAMILY_CANON, "family_name", 0.72, tf),
            dob_comparison(),
            phone_comparison(),
            postcode_comparison(),
            address_comparison(),
            sex_comparison(),
        ],
        blocking_rules_to_generate_predictions=prediction_blocking_rules(),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        max_iterations=max_iterations,
    )
