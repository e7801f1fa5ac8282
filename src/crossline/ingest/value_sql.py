"""SQL twins of the normalisation rules (crossline.ingest.normalise), one expression per
value kind, written over a column's cleaned text `x`. Property tests hold each to its
Python twin.

The accepted forms beyond the contract's canonical ones (UK day-first dates, `D Mon YYYY`,
`DD/MM/YYYY HH:MM[:SS]` times, `MM:SS` durations, force names, sex words, flag labels) are
rewritten to the canonical text first (`canonical_sql`), so every check after sees one form
and a reason shows what was delivered when even that fails.
"""

from __future__ import annotations

from datetime import date

from crossline.ingest import normalise
from crossline.ingest.sql import in_list, lit
from crossline.model.forces import force_ids, force_names
from crossline.model.schema import Column, Kind

# Separators of a list of phone numbers (one list per cell, as forces write them) and of
# flags; the contract's own is ';'.
PHONE_LIST_SPLIT = r"[;,/\r\n]"
FLAG_LIST_SPLIT = r"[;,\r\n]"


def phone_fast_sql(x: str) -> str:
    """SQL twin of normalise.phone_fast_path: E.164 for a common UK mobile form, else NULL."""
    stripped = x
    for sep in normalise.FAST_SEPARATORS:
        stripped = f"replace({stripped}, {lit(sep)}, '')"
    return (
        f"NULLIF('+44' || regexp_extract({stripped}, "
        f"{lit(normalise.FAST_MOBILE_PATTERN)}, 1), '+44')"
    )


def _all_digits(x: str) -> str:
    """True when x, which starts with a digit 1-9, is ASCII digits only (at most 19). The
    text of an integer is its digits exactly, so a round trip through UBIGINT is a cheap
    test without a regex ('1.5', '1_0', '1e3' or ' 12' do not come back the same)."""
    return f"CAST(TRY_CAST({x} AS UBIGINT) AS VARCHAR) = {x}"


def _prefix_forms(x: str) -> list[tuple[str, str, str]]:
    """(test, E.164 text, stored PHONE_DIGITS integer) for each of the commonest exact forms
    of a UK mobile: `447…`, `07…`, `+447…`, digits only, by length and prefix."""
    national = f"'1' || {x}"  # '07…' with a leading 1, so the round trip keeps the 0
    plus = f"substr({x}, 2)"
    return [
        (
            f"starts_with({x}, '447') AND strlen({x}) = 12 AND {_all_digits(x)}",
            f"'+' || {x}",
            f"CAST({x} AS BIGINT)",
        ),
        (
            f"starts_with({x}, '07') AND strlen({x}) = 11 AND {_all_digits(national)}",
            f"'+44' || substr({x}, 2)",
            f"440000000000 + CAST({x} AS BIGINT)",
        ),
        (
            f"starts_with({x}, '+447') AND strlen({x}) = 13 AND {_all_digits(plus)}",
            x,
            f"CAST({plus} AS BIGINT)",
        ),
    ]


def phone_prefix_sql(x: str) -> str:
    """E.164 for the commonest exact forms of a UK mobile (see _prefix_forms), else NULL.
    Per row it is far cheaper than phone_fast_sql; it agrees with phone_fast_path wherever
    it is not NULL, and every other value is looked up in the phone map."""
    return "CASE " + " ".join(f"WHEN {t} THEN {e164}" for t, e164, _ in _prefix_forms(x)) + " END"


def phone_prefix_digits_sql(x: str) -> str:
    """phone_prefix_sql's number as its stored PHONE_DIGITS integer, built from the digits
    without the text in between; NULL exactly where phone_prefix_sql is NULL."""
    return "CASE " + " ".join(f"WHEN {t} THEN {key}" for t, _, key in _prefix_forms(x)) + " END"


# Years whose UK clock changes are the EU's (since 1996, and as the zone database expects
# them to stay): to summer time at 01:00 UTC on the last Sunday of March, back at 01:00 UTC
# on the last Sunday of October.
_EU_RULE_YEARS = (1996, 2037)


def london_utc_sql(ts: str) -> str:
    """A naive Europe/London TIMESTAMP `ts` as its UTC TIMESTAMP: the zone database's answer,
    by arithmetic in the years of the EU rule (half the cost of the zone lookup) and by the
    lookup itself outside them. As the lookup does, a time in the spring hour that never
    happens and one in the autumn hour that happens twice are both read as GMT (a test
    holds the two to each other at every minute of every changeover week of those years)."""
    lo, hi = _EU_RULE_YEARS
    year = f"year({ts})"
    march, october = f"make_date({year}, 3, 31)", f"make_date({year}, 10, 31)"
    # the last Sunday of the month: its 31st less its weekday (Sunday = 0)
    summer_from = f"(({march} - CAST(dayofweek({march}) AS INTEGER)) + INTERVAL 2 HOUR)"
    summer_to = f"(({october} - CAST(dayofweek({october}) AS INTEGER)) + INTERVAL 1 HOUR)"
    return (
        f"CASE WHEN {ts} >= TIMESTAMP '{lo}-01-01' AND {ts} < TIMESTAMP '{hi + 1}-01-01' "
        f"THEN CASE WHEN {ts} >= {summer_from} AND {ts} < {summer_to} "
        f"THEN {ts} - INTERVAL 1 HOUR ELSE {ts} END "
        f"ELSE timezone('UTC', timezone('Europe/London', {ts})) END"
    )


