"""Disruption benchmark: the Montagna curves beside the paper's (Cavallaro et al. 2020),
and `disrupt` on a 100,000-person network beside the degree order measured in the same
run.

    .venv/bin/python bench/disrupt.py [--nodes 100000] [--removals 10]

Prints markdown tables for docs/quality.md and docs/performance.md."""

from __future__ import annotations

import argparse
import csv
import time
from datetime import UTC, datetime
from pathlib import Path

import igraph as ig

from crossline.analyse.disrupt.network import Network, curve, parse_edges
from crossline.analyse.disrupt.strategies import centrality_order, raid, sequential

DATA = Path(__file__).resolve().parent / "data" / "montagna"


def _published(kind: str, net: str) -> dict[str, list[float]]:
    with (DATA / f"published_lcc_{kind}_unweighted_{net}.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {c: [float(r[c]) for r in rows] for c in rows[0] if c not in ("", "No")} | {
        "No": [float(r["No"]) for r in rows]
    }


def montagna(k: int) -> None:
    for net in ("phonecalls", "meetings"):
        with (DATA / f"{net}_edgelist.tsv").open() as fh:
            g = parse_edges(fh)
        paper = _published("sequential", net)
        block = _published("block", net)
        t0 = time.perf_counter()
        seq = sequential(g, k)
        t1 = time.perf_counter()
        rd = raid(g, k)
        t2 = time.perf_counter()
        ours_b = curve(g, centrality_order(g, k, "betweenness"))
        print(f"\n### {net} ({g.graph.vcount()} people, LCC {g.lcc})\n")
        print("| removed | paper betweenness | ours, betweenness | ours, sequential | "
              "paper best block | ours, raid |")  # fmt: skip
        print("|---|---|---|---|---|---|")
        best_block = {
            int(n): min(v[i] for c, v in block.items() if c != "No")
            for i, n in enumerate(block["No"])
        }
        for i in range(1, k + 1):
            bb = f"{best_block[i]:.3f}" if i in best_block else ""
            print(f"| {i} | {paper['Betweenness'][i]:.3f} | {ours_b[i]:.3f} | {seq.lcc[i]:.3f} | "
                  f"{bb} | {rd.lcc[i]:.3f} |")  # fmt: skip
        print(f"\nsequential by {seq.method} in {t1 - t0:.1f} s; raid in {t2 - t1:.1f} s")


def scale(nodes: int, k: int) -> None:
    g = ig.Graph.Barabasi(nodes, 2, directed=False).simplify()
    net = Network(g, tuple(str(i) for i in range(g.vcount())))
    print(f"\n### {nodes:,} people, {g.ecount():,} ties (Barabasi-Albert, m=2), k = {k}\n")
    print("| what | seconds | LCC left after k |")
    print("|---|---|---|")
    t0 = time.perf_counter()
    order = centrality_order(net, k, "degree")
    base = curve(net, order)
    t1 = time.perf_counter()
    print(f"| degree order (peer) | {t1 - t0:.1f} | {base[-1]:.4f} |")
    for name, fn in (("disrupt sequential", sequential), ("disrupt raid", raid)):
        t0 = time.perf_counter()
        plan = fn(net, k)
        print(f"| {name} | {time.perf_counter() - t0:.1f} | {plan.lcc[-1]:.4f} |")


def register(n_lines: int) -> None:
    """`targets` on a national-size register: n_lines lines, every second controller
    running two lines, three runners each (two on a record), 15-300 customers."""
    import random

    import pyarrow as pa

    from crossline.analyse.disrupt.targets import targeting
    from crossline.analyse.lines.build import Line
    from crossline.analyse.lines.classify import DealNumber

    rng = random.Random(1)
    t = datetime(2026, 3, 1, tzinfo=UTC)
    lines, who = [], []
    for i in range(n_lines):
        deal, ctl = f"+44770{i:06d}", f"+44771{i // 2:06d}"
        runners = [f"+44772{i:04d}{j:02d}" for j in range(3)]
        n = rng.randint(15, 300)
        d = DealNumber(deal, t, t, 1, 1, 0, n, n, n, 0.9, "")
        custs = {f"+44773{i:04d}{c:03d}" for c in range(n)}
        lines.append(Line(f"L{i}", [d], custs, ctl, runners, "a", "b", 0.9, ""))
        who += [(ctl, f"P-C{i // 2}")] + [(r, f"P-R{r}") for r in runners[:2]]
    phones = pa.table({"number": [a for a, _ in who], "person_id": [b for _, b in who]})
    listed = pa.table(
        {"person_id": pa.array([], pa.string()), "reasons": pa.array([], pa.string())}
    )
    t0 = time.perf_counter()
    got = targeting(lines, phones, listed)
    print(f"\n### targets on a {n_lines:,}-line register\n")
    print(f"{time.perf_counter() - t0:.1f} s; winner {got.winner}; customers in reach after 10: "
          + ", ".join(f"{m} {c[-1]:.4f}" for m, c in got.curves.items()))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--removals", type=int, default=10)
    args = ap.parse_args()
    montagna(args.removals)
    scale(args.nodes, args.removals)
    register(2_000)


if __name__ == "__main__":
    main()
