"""Who does what in a line: the controller (the line holder's phone), runners, customers.

Customers are the people on the line's broadcast list. The controller talks to the runners
and, when a runner carries the deal phone, to the deal phone; it is run from the exporter
area and is never a customer. Runners are the non-customer phones in touch with the deal
phone or the controller that are seen in the importer area. The line's neighbourhood is an
igraph graph; the controller is the phone that joins the most line phones (the deal
phone, whatever its number, and phones in the importer area), ties broken by being seen
least in the importer area, then by betweenness.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import igraph as ig

from crossline.analyse.lines.config import LinesConfig
from crossline.model.evidence import Factor

DEAL = "\x00deal"  # the vertex standing for all of a line's deal numbers


@dataclass
class Pair:
    num: str
    other: str
    n_out: int
    n_in: int
    other_forces: dict[str, int] = field(default_factory=dict)  # contacts per force area

    @property
    def n(self) -> int:
        return self.n_out + self.n_in


@dataclass
class LineRoles:
    controller: str | None
    runners: list[str]
    evidence: list[str]
    factors: list[Factor] = field(default_factory=list)


def associates(
    deals: set[str], customers: set[str], deal_pairs: list[Pair], cfg: LinesConfig
) -> set[str]:
    """Non-customer phones in repeated contact with the line's deal numbers."""
    counts: Counter[str] = Counter()
    for p in deal_pairs:
        if p.num in deals and p.other not in customers and p.other not in deals:
            counts[p.other] += p.n
    return {o for o, n in counts.items() if n >= cfg.associate_min_contacts}


def assign_roles(
    deals: set[str],
    customers: set[str],
    deal_pairs: list[Pair],
    assoc_pairs: list[Pair],
    importer_share: dict[str, float],
    cfg: LinesConfig,
) -> LineRoles:
    assoc = associates(deals, customers, deal_pairs, cfg)
    edges: Counter[tuple[str, str]] = Counter()

    def link(a: str, b: str, n: int) -> None:
        # the line's numbers are one phone role used in turn: one vertex, DEAL
        a, b = (DEAL if a in deals else a), (DEAL if b in deals else b)
        if a != b and n > 0:
            edges[(a, b) if a < b else (b, a)] += n

    for p in deal_pairs:
        if p.num in deals and p.other in assoc:
            link(p.num, p.other, p.n)
    for p in assoc_pairs:
        if p.num in assoc and p.other not in customers and p.n >= cfg.tie_min_contacts:
            link(p.num, p.other, p.n)
    if not edges:
        none = "no phone other than customers is in contact"
        return LineRoles(None, [], [none], [Factor("controller_observed", False, none)])

    names = sorted({v for e in edges for v in e})
    index = {v: i for i, v in enumerate(names)}
    g = ig.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in edges])
    g.es["weight"] = list(edges.values())
    between = g.betweenness()
    in_importer = {
        v
        for v in names
        if v != DEAL and importer_share.get(v, 0.0) >= cfg.runner_min_importer_share
    }
    line_phones = {index[v] for v in {DEAL} | in_importer if v in index}

    def score(v: str) -> tuple[int, float, float, int]:
        i = index[v]
        joined = len(set(g.neighbors(i)) & line_phones)
        strength = int(g.strength(i, weights="weight"))
        return (joined, -importer_share.get(v, 0.0), between[i], strength)

    candidates = [v for v in names if v != DEAL and importer_share.get(v, 0.0) < 0.5]
    if not candidates:
        candidates = [v for v in names if v != DEAL]
    controller = max(candidates, key=score) if candidates else None
    runners: list[str] = []
    factors: list[Factor] = []
    if controller is not None:
        ci = index[controller]
        hubs = {ci} | ({index[DEAL]} if DEAL in index else set())
        for v in sorted(in_importer - {controller}):
            i = index[v]
            w = sum(g.es[g.get_eid(i, h)]["weight"] for h in hubs if g.are_adjacent(i, h))
            if w >= cfg.runner_min_contacts:
                runners.append(v)
                factors.append(
                    Factor(
                        "runner_contacts",
                        int(w),
                        f"runner {v}: {w} contacts with the controller or deal phone, seen in "
                        f"the importer area in {importer_share.get(v, 0.0):.0%} of its records",
                        threshold=cfg.runner_min_contacts,
                        subject=v,
                    )
                )
    evidence = []
    if controller is not None:
        joined, share, _, _ = score(controller)
        talks_to_deal = DEAL in index and g.are_adjacent(index[controller], index[DEAL])
        evidence.append(
            f"controller {controller} links {joined} line phones"
            + (" including the deal phone" if talks_to_deal else "")
            + f", seen in the importer area in {-share:.0%} of its records"
        )
        factors.insert(
            0,
            Factor(
                "controller_links",
                joined,
                evidence[-1],
                subject=controller,
            ),
        )
    if runners:
        evidence.append(
            f"{len(runners)} runner phone(s) in touch with the controller or "
            "deal phone and seen in the importer area"
        )
    return LineRoles(controller, runners, evidence, factors)
