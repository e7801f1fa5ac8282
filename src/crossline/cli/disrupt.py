"""`crossline disrupt`: who to remove from a network an analyst brings as an edge list,
judged by the largest connected component left (Cavallaro et al. 2020's measure)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from crossline.analyse.disrupt.network import EdgeListError, parse_edges
from crossline.analyse.disrupt.strategies import raid, sequential
from crossline.cli.app import app
from crossline.cli.results import fail

STRATEGIES = {"sequential": sequential, "raid": raid}


@app.command()
def disrupt(
    edges: Annotated[
        Path, typer.Option("--edges", help="Edge list: two ids a line, optional weight.")
    ],
    removals: Annotated[int, typer.Option("--removals", help="How many to remove (K).")] = 5,
    strategy: Annotated[
        str,
        typer.Option(
            help="sequential: one arrest order (the first k for every k); raid: the best set "
            "of each size."
        ),
    ] = "sequential",
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Rank who to remove from a network: the share of its largest connected component
    left after each of 1..K removals, and who they are."""
    if strategy not in STRATEGIES:
        raise fail(f"--strategy must be one of {', '.join(STRATEGIES)}", 2)
    if removals < 1:
        raise fail("--removals must be at least 1", 2)
    if not edges.is_file():
        raise fail(f"no such edge list: {edges}", 2)
    try:
        with edges.open(encoding="utf-8-sig", errors="strict") as fh:
            net = parse_edges(fh)
    except (EdgeListError, UnicodeDecodeError) as exc:
        raise fail(f"{edges}: {exc}", 2) from exc
    plan = STRATEGIES[strategy](net, removals)
    names = net.names

    def named(x: int | list[int]) -> str | list[str]:
        return [names[i] for i in x] if isinstance(x, list) else names[x]

    removed = [named(x) for x in plan.removed]
    if as_json:
        print(json.dumps({"lcc": [round(f, 6) for f in plan.lcc], "removed": removed,
                          "method": plan.method}))  # fmt: skip
        return
    table = Table(title=f"{strategy} removal ({plan.method}): {len(names)} people, "
                  f"largest component {net.lcc}")  # fmt: skip
    table.add_column("k", justify="right")
    table.add_column("LCC left", justify="right")
    table.add_column("removed" if strategy == "sequential" else "the set of size k")
    for k, frac in enumerate(plan.lcc[1:], start=1):
        who = removed[k - 1]
        table.add_row(str(k), f"{frac:.3f}", ", ".join(who) if isinstance(who, list) else who)
    Console().print(table)
