"""The model's comparisons: for each field, the levels from strong agreement to
disagreement that a record pair falls in (see model.py for what each level encodes), with
starting m and u values."""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl

from crossline.analyse.persons import prepare as p
from crossline.engine.base import SQL_DIALECT


def _level(sql: str, **kwargs: Any) -> Any:
    """A level written in the house dialect, declared so: Splink then transpiles it for
    an engine of another dialect (to Spark, "x" is a string, not a column), and leaves it
    as written for DuckDB."""
    return cll.CustomLevel(sql, base_dialect_str=SQL_DIALECT, **kwargs)


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
    level = _level(SWAPPED_NAMES, label_for_charts="given/family swapped")
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
    return _level(" AND ".join(tests), label_for_charts=label)


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
        _level(CROSS_FIELD_NAME, label_for_charts="in the other field"), cross_m, 5e-4
    )
    return cl.CustomComparison(
        output_column_name=label,
        comparison_levels=[
            cll.NullLevel(col),
            _lvl(cll.ExactMatchLevel(col), exact_m - cross_m, 0.01, **exact),
            _lvl(
                _level(f'"{canon}_l" = "{canon}_r"', label_for_charts="variant"),
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
        _level(f"{y_l} IS NULL OR {y_r} IS NULL").configure(is_null_level=True),
        _lvl(_level(f"{full_l} = {full_r}", label_for_charts="exact"), 0.68, 2e-4),
        _lvl(
            _level(f'"{p.DOB_SWAP}_l" = {full_r}', label_for_charts="day/month swap"),
            0.05,
            2e-5,
        ),
        _lvl(
            _level(f"abs(date_diff('day', {d_l}, {d_r})) <= 7", label_for_charts="within a week"),
            0.03,
            1e-3,
        ),
        # one digit of the year typed wrong (2009 / 2019, 1986 / 1987) on the same day and
        # month: a slip of one key, where a different person would rarely share the day
        _lvl(
            _level(
                f"substr({full_l}, 5) = substr({full_r}, 5)"
                f" AND damerau_levenshtein(left({full_l}, 4), left({full_r}, 4)) = 1",
                label_for_charts="one digit of the year",
            ),
            0.02,
            3e-4,
        ),
        _lvl(
            _level(
                f"{ym_l} = {ym_r} AND ({full_l} IS NULL OR {full_r} IS NULL)",
                label_for_charts="same year-month, one partial",
            ),
            0.1,
            3e-3,
        ),
        _lvl(
            _level(
                f'(left("{p.DOB_SWAP}_l", 7) = {ym_r} AND {full_r} IS NULL)'
                f' OR (left("{p.DOB_SWAP}_r", 7) = {ym_l} AND {full_l} IS NULL)',
                label_for_charts="year-month, one partial, of the other read day-first",
            ),
            0.02,
            3e-3,
        ),
        _lvl(
            _level(
                f"{y_l} = {y_r} AND ({ym_l} IS NULL OR {ym_r} IS NULL)",
                label_for_charts="same year, one year-only",
            ),
            0.08,
            0.03,
        ),
        _lvl(_level(f"{ym_l} = {ym_r}", label_for_charts="same year-month"), 0.01, 3e-3),
        _lvl(_level(f"{y_l} = {y_r}", label_for_charts="same year"), 0.01, 0.03),
        _lvl(
            _level(f"abs({y_l} - {y_r}) <= 1", label_for_charts="within a year"),
            0.01,
            0.06,
        ),
        _lvl(cll.ElseLevel(), 0.02, 0.87),
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
    """Addresses by their parts (addresses.parse_address): the same house (number
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
    # postcode's district stands for (addresses.postcode_towns) can.
    crosswise = (
        f'(("{p.ADDR}_l" IS NULL AND "{p.PCODE}_r" IS NULL)'
        f' OR ("{p.ADDR}_r" IS NULL AND "{p.PCODE}_l" IS NULL))'
    )
    pl, pr = f'"{p.PLACE}_l"', f'"{p.PLACE}_r"'
    return cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            _lvl(
                _level(
                    f"{crosswise} AND {pl} = {pr}", label_for_charts="same town, address/postcode"
                ),
                0.18,
                0.05,
            ),
            _lvl(
                _level(
                    f"{crosswise} AND {pl} <> {pr}", label_for_charts="other town, address/postcode"
                ),
                0.1,
                0.95,
            ),
            cll.NullLevel(p.ADDR),
            _lvl(cll.ExactMatchLevel(p.ADDR), 0.6, 5e-4),
            _lvl(
                _level(
                    f"{house} AND ({street} OR {town})",
                    label_for_charts="same house",
                ),
                0.1,
                1e-4,
            ),
            _lvl(
                _level(f"{street} AND {town_ok}", label_for_charts="same street"),
                0.04,
                2e-3,
            ),
            _lvl(cll.JaroWinklerLevel(p.ADDR, 0.9), 0.03, 5e-3),
            _lvl(_level(town, label_for_charts="same town"), 0.18, 0.05),
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
