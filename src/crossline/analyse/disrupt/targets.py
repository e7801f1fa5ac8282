"""Whom to target: the people (or phones no record names) whose removal most reduces the
lines' ability to supply, measured as the share of their customers still reachable from a
controller through the lines' own phones. Line holders are the target (NPCC: "the Line
Holders - those controlling the lines"); the network is built from the register (deal
phone, controller, runners, customers) with phones merged into the resolved persons who
use them, so arresting a person removes every phone they hold.

A child is never a target, nor a runner whose age no force knows or whom no record names:
they appear as people to safeguard, with the effect their safeguarding would have on the
lines stated instead. Degree, betweenness and a search over removal sets are compared on
the same network; the list follows whichever leaves fewest customers in reach."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from crossline.analyse.disrupt.supply_net import SEP, SupplyNet, supply_net
from crossline.analyse.lines.build import Line
from crossline.analyse.outputs import table_of
from crossline.model import outputs as o

# the search's pool on a large register: the candidates whose own removal cuts most
SEARCH_POOL = 60


@dataclass(frozen=True)
class Targeting:
    order: list[int]  # the winning strategy's removals, first target first
    curves: dict[str, list[float]]  # strategy -> [1.0, share left after 1, ..., after K]
    winner: str
    table: pa.Table  # the targets export (model/outputs.py TARGETS)


def _part_scores(net: SupplyNet, p: int, gone: set[int], measure: str) -> dict[int, float]:
    """Centrality of part `p`'s remaining vertices: only the part a removal touched needs
    its scores again."""
    part = net.parts[p]
    keep = [i for i, v in enumerate(part.vertices) if v not in gone]
    sub = part.graph.induced_subgraph(keep)
    raw = sub.betweenness(directed=False) if measure == "betweenness" else sub.degree()
    return {part.vertices[i]: round(float(x), 9) for i, x in zip(keep, raw, strict=True)}


def _greedy_order(net: SupplyNet, k: int, measure: str) -> list[int]:
    """Remove the most central candidate by `measure`, recompute, repeat."""
    pool = set(net.candidates())
    score: dict[int, float] = {}
    for p in range(len(net.parts)):
        score.update(_part_scores(net, p, set(), measure))
    order: list[int] = []
    for _ in range(min(k, len(pool))):
        best = max(sorted(pool), key=lambda v: (score[v], -net.preference(v), -v))
        order.append(best)
        pool.discard(best)
        p = net.part_of[best]
        score.pop(best, None)
        score.update(_part_scores(net, p, set(order), measure))
    return order


def _search_order(net: SupplyNet, k: int, beam: int) -> list[int]:
    """Beam search over arrest orders, minimising the customers left in reach summed over
    the steps (so early targets count most). On a large register the pool is the
    candidates whose own removal cuts most."""
    base = net.reachable(())
    pool = net.candidates()
    if len(pool) > SEARCH_POOL:
        cut = {v: base - net.reachable((v,)) for v in pool}
        pool = sorted(pool, key=lambda v: (-cut[v], net.preference(v), v))[:SEARCH_POOL]
    states: list[tuple[int, int, tuple[int, ...]]] = [(0, 0, ())]
    for _ in range(min(k, len(pool))):
        seen: dict[frozenset[int], tuple[int, int, tuple[int, ...]]] = {}
        for area, pref, order in states:
            for v in pool:
                if v in order:
                    continue
                key = frozenset((*order, v))
                state = (area + net.reachable(key), pref + net.preference(v), (*order, v))
                if key not in seen or state < seen[key]:
                    seen[key] = state
        states = sorted(seen.values())[:beam]
    return list(min(states)[2]) if states and states[0][2] else []


def _curve(net: SupplyNet, order: list[int]) -> list[float]:
    total = net.total or 1
    return [1.0] + [net.reachable(order[: i + 1]) / total for i in range(len(order))]


def targeting(
    lines: list[Line], phone_persons: pa.Table, listed: pa.Table, k: int = 10, beam: int = 8
) -> Targeting:
    net = supply_net(lines, phone_persons, listed)
    orders = {
        "degree": _greedy_order(net, k, "degree"),
        "betweenness": _greedy_order(net, k, "betweenness"),
    }
    orders["search"] = _search_order(net, k, beam)
    curves = {m: _curve(net, o) for m, o in orders.items()}
    rank = {m: i for i, m in enumerate(orders)}
    winner = min(curves, key=lambda m: (sum(curves[m]), rank[m]))
    return Targeting(orders[winner], curves, winner, _table(net, orders[winner], winner))


def _table(net: SupplyNet, order: list[int], winner: str) -> pa.Table:
    total = net.total or 1
    rows = []
    left = total
    for i, v in enumerate(order, start=1):
        now = net.reachable(order[:i])
        if now == left:
            break  # nothing more to cut: the rest would be noise, not targets
        roles = _roles(net, v)
        rows.append(
            {
                "rank": i,
                "entity": net.names[v],
                "kind": net.kinds[v],
                "line_ids": SEP.join(sorted(net.lines_of[v])),
                "expected_effect": round((left - now) / total, 6),
                "reasons": f"{roles}; removing ranks 1-{i} leaves {now} of {total} customers "
                f"in reach of a controller (-{left - now}); chosen by {winner}",
            }
        )
        left = now
    base = net.reachable(())
    for v in sorted(net.protected, key=lambda v: net.names[v]):
        if not net.lines_of[v]:
            continue
        cut = base - net.reachable({v})
        who = (
            f"the user of runner phone {net.names[v]} (on no one's record)"
            if net.kinds[v] == "phone"
            else net.names[v]
        )
        rows.append(
            {
                "rank": None,
                "entity": net.names[v],
                "kind": "safeguard",
                "line_ids": SEP.join(sorted(net.lines_of[v])),
                "expected_effect": round(cut / total, 6),
                "reasons": f"a child or possible child: never a target. Safeguarding {who} "
                f"takes them out of {SEP.join(sorted(net.lines_of[v]))}"
                + (f" and cuts {cut} customers from a controller" if cut else ""),
            }
        )
    return table_of(o.TARGETS, rows)


def _roles(net: SupplyNet, v: int) -> str:
    parts = []
    for line in sorted(net.lines_of[v]):
        if v in net.controllers[line] and v not in net.deals[line]:
            parts.append(f"controls {line}")
        elif v in net.deals[line]:
            parts.append(f"holds the deal phone of {line}")
        else:
            parts.append(f"runs for {line}")
    return ", ".join(parts)
