"""Property tests: phone and time normalisation, and the SQL twins of the Python rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import normalise
from crossline.ingest.normalise import (
    LONDON,
    normalise_name,
    normalise_partial_date,
    normalise_phone,
    normalise_time,
    phone_fast_path,
    phone_slow_path,
)
from crossline.ingest.validate import (
    _NAME_WS_RE,
    _clean_expr,
    partial_date_impossible_sql,
    phone_fast_sql,
    phone_prefix_digits_sql,
    phone_prefix_sql,
    time_sql,
)
from crossline.ingest.value_sql import london_utc_sql
from crossline.model.schema import Column, Kind, number_key, number_text


@pytest.fixture(scope="module")
def sql() -> Iterator[DuckDBEngine]:
    e = DuckDBEngine(":memory:")
    yield e
    e.close()


# ---- phones --------------------------------------------------------------------------

subscriber = st.text(alphabet="0123456789", min_size=9, max_size=9)

STYLES = [
    lambda d: f"0{d[:4]} {d[4:]}",  # 07700 900123
    lambda d: f"+44 {d[:4]} {d[4:]}",  # +44 7700 900123
    lambda d: f"44{d}",  # 447700900123
    lambda d: f"0044{d}",  # 00447700900123
    lambda d: f"(0){d[:4]}-{d[4:]}",  # (0)7700-900123
    lambda d: f"+44 (0){d[:4]} {d[4:]}",  # +44 (0)7700 900123
    lambda d: f"0{d}",
    lambda d: f"+44{d}",
    lambda d: f"0{d[:4]}-{d[4:7]}-{d[7:]}",
]


@given(rest=subscriber, style=st.sampled_from(range(len(STYLES))))
def test_uk_mobile_in_every_style_gives_the_same_e164(rest: str, style: int) -> None:
    digits = "7" + rest
    text = STYLES[style](digits)
    assert normalise_phone(text) == "+44" + digits
    assert phone_slow_path(text) == "+44" + digits


@pytest.mark.parametrize("text", ["07700 900000", "07700 900999", "+447700900500"])
def test_drama_range_is_loaded(text: str) -> None:
    assert normalise_phone(text).startswith("+447700900")


phoneish = st.text(alphabet="0123456789 -+()", min_size=1, max_size=18)
prefixed = st.builds(
    lambda p, d, seps: p + "".join(c + s for c, s in zip(d, seps, strict=False)),
    st.sampled_from(["0", "44", "+44", "0044", "+", "00", "", "4", "04"]),
    st.text(alphabet="0123456789", min_size=8, max_size=13),
    st.lists(st.sampled_from(["", "", "", " ", "-"]), min_size=13, max_size=13),
)


@given(st.one_of(phoneish, prefixed))
@settings(max_examples=500)
def test_fast_path_agrees_with_phonenumbers(text: str) -> None:
    fast = phone_fast_path(text)
    if fast is not None:
        assert phone_slow_path(text) == fast


@given(st.one_of(phoneish, prefixed, st.text(max_size=20)))
@settings(max_examples=200)
def test_sql_fast_path_agrees_with_python(sql: DuckDBEngine, text: str) -> None:
    assume("\x00" not in text)
    got = sql.scalar(f"SELECT {phone_fast_sql('x')} FROM (SELECT ? AS x)", [text])
    assert got == phone_fast_path(text)


digit_forms = st.builds(
    lambda p, d, tail: p + d + tail,
    st.sampled_from(["447", "07", "+447", "0447", "44", "+44", ""]),
    st.text(alphabet="0123456789", min_size=7, max_size=11),
    st.sampled_from(["", "", "", ".", "_0", "e1", " ", "-", "x"]),
)


@given(st.one_of(digit_forms, phoneish, prefixed, st.text(max_size=20)))
@settings(max_examples=500)
def test_sql_prefix_path_agrees_with_python(sql: DuckDBEngine, text: str) -> None:
    assume("\x00" not in text)
    got = sql.scalar(f"SELECT {phone_prefix_sql('x')} FROM (SELECT ? AS x)", [text])
    assert got is None or got == phone_fast_path(text)


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("447700900123", "+447700900123"),
        ("07700900123", "+447700900123"),
        ("+447700900123", "+447700900123"),
        ("07700 900123", None),  # left to the phone map
        ("0770090012.", None),
        ("4477009001_3", None),
        ("07700900１23", None),
    ],
)
def test_sql_prefix_path_forms(sql: DuckDBEngine, text: str, e164: str | None) -> None:
    assert sql.scalar(f"SELECT {phone_prefix_sql('x')} FROM (SELECT ? AS x)", [text]) == e164


@given(st.one_of(digit_forms, phoneish, prefixed, st.text(max_size=20)))
@settings(max_examples=500)
def test_sql_prefix_digits_are_the_prefix_number(sql: DuckDBEngine, text: str) -> None:
    """The comms columns' integer form is the text form's digits, NULL in the same places."""
    assume("\x00" not in text)
    e164, key = (
        sql.query(
            f"SELECT {phone_prefix_sql('x')} AS e, {phone_prefix_digits_sql('x')} AS k "
            "FROM (SELECT ? AS x)",
            [text],
        )
        .to_pylist()[0]
        .values()
    )
    assert key == (None if e164 is None else number_key(e164))
    if key is not None:
        assert number_text(key) == e164


@given(
    rest=subscriber,
    style=st.sampled_from(range(len(STYLES))),
    letters=st.text(alphabet=st.characters(categories=["Lu", "Ll"]), min_size=1, max_size=3),
    pos=st.integers(0, 20),
)
def test_letters_are_rejected(rest: str, style: int, letters: str, pos: int) -> None:
    text = STYLES[style]("7" + rest)
    text = text[:pos] + letters + text[pos:]
    with pytest.raises(ValueError, match=r"letters|extension"):
        normalise_phone(text)


@given(
    rest=subscriber,
    style=st.sampled_from(range(len(STYLES))),
    ext=st.sampled_from([" ext 12", " ext. 345", " x 7", " #22", "#1", " extension 9"]),
)
def test_extensions_are_rejected(rest: str, style: int, ext: str) -> None:
    with pytest.raises(ValueError, match="extension"):
        normalise_phone(STYLES[style]("7" + rest) + ext)


@pytest.mark.parametrize("text", ["", "   ", "+", "()", "12", "0770090012345678"])
def test_unparseable_or_impossible_numbers_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        normalise_phone(text)


# ---- times ---------------------------------------------------------------------------

local_times = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2035, 12, 31))


def _sql_time(sql: DuckDBEngine, text: str) -> datetime | None:
    got = sql.scalar(f"SELECT {time_sql('x')} FROM (SELECT ? AS x)", [text])
    assert got is None or isinstance(got, datetime)
    return got


def _instants(local: datetime) -> set[datetime]:
    """The UTC instants a London wall-clock time can mean (two in the autumn hour)."""
    out = set()
    for fold in (0, 1):
        aware = local.replace(tzinfo=LONDON, fold=fold)
        utc = aware.astimezone(UTC)
        if utc.astimezone(LONDON).replace(tzinfo=None) == local:  # exists (not in the gap)
            out.add(utc.replace(tzinfo=None))
    return out


@given(local=local_times, sep=st.sampled_from(["T", " "]), frac=st.booleans())
@settings(max_examples=300)
def test_naive_time_sql_matches_zoneinfo(
    sql: DuckDBEngine, local: datetime, sep: str, frac: bool
) -> None:
    if not frac:
        local = local.replace(microsecond=0)
    text = local.isoformat(sep=sep)
    instants = _instants(local)
    assume(instants)  # a wall-clock time in the spring gap never happens
    got = _sql_time(sql, text)
    ref = normalise_time(text)
    if len(instants) == 1:
        assert got == ref == next(iter(instants))
    else:  # ambiguous autumn hour: either valid instant is acceptable
        assert got in instants and ref in instants


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2024-03-31 00:59:59", "2024-03-31 00:59:59"),  # last GMT second
        ("2024-03-31 02:00:00", "2024-03-31 01:00:00"),  # first BST hour
        ("2024-10-27 00:30:00", "2024-10-26 23:30:00"),  # BST
        ("2024-10-27 02:00:00", "2024-10-27 02:00:00"),  # GMT again
        ("2024-01-15T09:00", "2024-01-15 09:00:00"),
        ("2024-07-15T09:00:00.5", "2024-07-15 08:00:00.500000"),
    ],
)
def test_naive_times_around_dst(sql: DuckDBEngine, text: str, utc: str) -> None:
    expected = datetime.fromisoformat(utc)
    assert normalise_time(text) == expected
    assert _sql_time(sql, text) == expected


offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: m - m % 15)


@given(when=local_times, minutes=offsets, style=st.sampled_from(["colon", "plain", "hours", "Z"]))
@settings(max_examples=300)
def test_time_with_offset_sql_matches_python(
    sql: DuckDBEngine, when: datetime, minutes: int, style: str
) -> None:
    if style == "Z":
        minutes = 0
    if style == "hours":
        minutes -= minutes % 60
    tz = timezone(timedelta(minutes=minutes))
    aware = when.replace(tzinfo=tz)
    base = when.isoformat(sep="T")
    sign = "-" if minutes < 0 else "+"
    hh, mm = divmod(abs(minutes), 60)
    suffix = {
        "colon": f"{sign}{hh:02d}:{mm:02d}",
        "plain": f"{sign}{hh:02d}{mm:02d}",
        "hours": f"{sign}{hh:02d}",
        "Z": "Z",
    }[style]
    text = base + suffix
    expected = aware.astimezone(UTC).replace(tzinfo=None)
    assert normalise_time(text) == expected
    assert _sql_time(sql, text) == expected


@given(st.text(alphabet="0123456789-:T Z+.", max_size=26))
@settings(max_examples=300)
def test_time_sql_and_python_accept_the_same_strings(sql: DuckDBEngine, text: str) -> None:
    try:
        ref: datetime | None = normalise_time(text)
    except ValueError:
        ref = None
    got = _sql_time(sql, text.strip(" "))
    if ref is None:
        assert got is None
    else:
        assert got is not None
        # Identical except in the ambiguous autumn hour, where either instant is valid.
        assert abs(got - ref) in (timedelta(0), timedelta(hours=1))


@pytest.mark.parametrize(
    "text", ["yesterday", "2024-02-30T10:00:00", "2024-06-01", "2024-06-01T24:00:00", "10:00"]
)
def test_unparseable_times(sql: DuckDBEngine, text: str) -> None:
    with pytest.raises(ValueError):
        normalise_time(text)
    assert _sql_time(sql, text) is None


# ---- names and dates -----------------------------------------------------------------


@given(st.text(alphabet="ab \t\n\r'-é", max_size=15))
def test_name_sql_matches_python(sql: DuckDBEngine, text: str) -> None:
    expr = f"NULLIF(trim(regexp_replace(x, {_NAME_WS_RE}, ' ', 'g'), ' '), '')"
    assert sql.scalar(f"SELECT {expr} FROM (SELECT ? AS x)", [text]) == normalise_name(text)


TODAY = date(2025, 6, 15)


@given(
    st.one_of(
        st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z"),
        st.dates(min_value=date(1890, 1, 1), max_value=date(2026, 12, 31)).map(str),
    )
)
@settings(max_examples=300)
def test_partial_date_sql_matches_python(sql: DuckDBEngine, text: str) -> None:
    try:
        normalise_partial_date(text, TODAY)
        ok = True
    except ValueError as exc:
        assert str(exc) == "impossible"
        ok = False
    bad = sql.scalar(
        f"SELECT {partial_date_impossible_sql('x', TODAY)} FROM (SELECT ? AS x)", [text]
    )
    assert bad is (not ok)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("1990", True),
        ("1990-05", True),
        ("1990-05-31", True),
        ("2025-06-15", True),
        ("2025-06-16", False),
        ("2025-07", False),
        ("2026", False),
        ("2023-02-30", False),
        ("1990-13", False),
        ("1899-12-31", False),
    ],
)
def test_partial_dates(text: str, ok: bool) -> None:
    if ok:
        assert normalise_partial_date(text, TODAY) == text
    else:
        with pytest.raises(ValueError, match="impossible"):
            normalise_partial_date(text, TODAY)


def test_partial_date_shape() -> None:
    with pytest.raises(ValueError, match="unparseable"):
        normalise_partial_date("02/01/1990", TODAY)
    assert normalise.normalise_text("  ") is None
    assert normalise.normalise_text(" a ") == " a "


_ENDS = st.sampled_from(["", " ", "\t", "\r\n", "\n", "\x0b\x0c", "\x01", "\u0301", "\u00a0"])
_BODY = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"))


@given(_ENDS, _BODY, _ENDS)
@settings(max_examples=400)
def test_sql_cleaning_trims_exactly_the_whitespace_ends(
    sql: DuckDBEngine, head: str, body: str, tail: str
) -> None:
    """The cheap 'plainly no whitespace at either end' test never skips a trim that was
    needed: combining marks, CR LF and non-breaking spaces at the ends included."""
    value = head + body + tail
    col = Column("x", Kind.FORCE)  # a kind cleaned by trimming
    got = sql.scalar(f"SELECT {_clean_expr(col, 'x')} FROM (SELECT ? AS x)", [value])
    assert got == (value.strip(normalise.WHITESPACE) or None)


def test_london_by_arithmetic_is_the_zone_database() -> None:
    """At every minute of every week around a clock change (and of each new year) from 1995
    to 2038, inside and outside the years the arithmetic covers."""
    engine = DuckDBEngine()
    try:
        minutes = (
            "SELECT d + INTERVAL 1 MINUTE * m AS ts FROM (SELECT CAST(range AS TIMESTAMP) AS d "
            "FROM range(TIMESTAMP '1994-12-25', TIMESTAMP '2039-01-08', INTERVAL 1 DAY)), "
            "range(0, 1440) AS t(m) WHERE (month(d) IN (3, 10) AND day(d) >= 24) "
            "OR (month(d) = 12 AND day(d) >= 30) OR (month(d) = 1 AND day(d) <= 2)"
        )
        n, differ = (
            engine.query(
                f"SELECT count(*) AS n, count(*) FILTER (WHERE ({london_utc_sql('ts')}) "
                f"IS DISTINCT FROM timezone('UTC', timezone('Europe/London', ts))) AS differ "
                f"FROM ({minutes})"
            )
            .to_pylist()[0]
            .values()
        )
    finally:
        engine.close()
    assert n > 1_200_000 and differ == 0
