"""A network to disrupt, read from an edge list as analysts exchange them (whitespace,
tab or comma separated, an optional third weight column), and the one measure every
strategy is judged by: the largest connected component left after removals, as a share
of the starting one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import igraph as ig
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

SMALL = 2_000  # up to this many people, igraph counts components faster
_SPLIT = re.compile(r"[,\t ]+")


class EdgeListError(ValueError):
    """The text is not an edge list; the message names the line and why."""


class _Edges:
    """The graph as edge arrays, so the components left by a removal set cost a few
    vectorised passes (scipy's connected_components) rather than a new igraph graph."""

    def __init__(self, g: ig.Graph) -> None:
        pairs = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        self.n = g.vcount()
        self.u, self.v = pairs[:, 0], pairs[:, 1]

    def components(self, gone: frozenset[int]) -> tuple[int, int, list[int]]:
        """(largest component, sum of squared component sizes, the largest's vertices)."""
        keep = np.ones(self.n, dtype=bool)
        if gone:
            keep[list(gone)] = False
        if not keep.any():
            return 0, 0, []
        e = keep[self.u] & keep[self.v]
        m = sparse.coo_matrix(
            (np.ones(int(e.sum()), dtype=np.int8), (self.u[e], self.v[e])), shape=(self.n, self.n)
        )
        _, label = connected_components(m, directed=False)
        label = label[keep]
        sizes = np.bincount(label)
        big = int(np.argmax(sizes))
        inside = np.flatnonzero(keep)[label == big]
        return int(sizes[big]), int((sizes.astype(np.int64) ** 2).sum()), inside.tolist()


@dataclass(frozen=True)
class Network:
    """An undirected simple graph; vertex i is `names[i]`, in order of first appearance
    (ties between equally central people are broken in that order, as networkx does)."""

    graph: ig.Graph
    names: tuple[str, ...]

    @property
    def lcc(self) -> int:
        return largest_component(self.graph)

    @cached_property
    def degrees(self) -> list[int]:
        return list(self.graph.degree())

    @cached_property
    def _edges(self) -> _Edges:
        return _Edges(self.graph)

    def components(self, gone: frozenset[int]) -> tuple[int, int, list[int]]:
        """(largest component, sum of squared component sizes, the largest's vertices)
        once `gone` is removed: igraph for a small network, edge arrays for a large one
        (a new igraph graph per removal set costs more than the count itself)."""
        if self.graph.vcount() > SMALL:
            return self._edges.components(gone)
        keep = [v for v in range(self.graph.vcount()) if v not in gone]
        sub = self.graph.induced_subgraph(keep)
        if sub.vcount() == 0:
            return 0, 0, []
        cc = sub.connected_components()
        sizes = cc.sizes()
        big = max(range(len(sizes)), key=lambda i: (sizes[i], -i))
        return sizes[big], sum(x * x for x in sizes), sorted(keep[v] for v in cc[big])


def parse_edges(lines: Iterable[str]) -> Network:
    """Edges from text lines: `a b`, `a<TAB>b<TAB>w` or `a,b,w`. Blank lines and lines
    starting with # are skipped, and so is one header line whose weight column is not a
    number; self-loops are dropped and repeated edges kept once (the measures here are
    unweighted)."""
    index: dict[str, int] = {}
    edges: set[tuple[int, int]] = set()
    order: list[tuple[int, int]] = []
    for no, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p for p in _SPLIT.split(line) if p]
        if len(parts) not in (2, 3):
            raise EdgeListError(f"line {no}: expected 2 or 3 columns, found {len(parts)}")
        if len(parts) == 3 and not _number(parts[2]):
            if not edges and no <= 2:
                continue  # a header row
            raise EdgeListError(f"line {no}: weight {parts[2]!r} is not a number")
        a, b = (index.setdefault(p, len(index)) for p in parts[:2])
        if a == b:
            continue
        key = (min(a, b), max(a, b))
        if key not in edges:
            edges.add(key)
            order.append(key)
    if not order:
        raise EdgeListError("no edges found")
    names = tuple(sorted(index, key=index.__getitem__))
    return Network(ig.Graph(n=len(names), edges=order), names)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def largest_component(g: ig.Graph) -> int:
    if g.vcount() == 0:
        return 0
    return int(max(g.connected_components().sizes()))


def lcc_after(net: Network, removed: Iterable[int]) -> int:
    return net.components(frozenset(removed))[0]


def curve(net: Network, order: list[int]) -> list[float]:
    """[1.0, f1, ..., fK]: the share of the starting LCC left after each prefix of
    `order`."""
    start = net.lcc
    return [1.0] + [lcc_after(net, order[:k]) / start for k in range(1, len(order) + 1)]
