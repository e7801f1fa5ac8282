"""Export cells that a spreadsheet would not run as formulas (OWASP "CSV injection").

Analysts open exports in Excel or LibreOffice; a cell beginning `=`, `+`, `-` or `@` (or a
tab or carriage return, which some spreadsheets skip before reading one) is taken as a
formula, so `=HYPERLINK(...)` in a nominal's address would run on an analyst's machine.
Such a cell is written with a leading `'`, which spreadsheets show as text. Numbers are
left alone: `-3.5` or `+44` as numbers are data, and a number cell cannot hold a formula.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower().lstrip("+-") not in ("inf", "infinity", "nan")


def safe_cell(value: T) -> T | str:
    """The value to write for a cell: text that starts like a formula, prefixed with `'`;
    anything else (numbers, text that is a number, empty cells) unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _is_number(value):
        return value
    return "'" + value
