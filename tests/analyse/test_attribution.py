"""Where a line is run from when no cell locates its controller: the force holding most of
its holders' records, and only with a clear majority."""

from __future__ import annotations

from dataclasses import dataclass, field

from crossline.analyse.lines.attribution import exporter_from_holders
from crossline.analyse.outputs import table_of
from crossline.model import evidence as ev
from crossline.model import outputs as o


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
