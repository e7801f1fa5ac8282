"""The declared outputs (model/outputs.py) against the data contract's own tables
(docs/data-contract.md, "Exports"): a column added, dropped or moved on either side
fails here."""

from __future__ import annotations

import re

import pytest

from crossline.model import outputs as o
from tests.contract import contract_columns


@pytest.mark.parametrize("spec", list(o.EXPORTS.values()), ids=list(o.EXPORTS))
def test_exports_are_the_contracts_columns_in_order(spec: o.OutputSpec) -> None:
    assert spec.export_columns == contract_columns(spec.file)


def test_the_contract_parser_reads_a_table() -> None:
    # the parser itself must see the register's table, or the test above proves nothing
    cols = contract_columns("lines.csv")
    assert cols[:4] == ("line_id", "deal_numbers", "first_seen", "last_seen")
    assert len(cols) >= 10


def test_stored_extras_are_json_and_not_exported() -> None:
    for spec in (*o.EXPORTS.values(), o.PHONE_PERSONS):
        extras = [c for c in spec.columns if not c.exported]
        assert all(c.kind is o.OutKind.JSON for c in extras), spec.name
        assert len(set(spec.column_names)) == len(spec.column_names)
        assert re.fullmatch(r"[a-z_]+\.csv", spec.file)
