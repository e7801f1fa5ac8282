"""Spreadsheet-injection neutralising for export cells (to be wired into the exporter)."""

from __future__ import annotations

import pytest

from crossline.model.csv_safe import safe_cell


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-inf", "'-inf"),
    ],
)
def test_formula_like_text_is_prefixed(cell: str, written: str) -> None:
    assert safe_cell(cell) == written


@pytest.mark.parametrize("cell", ["-3.5", "+44", "-1", "12", "plain", "", "a=b", "+447700900123"])
def test_numbers_and_plain_text_are_unchanged(cell: str) -> None:
    assert safe_cell(cell) == cell


@pytest.mark.parametrize("value", [-3, 2.5, None, 0])
def test_non_text_is_unchanged(value: object) -> None:
    assert safe_cell(value) == value
