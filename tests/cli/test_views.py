"""The on-screen tables read in an 80-column terminal: no number, force name or reason
is folded mid-word, and a child runner's line carries the safeguarding flag."""

from __future__ import annotations

import re

import pyarrow as pa
from rich.console import Console

from crossline.cli.views import Wrapped, lines_table, safeguarding_summary
from crossline.model import schema as s

FORCES = ("greater-manchester", "devon-and-cornwall", "northamptonshire", "metropolitan")


def _render(table: object) -> str:
    console = Console(width=80, record=True, color_system=None)
    console.print(table)
    return console.export_text()


def test_line_register_reads_in_80_columns() -> None:
    register = pa.Table.from_pylist(
        [
            {
                "line_id": "CL-127CEEBC",
                "deal_numbers": f"+447580724195{s.LIST_SEP}+447580724196",
                "controller_number": "+447978762262",
                "runner_numbers": f"+447400000001{s.LIST_SEP}+447400000002",
                "customer_count": 75,
                "exporter_force": "greater-manchester",
                "importer_force": "devon-and-cornwall",
                "confidence": 0.94,
                "evidence": "broadcast bursts on 30 of 40 days",
                # the flag is a field: the view must not need the evidence's prose
                "safeguarding_flags": '[{"number": "+447400000001", "person_id": "PER-1", '
                '"flag": "child_runner", "referral": "both"}]',
            },
            {
                "line_id": "CL-A6801773",
                "deal_numbers": "+447942662111",
                "controller_number": None,
                "runner_numbers": "",
                "customer_count": 50,
                "exporter_force": "metropolitan",
                "importer_force": "northamptonshire",
                "confidence": 0.61,
                "evidence": "",
            },
        ]
    )
    text = _render(lines_table(register))
    assert max(len(line) for line in text.splitlines()) <= 80
    for whole in (*FORCES, "+447580724196", "+447978762262", "+447942662111"):
        assert whole in text
    child_row = text.splitlines().index(next(x for x in text.splitlines() if "CL-127CEEBC" in x))
    assert "child!" in text.splitlines()[child_row + 1]  # the flag stays with its line
    assert "+1 earlier" in text


def test_safeguarding_list_reads_in_80_columns() -> None:
    listed = pa.Table.from_pylist(
        [
            {
                "person_id": "PER-6a74349543d8",
                "age_at_last_event": 15,
                "reasons": f"child_runner{s.LIST_SEP}missing_episode_linked",
                "line_ids": "CL-A6801773",
                "forces": f"northamptonshire{s.LIST_SEP}metropolitan",
                "recommended_referral": "both",
            },
            {
                "person_id": "PER-74ffb8a9fecb",
                "age_at_last_event": 30,
                "reasons": f"cuckooed_address{s.LIST_SEP}line_phones_at_home",
                "line_ids": "CL-97688376",
                "forces": "devon-and-cornwall",
                "recommended_referral": "statutory_safeguarding",
            },
        ]
    )
    text = _render(safeguarding_summary(listed))
    assert max(len(line) for line in text.splitlines()) <= 80
    # a force or reason may break after a hyphen or underscore, never inside a word
    words = [
        w for r in listed.to_pylist() for w in re.split(r"[-_;]", r["forces"] + ";" + r["reasons"])
    ]
    for word in (*words, "statutory", "PER-6a74349543d8", "CL-A6801773"):
        assert word in text, word


def test_wrapped_breaks_only_after_a_separator() -> None:
    w = Wrapped(["devon-and-cornwall", "kent"], "-")
    assert w.lines(40) == ["devon-and-cornwall", "kent"]
    assert w.lines(12) == ["devon-and-", "  cornwall", "kent"]
    assert w.lines(6) == ["devon-", "  and-", "  cornwall", "kent"]  # a part never splits
