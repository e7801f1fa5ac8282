"""Targets on hand-made registers whose answer can be stated: the person who controls two
lines is the first target; a child who runs a line is never a target but is listed to
safeguard, with the effect of safeguarding them."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from crossline.analyse.disrupt.targets import supply_net, targeting
from crossline.analyse.lines.build import Line
from crossline.analyse.lines.classify import DealNumber

T = datetime(2026, 3, 1, tzinfo=UTC)


def line(lid: str, deal: str, controller: str | None, runners: list[str], n: int) -> Line:
    d = DealNumber(deal, T, T, 1, 1, 0, n, n, n, 0.9, "")
    custs = {f"+4477009{lid[-1]}{i:04d}" for i in range(n)}
    return Line(lid, [d], custs, controller, runners, "a", "b", 0.9, "")


def phones(rows: list[tuple[str, str]]) -> pa.Table:
    return pa.table({"number": [n for n, _ in rows], "person_id": [p for _, p in rows]})


def listed(rows: list[tuple[str, str]]) -> pa.Table:
    return pa.table({"person_id": [p for p, _ in rows], "reasons": [r for _, r in rows]})


def test_the_holder_of_two_lines_goes_first_and_a_child_runner_is_safeguarded() -> None:
    lines = [
        line("L1", "+447700900001", "+447700900011", ["+447700900021"], 50),
        line("L2", "+447700900002", "+447700900012", ["+447700900022"], 40),
        line("L3", "+447700900003", "+447700900013", [], 30),
    ]
    who = phones(
        [
            ("+447700900011", "P-BOSS"),  # one person controls L1 and L2 on two phones
            ("+447700900012", "P-BOSS"),
            ("+447700900013", "P-OTHER"),
            ("+447700900021", "P-CHILD"),
            ("+447700900022", "P-ADULT"),
        ]
    )
    kids = listed([("P-CHILD", "child_runner")])
    got = targeting(lines, who, kids, k=3)
    rows = got.table.to_pylist()
    ranked = [r for r in rows if r["rank"] is not None]
    assert ranked[0]["entity"] == "P-BOSS" and ranked[0]["line_ids"] == "L1;L2"
    assert ranked[0]["expected_effect"] == 90 / 120
    assert ranked[1]["entity"] == "P-OTHER"
    assert "P-CHILD" not in {r["entity"] for r in ranked}
    (child,) = [r for r in rows if r["entity"] == "P-CHILD"]
    assert (
        child["kind"] == "safeguard"
        and child["rank"] is None
        and "never a target" in child["reasons"]
    )
    assert set(got.curves) == {"degree", "betweenness", "search"}
    assert got.curves[got.winner][-1] == min(c[-1] for c in got.curves.values())


def test_a_runner_phone_on_no_ones_record_is_never_a_target() -> None:
    lines = [line("L1", "+447700900001", None, ["+447700900021"], 10)]
    net = supply_net(lines, phones([]), listed([]))
    runner = net.names.index("+447700900021")
    assert runner in net.protected and runner not in net.candidates()
    rows = targeting(lines, phones([]), listed([]), k=2).table.to_pylist()
    assert rows[0]["entity"] == "+447700900001" and rows[0]["kind"] == "phone"
    assert rows[0]["expected_effect"] == 1.0
    assert [r["kind"] for r in rows[1:]] == ["safeguard"]


def test_a_child_named_as_a_lines_holder_is_never_a_target() -> None:
    lines = [line("L1", "+447700900001", "+447700900011", [], 20)]
    who = phones([("+447700900011", "P-KID"), ("+447700900001", "P-KID")])
    rows = targeting(lines, who, listed([("P-KID", "child_named_holder")]), k=2).table.to_pylist()
    assert [r["kind"] for r in rows if r["entity"] == "P-KID"] == ["safeguard"]
    assert all(r["entity"] != "P-KID" for r in rows if r["rank"] is not None)