def time_sql(x: str) -> str:
    """ISO 8601 text -> UTC TIMESTAMP (naive = Europe/London), NULL if unparseable."""
    # Once the text is ISO_TIME_PATTERN, it has an offset exactly when it ends in Z or
    # holds a sign after its date (cheaper than matching OFFSET_PATTERN).
    after_date = f"substr({x}, 12)"
    offset = f"(ends_with({x}, 'Z') OR contains({after_date}, '+') OR contains({after_date}, '-'))"
    return (
        f"CASE WHEN NOT regexp_full_match({x}, {lit(normalise.ISO_TIME_PATTERN)}) THEN NULL "
        f"WHEN {offset} THEN timezone('UTC', TRY_CAST({x} AS TIMESTAMPTZ)) "
        f"ELSE {london_utc_sql(f'TRY_CAST({x} AS TIMESTAMP)')} END"
    )


def partial_date_impossible_sql(x: str, today: date) -> str:
    """True when a well-formed partial date is not a real date in [1900, today]."""
    year = f"TRY_CAST(left({x}, 4) AS INTEGER)"
    month = f"TRY_CAST(substr({x}, 6, 2) AS INTEGER)"
    full = f"TRY_CAST({x} AS DATE)"
    return (
        f"({year} < {normalise.MIN_YEAR} OR {year} > {today.year} "
        f"OR (length({x}) >= 7 AND ({month} NOT BETWEEN 1 AND 12 "
        f"OR left({x}, 7) > {lit(today.strftime('%Y-%m'))})) "
        f"OR (length({x}) = 10 AND ({full} IS NULL OR {full} > DATE {lit(today.isoformat())})))"
    )


def enum_sql(x: str, c: Column) -> str:
    """A code of `c.values` (or one of `c.words`), any case, in the contract's spelling."""
    pairs = [(v.lower(), v) for v in c.values] + list(c.words)
    whens = " ".join(f"WHEN {lit(w)} THEN {lit(v)}" for w, v in pairs)
    return f"CASE lower({x}) {whens} END"


def force_key_sql(x: str) -> str:
    """SQL twin of forces.force_key."""
    return f"trim(regexp_replace(replace(lower({x}), '&', ' and '), '[^a-z0-9]+', ' ', 'g'), ' ')"


def force_sql(x: str) -> str:
    """The force_id a force is written as: its id (the commonest case, tested first), its
    name or a common name of the shipped table's alias column; NULL when none."""
    ids = in_list(sorted(force_ids()))
    whens = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in sorted(force_names().items()))
    by_name = f"CASE {force_key_sql(x)} {whens} END"
    return f"CASE WHEN lower({x}) IN {ids} THEN lower({x}) ELSE {by_name} END"


def flag_item_sql(f: str) -> str:
    """A flag as written (`Vulnerable Adult`, `vulnerable-adult`) as its contract code."""
    return f"regexp_replace(lower(trim({f})), '[ \\t\\-]+', '_', 'g')"


_UK_DATE_FORMATS = "['%d/%m/%Y', '%d %b %Y', '%d %B %Y']"
_UK_TIME_FORMATS = "['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M']"
_DURATION_RE = lit(normalise.CLOCK_DURATION_PATTERN)


def uk_date_sql(x: str) -> str:
    """`DD/MM/YYYY` (UK: day first, always) or `D Mon YYYY` as `YYYY-MM-DD`; other text as
    it is (an ISO date, or something the checks will refuse)."""
    return (
        f"CASE WHEN regexp_full_match({x}, {lit(normalise.UK_DATE_PATTERN)}) "
        f"THEN COALESCE(strftime(try_strptime({x}, {_UK_DATE_FORMATS}), '%Y-%m-%d'), {x}) "
        f"ELSE {x} END"
    )


def uk_time_sql(x: str) -> str:
    """`DD/MM/YYYY HH:MM[:SS]` as ISO `YYYY-MM-DD HH:MM:SS` (still local time)."""
    return (
        f"CASE WHEN contains({x}, '/') AND regexp_full_match({x}, "
        f"{lit(normalise.UK_TIME_PATTERN)}) "
        f"THEN COALESCE(strftime(try_strptime({x}, {_UK_TIME_FORMATS}), '%Y-%m-%d %H:%M:%S'), "
        f"{x}) ELSE {x} END"
    )


def duration_sql(x: str) -> str:
    """`MM:SS` or `HH:MM:SS` as whole seconds; other text as it is."""
    secs = (
        f"CAST(list_reduce(list_transform(string_split({x}, ':'), "
        f"lambda p: CAST(p AS BIGINT)), lambda a, b: a * 60 + b) AS VARCHAR)"
    )
    return (
        f"CASE WHEN contains({x}, ':') AND regexp_full_match({x}, {_DURATION_RE}) "
        f"THEN {secs} ELSE {x} END"
    )


def canonical_sql(c: Column, x: str, values: dict[str, str] | None) -> str | None:
    """The canonical text of cleaned `x` for column `c`, through a mapping file's values
    first; None when the column takes its text as it is."""
    out = x
    if values:
        whens = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in values.items())
        out = f"CASE lower({x}) {whens} ELSE {x} END"
    if c.kind in (Kind.DATE, Kind.PARTIAL_DATE):
        return uk_date_sql(out)
    if c.kind is Kind.TIME:
        return uk_time_sql(out)
    if c.kind is Kind.DURATION:
        return duration_sql(out)
    return out if values else None
