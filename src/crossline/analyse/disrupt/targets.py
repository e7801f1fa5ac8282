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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import igraph as ig
import pyarrow as pa

from crossline.analyse.lines.build import Line
from crossline.analyse.outputs import table_of
from crossline.model import outputs as o
from crossline.model.vocab import SafeguardReason

SEP = ";"
PROTECTED = {
    SafeguardReason.CHILD_RUNNER.value,
    SafeguardReason.CHILD_LINE_CONTACT.value,
    SafeguardReason.RUNNER_AGE_UNKNOWN.value,
}


@dataclass
class SupplyNet:
    """Vertices are the lines' role entities (a person id, or a phone on no one's record:
    deal phones, controllers, runners). A line supplies its customers while one of its
    deal vertices is connected to one of its controller vertices; customers only hang off
    the deal phone, so they are a count per line, not vertices."""

    graph: ig.Graph
    names: list[str]
    kinds: list[str]  # person | phone
    lines_of: list[set[str]]
    deals: dict[str, set[int]]  # line -> deal vertices
    controllers: dict[str, set[int]]  # line -> controller vertices (the deal's, if unknown)
    customers: dict[str, int]  # line -> customer count
    protected: set[int] = field(default_factory=set)  # children, unknown age, unnamed runners

    @property
    def total(self) -> int:
        return sum(self.customers.values())

    def reachable(self, gone: Iterable[int]) -> int:
        """Customers, over all lines, still reachable from their line's controller."""
        removed = set(gone)
        keep = [v for v in range(self.graph.vcount()) if v not in removed]
        sub = self.graph.induced_subgraph(keep)
        comp = dict(zip(keep, sub.connected_components().membership, strict=True))
        total = 0
        for line, n in self.customers.items():
            heads = {comp[c] for c in self.controllers[line] if c in comp}
            if any(comp.get(d) in heads for d in self.deals[line] if d in comp):
                total += n
        return total

    def candidates(self) -> list[int]:
        return [v for v in range(len(self.names)) if v not in self.protected]

    def preference(self, v: int) -> int:
        """Between equal effects: a person who controls a line first (the line holder),
        then other persons, then phones (a number is replaced in a day; a holder is not)."""
        if self.kinds[v] == "phone":
            return 2
        controls = any(v in c and v not in self.deals[ln] for ln, c in self.controllers.items())
        return 0 if controls else 1


def supply_net(lines: list[Line], phone_persons: pa.Table, listed: pa.Table) -> SupplyNet:
    owner: dict[str, set[str]] = defaultdict(set)
    for r in phone_persons.select(["number", "person_id"]).to_pylist():
        owner[r["number"]].add(r["person_id"])
    reasons = {r["person_id"]: set(r["reasons"].split(SEP)) for r in listed.to_pylist()}
    index: dict[str, int] = {}
    names: list[str] = []
    kinds: list[str] = []
    lines_of: list[set[str]] = []

    def vertex(number: str) -> list[int]:
        who = [(p, "person") for p in sorted(owner.get(number, ()))] or [(number, "phone")]
        out = []
        for name, kind in who:
            if name not in index:
                index[name] = len(names)
                names.append(name)
                kinds.append(kind)
                lines_of.append(set())
            out.append(index[name])
        return out

    edges: set[tuple[int, int]] = set()
    deals: dict[str, set[int]] = {}
    controllers: dict[str, set[int]] = {}
    customers: dict[str, int] = {}
    protected: set[int] = set()

    def link(a: list[int], b: list[int]) -> None:
        edges.update((min(x, y), max(x, y)) for x in a for y in b if x != y)

    for ln in lines:
        deal = [v for d in ln.deals for v in vertex(d.number)]
        head = vertex(ln.controller) if ln.controller else deal
        link(head, deal)
        for number in ln.runners:
            runner = vertex(number)
            link(runner, head)
            link(runner, deal)
            # a runner phone on no one's record may be a child's: safeguard, never target
            protected.update(v for v in runner if kinds[v] == "phone")
            for v in runner:
                lines_of[v].add(ln.line_id)
        for v in {*deal, *head}:
            lines_of[v].add(ln.line_id)
        deals[ln.line_id], controllers[ln.line_id] = set(deal), set(head)
        customers[ln.line_id] = len(ln.customers)
    protected |= {i for i, n in enumerate(names) if PROTECTED & reasons.get(n, set())}
    graph = ig.Graph(n=len(names), edges=sorted(edges))
    return SupplyNet(graph, names, kinds, lines_of, deals, controllers, customers, protected)


@dataclass(frozen=True)
class Targeting:
    order: list[int]  # the winning strategy's removals, first target first
    curves: dict[str, list[float]]  # strategy -> [1.0, share left after 1, ..., after K]
    winner: str
    table: pa.Table  # the targets export (model/outputs.py TARGETS)


def _greedy_order(net: SupplyNet, k: int, measure: str) -> list[int]:
    """Remove the most central candidate by `measure`, recompute, repeat."""
    order: list[int] = []
    pool = set(net.candidates())
    for _ in range(min(k, len(pool))):
        keep = [v for v in range(net.graph.vcount()) if v not in order]
        sub = net.graph.induced_subgraph(keep)
        raw = sub.betweenness(directed=False) if measure == "betweenness" else sub.degree()
        score = dict(zip(keep, raw, strict=True))
        best = max(sorted(pool), key=lambda v: (round(float(score[v]), 9), -net.preference(v), -v))
        order.append(best)
        pool.discard(best)
    return order


def _search_order(net: SupplyNet, k: int, beam: int) -> list[int]:
    """Beam search over arrest orders, minimising the customers left in reach summed over
    the steps (so early targets count most)."""
    pool = net.candidates()
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
    # the search costs candidates x beam evaluations a step: national registers use the
    # centrality orders' own candidates as its pool
    if len(net.candidates()) <= 400:
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
