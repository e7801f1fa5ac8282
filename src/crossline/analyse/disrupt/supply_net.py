"""The supply network targeting works on: the lines' role entities (deal phones,
controllers, runners) with phones merged into the resolved persons who use them, so that
arresting a person removes every phone they hold. A line supplies its customers while one
of its deal vertices is connected to one of its controller vertices; customers hang off
the deal phone only, so they are a count per line, not vertices.

The graph falls apart into many small parts (a line, or the few lines one person joins):
a removal only changes its own part, so every measure is computed part by part, which is
what lets a national register (thousands of lines) be searched in seconds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import igraph as ig
import pyarrow as pa

from crossline.analyse.lines.build import Line
from crossline.model.vocab import SafeguardReason

SEP = ";"
PROTECTED = {
    SafeguardReason.CHILD_RUNNER.value,
    SafeguardReason.CHILD_LINE_CONTACT.value,
    SafeguardReason.RUNNER_AGE_UNKNOWN.value,
    SafeguardReason.CHILD_NAMED_HOLDER.value,  # a child whose records give the controller's phone
}


@dataclass
class Part:
    """One connected part of the network: its vertices (global ids), its own graph and
    lines, and the customers its lines reach with nothing removed."""

    vertices: list[int]
    graph: ig.Graph
    lines: list[str]
    base: int = 0


@dataclass
class SupplyNet:
    names: list[str]
    kinds: list[str]  # person | phone
    lines_of: list[set[str]]
    deals: dict[str, set[int]]  # line -> deal vertices
    controllers: dict[str, set[int]]  # line -> controller vertices (the deal's, if unknown)
    customers: dict[str, int]  # line -> customer count
    protected: set[int]  # children, possible children, runner phones on no one's record
    parts: list[Part] = field(default_factory=list)
    part_of: list[int] = field(default_factory=list)
    local: list[int] = field(default_factory=list)  # vertex -> its index in its part
    _memo: dict[tuple[int, frozenset[int]], int] = field(default_factory=dict, repr=False)

    @property
    def total(self) -> int:
        return sum(self.customers.values())

    def reach_part(self, p: int, gone: frozenset[int]) -> int:
        """Customers part `p`'s lines still reach with `gone` (global ids) removed."""
        key = (p, gone)
        if key in self._memo:
            return self._memo[key]
        part = self.parts[p]
        keep = [i for i, v in enumerate(part.vertices) if v not in gone]
        sub = part.graph.induced_subgraph(keep)
        comp = {part.vertices[i]: m for i, m in zip(keep, sub.connected_components().membership,
                                                     strict=True)}  # fmt: skip
        total = 0
        for line in part.lines:
            heads = {comp[c] for c in self.controllers[line] if c in comp}
            if any(comp.get(d) in heads for d in self.deals[line] if d in comp):
                total += self.customers[line]
        self._memo[key] = total
        return total

    def reachable(self, gone: Iterable[int]) -> int:
        """Customers, over all lines, still reachable from their line's controller."""
        touched: dict[int, set[int]] = defaultdict(set)
        for v in gone:
            touched[self.part_of[v]].add(v)
        total = sum(p.base for p in self.parts)
        for p, vs in touched.items():
            total -= self.parts[p].base - self.reach_part(p, frozenset(vs))
        return total

    def candidates(self) -> list[int]:
        return [v for v in range(len(self.names)) if v not in self.protected]

    def preference(self, v: int) -> int:
        """Between equal effects: a person who controls a line first (the line holder),
        then other persons, then phones (a number is replaced in a day; a holder is not)."""
        if self.kinds[v] == "phone":
            return 2
        controls = any(
            v in self.controllers[ln] and v not in self.deals[ln] for ln in self.lines_of[v]
        )
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
    net = SupplyNet(names, kinds, lines_of, deals, controllers, customers, protected)
    _split(net, ig.Graph(n=len(names), edges=sorted(edges)))
    return net


def _split(net: SupplyNet, graph: ig.Graph) -> None:
    net.part_of = [0] * graph.vcount()
    net.local = [0] * graph.vcount()
    for p, members in enumerate(graph.connected_components()):
        for i, v in enumerate(members):
            net.part_of[v], net.local[v] = p, i
        lines = sorted({ln for v in members for ln in net.lines_of[v]})
        net.parts.append(Part(list(members), graph.induced_subgraph(members), lines))
    for p, part in enumerate(net.parts):
        part.base = net.reach_part(p, frozenset())
