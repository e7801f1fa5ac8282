"""Pure normalisation rules for the data contract's value kinds.

These functions are the reference definition of how a raw text value becomes a stored
value. Phone numbers are normalised here at load time (on the distinct raw values of a
file); times, names and dates are normalised in SQL over the whole file for speed
(`crossline.ingest.validate`), and the property tests check that SQL against these
functions. Each function raises `ValueError` whose message is the human-readable reason.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import phonenumbers

DEFAULT_REGION = "GB"
LONDON = ZoneInfo("Europe/London")

# ---------------------------------------------------------------------------------------
# Phone numbers

# The overwhelmingly common forms of a UK mobile: `07…`, `+447…`, `447…`, `00447…`, with
# spaces or hyphens anywhere. FAST_MOBILE_PATTERN is applied after removing those
# separators, in Python here and in SQL (validate.phone_fast_sql).
FAST_SEPARATORS = (" ", "-")
FAST_MOBILE_PATTERN = r"^(?:\+44|0044|44|0)(7[0-9]{9})$"
_FAST_MOBILE_RE = re.compile(FAST_MOBILE_PATTERN)
_LETTER_RE = re.compile(r"[^\W\d_]")  # any letter, in any script
_EXTENSION_RE = re.compile(r"(?:#|\b(?:ext|extn|extension|x)\.?)\s*[0-9]+\s*$", re.IGNORECASE)
_ALLOWED_RE = re.compile(r"[0-9+()\-./ \t]+")
_NATIONAL_ZERO_RE = re.compile(r"\(\s*0\s*\)")  # the "(0)" of "+44 (0)7700 900123"
_SEPARATORS_RE = re.compile(r"[()\-./ \t]")


def phone_fast_path(raw: str) -> str | None:
    """E.164 for a UK mobile in a common form, else None (then use phone_slow_path)."""
    for sep in FAST_SEPARATORS:
        raw = raw.replace(sep, "")
    m = _FAST_MOBILE_RE.fullmatch(raw)
    return "+44" + m.group(1) if m else None


def phone_slow_path(raw: str) -> str:
    """E.164 via the phonenumbers library, UK as the default region.

    Raises ValueError(reason) for letters, an extension, a value that does not parse or a
    number that is not possible for its country. Numbers in unallocated or reserved ranges
    (Ofcom's drama numbers) are possible, so they are accepted.
    """
    text = raw.strip()
    if not text:
        raise ValueError("empty")
    if _EXTENSION_RE.search(text):
        raise ValueError("has an extension")
    if _LETTER_RE.search(text):
        raise ValueError("contains letters")
    if not _ALLOWED_RE.fullmatch(text):
        raise ValueError("unexpected character")
    text = _NATIONAL_ZERO_RE.sub(" ", text)
    if "+" not in text:
        digits = _SEPARATORS_RE.sub("", text)
        # Digits starting 44 with no plus are an international number without its '+'.
        if digits.startswith("44"):
            text = "+" + digits
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"does not parse: {exc._msg}") from None
    if number.extension:
        raise ValueError("has an extension")
    if not phonenumbers.is_possible_number(number):
        raise ValueError("not a possible number")
    e164: str = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164


@lru_cache(maxsize=1 << 16)
def normalise_phone(raw: str) -> str:
    """A phone number in any usual UK or international form, as E.164 (`+447700900123`)."""
    fast = phone_fast_path(raw)
    return fast if fast is not None else phone_slow_path(raw)


def try_normalise_phone(raw: str) -> tuple[str | None, str | None]:
    """(e164, None) or (None, reason)."""
    try:
        return normalise_phone(raw), None
    except ValueError as exc:
        return None, str(exc)


# ---------------------------------------------------------------------------------------
# Times

# ISO 8601 date-time: date, 'T' or space, hh:mm[:ss[.fraction]], optional Z or offset.
# The same pattern is used by the SQL path (RE2 and Python agree on this subset).
ISO_TIME_PATTERN = (
    r"^(\d{4})-(\d{2})-(\d{2})[T ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,9}))?)?"
    r"(Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?$"
)
OFFSET_PATTERN = r"(Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)$"
_ISO_TIME_RE = re.compile(ISO_TIME_PATTERN, re.ASCII)


def normalise_time(raw: str) -> datetime:
    """An ISO 8601 time as a naive UTC datetime.

    With `Z` or an offset the instant is exact; without one the wall-clock time is read as
    Europe/London local time (fold=0: the first of two instants in the autumn hour that
    happens twice). Fractions of a second beyond microseconds are truncated.
    """
    m = _ISO_TIME_RE.fullmatch(raw.strip(WHITESPACE))
    if not m:
        raise ValueError("not an ISO 8601 time")
    y, mo, d, hh, mi, ss, frac, off = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    try:
        local = datetime(int(y), int(mo), int(d), int(hh), int(mi), int(ss or 0), micro)
    except ValueError:
        raise ValueError("not a calendar time") from None
    if off is None:
        aware = local.replace(tzinfo=LONDON)
    elif off == "Z":
        aware = local.replace(tzinfo=UTC)
    else:
        sign = -1 if off[0] == "-" else 1
        digits = off[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
        aware = local.replace(tzinfo=timezone(sign * timedelta(minutes=minutes)))
    return aware.astimezone(UTC).replace(tzinfo=None)


# ---------------------------------------------------------------------------------------
# Names and text

_WS_RUN_RE = re.compile(r"[ \t\n\r\f\v]+")
WHITESPACE = " \t\n\r\f\v"


def normalise_name(raw: str) -> str | None:
    """A person's name: surrounding whitespace trimmed, inner runs collapsed to one space.
    Empty after trimming is None (not known)."""
    out = _WS_RUN_RE.sub(" ", raw).strip(" ")
    return out or None


def normalise_text(raw: str) -> str | None:
    """Free text is stored verbatim; only a value that is all whitespace means not known."""
    return raw if raw.strip(WHITESPACE) else None


# ---------------------------------------------------------------------------------------
# Dates

PARTIAL_DATE_PATTERN = r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$"
DATE_PATTERN = r"^(\d{4})-(\d{2})-(\d{2})$"
_PARTIAL_DATE_RE = re.compile(PARTIAL_DATE_PATTERN, re.ASCII)
MIN_YEAR = 1900


def normalise_partial_date(raw: str, today: date) -> str:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checked to be a real date in [1900, today].

    Raises ValueError('unparseable') for another shape and ValueError('impossible') for a
    date that does not exist, is before 1900 or is after `today`.
    """
    text = raw.strip(WHITESPACE)
    m = _PARTIAL_DATE_RE.fullmatch(text)
    if not m:
        raise ValueError("unparseable")
    y, mo, d = m.groups()
    year = int(y)
    if year < MIN_YEAR:
        raise ValueError("impossible")
    if mo is None:
        if year > today.year:
            raise ValueError("impossible")
        return text
    month = int(mo)
    if not 1 <= month <= 12 or (year, month) > (today.year, today.month):
        raise ValueError("impossible")
    if d is None:
        return text
    try:
        day = date(year, month, int(d))
    except ValueError:
        raise ValueError("impossible") from None
    if day > today:
        raise ValueError("impossible")
    return text


# ---------------------------------------------------------------------------------------
# Other accepted forms, rewritten to the canonical ones before the rules above

# UK day-first dates (always day first: 02/01/2010 is 2 January) and `2 Jan 2010`.
UK_DATE_PATTERN = r"^(\d{1,2})/(\d{1,2})/(\d{4})$|^(\d{1,2}) ([A-Za-z]{3,9}) (\d{4})$"
UK_TIME_PATTERN = r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}(:\d{2})?$"
CLOCK_DURATION_PATTERN = r"^[0-9]{1,4}:[0-5][0-9](:[0-5][0-9])?$"
_UK_DATE_RE = re.compile(UK_DATE_PATTERN, re.ASCII)
_UK_TIME_RE = re.compile(UK_TIME_PATTERN, re.ASCII)
_CLOCK_RE = re.compile(CLOCK_DURATION_PATTERN, re.ASCII)
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_NUMBER = {
    **{m: i for i, m in enumerate(_MONTHS, 1)},
    **{m[:3]: i for i, m in enumerate(_MONTHS, 1)},
}


def uk_date_to_iso(raw: str) -> str:
    """`DD/MM/YYYY` or `D Mon YYYY` as `YYYY-MM-DD`; any other text as it is (value_sql's
    uk_date_sql is the SQL twin). A day that does not exist stays as written."""
    m = _UK_DATE_RE.fullmatch(raw)
    if not m:
        return raw
    if m.group(1) is not None:
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        month = _MONTH_NUMBER.get(m.group(5).lower())
        if month is None:
            return raw
        d, mo, y = int(m.group(4)), month, int(m.group(6))
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return raw


def uk_time_to_iso(raw: str) -> str:
    """`DD/MM/YYYY HH:MM[:SS]` as `YYYY-MM-DD HH:MM:SS` (still local time)."""
    if not _UK_TIME_RE.fullmatch(raw):
        return raw
    for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"):
        try:
            return datetime.strptime(raw, fmt).strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
    return raw


def clock_duration(raw: str) -> str:
    """`MM:SS` or `HH:MM:SS` as whole seconds; any other text as it is."""
    if not _CLOCK_RE.fullmatch(raw):
        return raw
    total = 0
    for part in raw.split(":"):
        total = total * 60 + int(part)
    return str(total)
