"""Disruption on hand-made graphs with known answers, on the edge-list forms analysts
exchange, and on a real criminal network nobody here wrote (Montagna, Cavallaro et al.
2020), against the paper's own published curves."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from crossline.analyse.disrupt.network import EdgeListError, curve, parse_edges
from crossline.analyse.disrupt.strategies import centrality_order, raid, sequential
from crossline.cli import app

MONTAGNA = Path(__file__).resolve().parents[2] / "bench" / "data" / "montagna"
K = 10


def published(kind: str, net: str, column: str) -> list[float]:
    path = MONTAGNA / f"published_lcc_{kind}_unweighted_{net}.csv"
    with path.open(newline="") as fh:
        return [float(r[column]) for r in csv.DictReader(fh)]


def best_block(net: str) -> dict[int, float]:
    """k -> the paper's best block (raid) figure over its four centralities."""
    path = MONTAGNA / f"published_lcc_block_unweighted_{net}.csv"
    with path.open(newline="") as fh:
        return {
            int(r["No"]): min(float(v) for key, v in r.items() if key not in ("", "No"))
            for r in csv.DictReader(fh)
        }


def montagna(net: str):  # type: ignore[no-untyped-def]
    with (MONTAGNA / f"{net}_edgelist.tsv").open() as fh:
        return parse_edges(fh)


def test_two_triangles_and_a_bridge() -> None:
    # a-b-c triangle, x-y-z triangle, joined through m: m is the one to remove
    net = parse_edges(["a b", "b c", "c a", "c m", "m x", "x y", "y z", "z x"])
    assert net.lcc == 7
    order = centrality_order(net, 1, "betweenness")
    assert net.names[order[0]] == "m"
    assert curve(net, order) == [1.0, 3 / 7]
    plan = raid(net, 2)
    assert plan.lcc[1] == 3 / 7
    assert plan.lcc[2] == 2 / 7  # m and one corner of a triangle


@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(1, 9)),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from([" ", "\t", ",", "  "]),
    st.booleans(),
)
def test_any_usual_edge_list_form_reads_the_same_graph(
    rows: list[tuple[int, int, int]], sep: str, weighted: bool
) -> None:
    text = [sep.join(map(str, r if weighted else r[:2])) for r in rows]
    links = {frozenset((str(a), str(b))) for a, b, _ in rows if a != b}
    if not links:
        with pytest.raises(EdgeListError):
            parse_edges(text)
        return
    net = parse_edges(text)
    got = {frozenset((net.names[a], net.names[b])) for a, b in net.graph.get_edgelist()}
    assert got == links


def test_a_header_is_skipped_and_a_bad_weight_named() -> None:
    assert parse_edges(["caller,callee,calls", "1,2,3"]).graph.ecount() == 1
    with pytest.raises(EdgeListError, match="line 2"):
        parse_edges(["1 2 3", "2 3 lots"])


@pytest.mark.parametrize("net", ["phonecalls", "meetings"])
def test_sequential_betweenness_reproduces_the_paper(net: str) -> None:
    g = montagna(net)
    ours = curve(g, centrality_order(g, K, "betweenness"))
    paper = published("sequential", net, "Betweenness")[: K + 1]
    assert ours == pytest.approx(paper, abs=1e-9)


@pytest.mark.parametrize("net", ["phonecalls", "meetings"])
def test_our_arrest_order_is_never_worse_than_the_papers_betweenness(net: str) -> None:
    g = montagna(net)
    plan = sequential(g, 8)
    paper = published("sequential", net, "Betweenness")[:9]
    assert all(a <= b + 1e-9 for a, b in zip(plan.lcc, paper, strict=True))
    if net == "meetings":
        # lower somewhere; on the phone calls no order is (an exhaustive search over every
        # order held under the paper's curve to k = 8 finds only its own)
        assert any(a < b - 1e-9 for a, b in zip(plan.lcc, paper, strict=True))


def test_raid_beats_the_papers_targets() -> None:
    phone = raid(montagna("phonecalls"), K)
    # the bars, as the paper prints them (three places)
    assert round(phone.lcc[4], 3) <= 0.348 and round(phone.lcc[5], 3) <= 0.236
    for net, plan in (("phonecalls", phone), ("meetings", raid(montagna("meetings"), K))):
        block = best_block(net)
        for k in (5, 10):
            assert plan.lcc[k] <= block[k] + 1e-9, (net, k)
        assert all(len(s) == k for k, s in enumerate(plan.removed, start=1))


def test_the_command_prints_the_curve_as_json(tmp_path: Path) -> None:
    runner = CliRunner()
    edges = MONTAGNA / "phonecalls_edgelist.tsv"
    out = runner.invoke(app, ["disrupt", "--edges", str(edges), "--removals", "3", "--json"])
    assert out.exit_code == 0, out.output
    got = json.loads(out.output)
    assert got["lcc"][0] == 1.0 and len(got["lcc"]) == 4 and len(got["removed"]) == 3
    assert got["lcc"][1] == pytest.approx(0.764045, abs=1e-6)
    raid_out = runner.invoke(app, ["disrupt", "--edges", str(edges), "--removals", "2",
                                   "--strategy", "raid", "--json"])  # fmt: skip
    assert [len(s) for s in json.loads(raid_out.output)["removed"]] == [1, 2]
    bad = tmp_path / "bad.txt"
    bad.write_text("just one column\n")
    refused = runner.invoke(app, ["disrupt", "--edges", str(bad)])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
