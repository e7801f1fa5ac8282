"""Where a line is run from when no cell locates its controller: the force holding most of
its holders' records, or else of the records where its number is registered, and only
with a clear majority."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pytest

from crossline.analyse.lines.attribution import exporter_from_holders, shares_in
from crossline.analyse.lines.registration import exporter_from_registration
from crossline.analyse.outputs import table_of
from crossline.engine.duckdb import DuckDBEngine
from crossline.model import evidence as ev
from crossline.model import outputs as o
from crossline.model import schema as s
from tests.conftest import on_engine


@dataclass
class Known:
    records: set[tuple[str, str]] = field(default_factory=set)


def row(
    line_id: str, holders: str, exporter: str = "", importer: str = "kent"
) -> dict[str, object]:
    return {
        "line_id": line_id,
        "deal_numbers": "+447700900001",
        "controller_number": "+447700900009",
        "holder_nominal_ids": holders,
        "exporter_force": exporter,
        "importer_force": importer,
        "line_scope": "" if not exporter else ("local" if exporter == importer else "county"),
        "evidence": "deal line",
        o.EVIDENCE_FACTORS.name: ev.to_json([]),
    }


def test_holders_records_place_the_exporter_only_with_a_clear_majority() -> None:
    people = {
        "P-met": Known({("metropolitan", "N1"), ("metropolitan", "N2"), ("kent", "N7")}),
        "P-kent": Known({("kent", "N3")}),
        "P-split": Known({("metropolitan", "N4"), ("kent", "N5")}),
    }
    register = table_of(o.LINE_REGISTER, [
        row("L1", "P-met"),                      # two of three in the Met: county from there
        row("L2", "P-kent"),                     # known only where it sells: local
        row("L3", "P-split"),                    # one each: no majority, no claim
        row("L4", ""),                           # no holder named: nothing to go on
        row("L5", "P-kent", exporter="essex"),   # a cell located the controller: kept
    ])  # fmt: skip
    out = {r["line_id"]: r for r in exporter_from_holders(register, people).to_pylist()}
    assert (out["L1"]["exporter_force"], out["L1"]["line_scope"]) == ("metropolitan", "county")
    assert (out["L2"]["exporter_force"], out["L2"]["line_scope"]) == ("kent", "local")
    for lid in ("L3", "L4"):
        assert (out[lid]["exporter_force"], out[lid]["line_scope"]) == ("", "")
    assert (out["L5"]["exporter_force"], out["L5"]["line_scope"]) == ("essex", "county")
    (factor,) = ev.from_json(out["L1"][o.EVIDENCE_FACTORS.name])
    assert factor.name == "exporter_from_holder_records" and factor.subject == "metropolitan"
    assert "holds 2 of the 3 nominal record(s)" in factor.text
    assert factor.text in out["L1"]["evidence"]
    assert ev.from_json(out["L3"][o.EVIDENCE_FACTORS.name]) == []


def test_a_registered_address_places_the_exporter_where_nothing_else_does(
    tmp_path: Path, engine_kind: str, request: pytest.FixtureRequest
) -> None:
    """The controller number's registration, placed by the forces' own records: the
    postcode district first, then the town; a clear majority of at least three records."""
    duck = DuckDBEngine(tmp_path / "store.duckdb")
    noms = [("merseyside", "L15 4AB", "1 Park Road, Liverpool")] * 3
    noms += [("cheshire", "L15 9ZZ", "4 Mill Lane, Liverpool")]  # one across the border
    noms += [("kent", "CT9 1AA", "2 High Street, Margate")] * 2  # too few to read
    noms += [("west-midlands", "", "9 Soho Road, Birmingham")] * 3
    duck.replace_table(
        s.NOMINALS.name,
        pa.Table.from_pylist(
            [
                {s.RECORD_ID: f"N{i}", s.FORCE: f, s.POSTCODE: pc, s.ADDRESS: a}
                for i, (f, pc, a) in enumerate(noms)
            ]
        ),
    )
    subs = [
        ("+447700900011", "148 The Crescent, Liverpool", "L15 4OX"),  # district L15: Merseyside
        ("+447700900012", "7 Church Street, Birmingham", ""),  # no postcode: the town
        ("+447700900013", "3 Sea Road, Margate", "CT9 2BB"),  # two records only: no claim
    ]
    duck.replace_table(
        s.SUBSCRIBERS.name,
        pa.Table.from_pylist(
            [{s.NUMBER: n, s.REGISTERED_ADDRESS: a, s.POSTCODE: pc} for n, a, pc in subs]
        ),
    )
    register = table_of(o.LINE_REGISTER, [
        dict(row("L1", ""), controller_number="+447700900011", importer_force="cheshire"),
        dict(row("L2", ""), controller_number="+447700900012", importer_force="west-midlands"),
        dict(row("L3", ""), controller_number="+447700900013"),
        dict(row("L4", "", exporter="essex"), controller_number="+447700900011"),  # kept
        dict(row("L5", ""), controller_number="+447700900099"),  # not registered
    ])  # fmt: skip
    try:
        on = on_engine(duck, engine_kind, tmp_path / "spark", request)
        out = {r["line_id"]: r for r in exporter_from_registration(on, register).to_pylist()}
    finally:
        duck.close()
    assert (out["L1"]["exporter_force"], out["L1"]["line_scope"]) == ("merseyside", "county")
    assert (out["L2"]["exporter_force"], out["L2"]["line_scope"]) == ("west-midlands", "local")
    for lid in ("L3", "L5"):
        assert (out[lid]["exporter_force"], out[lid]["line_scope"]) == ("", "")
    assert out["L4"]["exporter_force"] == "essex"
    (factor,) = ev.from_json(out["L1"][o.EVIDENCE_FACTORS.name])
    assert factor.name == "exporter_from_registration" and factor.subject == "merseyside"
    assert "postcode district L15" in factor.text and "3 of 4" in factor.text
    assert "weak" in out["L1"]["evidence"]


def test_a_number_no_cell_places_has_no_share_not_a_share_of_nought() -> None:
    """Unknown is not outside the area: read as 0.0, a controller with no located record
    was taken for one located away from the importer area (no runners named without
    cells.csv)."""
    seen = {"+447700900001": Counter({"kent": 3, "essex": 1})}
    shares = shares_in(seen, "kent", {"+447700900001", "+447700900002"})
    assert shares == {"+447700900001": 0.75}
    cells_withheld = shares_in({}, "kent", {"+447700900001"})
    assert cells_withheld == {}
