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
    n_out_sms: int = 0  # of n_out, texts

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
    reach: dict[str, int] | None = None,
    blasters: frozenset[str] = frozenset(),
) -> LineRoles:
    """The line's controller and runners. `reach` counts, per phone of the neighbourhood,
    the line's customers it contacted: a runner meets the line's customers (it rings or
    texts them when outside), so where the data shows such phones the roles follow the
    line's structure (runners meet customers and work with the deal phone or the holder;
    the controller is the phone they and the deal phone answer to), wherever anyone is.
    Where none does, location decides as before: runners are the phones of the holder or
    deal phone seen in the importer area."""
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

    meets = {
        v
        for e in edges
        for v in e
        if v != DEAL and (reach or {}).get(v, 0) >= cfg.runner_min_customers
    }
    # who contacted whom: a controller runs the line's phones (it calls or texts them); a
    # taxi landline or anyone else only ever contacted by them does not
    sent: Counter[tuple[str, str]] = Counter()
    for p in deal_pairs:
        if p.num in deals:
            sent[(DEAL, p.other)] += p.n_out
            sent[(p.other, DEAL)] += p.n_in
    for p in assoc_pairs:
        if p.other not in deals:
            sent[(p.num, p.other)] += p.n_out
            sent[(p.other, p.num)] += p.n_in

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

    # a phone that only ever sends texts (a smishing or marketing blaster) runs nobody
    candidates = [
        v for v in names if v != DEAL and v not in blasters and importer_share.get(v, 0.0) < 0.5
    ]
    if not candidates:
        candidates = [v for v in names if v != DEAL]
    controller = max(candidates, key=score) if candidates else None

    # Location tells the roles apart only where the controller is seen away from the
    # importer area and runs the line (it contacts the deal phone, or two phones in the
    # importer area working with it). Otherwise (a local line, no cells, a controller the
    # data never shows) the roles follow the line's structure when phones meeting its
    # customers show it.
    def tie(a: str, b: str) -> int:
        n = edges[(a, b) if a < b else (b, a)]
        return n if sent[(a, b)] else 0

    workers = {
        v
        for v in in_importer
        if edges[(DEAL, v) if v > DEAL else (v, DEAL)] >= cfg.runner_min_contacts
    }
    located = (
        controller is not None
        and controller in importer_share
        and importer_share[controller] < 0.5
        and (
            (DEAL in index and tie(controller, DEAL) >= cfg.tie_min_contacts)
            or sum(tie(controller, v) >= cfg.tie_min_contacts for v in workers - {controller}) >= 2
        )
    )
    if not located:
        # each deal-phone tie once (it also comes back among the associate's own contacts)
        back: Counter[tuple[str, str]] = Counter()
        for p in assoc_pairs:
            if p.other in deals:
                back[_key(p.num)] += p.n
        once = Counter({e: n - back[e] for e, n in edges.items()})
        return structural_roles(+once, meets - blasters, sent, importer_share, cfg, blasters)
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


def _key(v: str) -> tuple[str, str]:
    return (DEAL, v) if v > DEAL else (v, DEAL)


def structural_roles(
    edges: Counter[tuple[str, str]],
    meets: set[str],
    sent: Counter[tuple[str, str]],
    importer_share: dict[str, float],
    cfg: LinesConfig,
    blasters: frozenset[str] = frozenset(),
) -> LineRoles:
    """Roles from who works with whom: runner phones meet the line's customers and work
    with the deal phone or the holder; the controller is the phone, meeting no customers
    itself, that the deal phone and runner phones answer to. A holder who runs the line
    over apps only leaves no such phone: then no controller is named, and the evidence
    says the data does not show one."""
    weight: dict[str, Counter[str]] = {}
    for (a, b), n in edges.items():
        weight.setdefault(a, Counter())[b] += n
        weight.setdefault(b, Counter())[a] += n
    # the deal phone and the runner phones working with it (relays) are what a controller
    # answers for; other phones meeting customers become runners only through it
    work = {
        v
        for v in meets
        if weight.get(v, Counter())[DEAL] >= cfg.runner_min_contacts
        and sent[(DEAL, v)] > sent[(v, DEAL)]  # relays go out; a buyer's orders come in
    }
    hubs = {DEAL} | work

    def pull(v: str) -> tuple[int, int, float]:
        # a controller contacts the phones it runs and they answer it; a taxi landline is
        # only ever rung, a blast sender never answered
        ties = {
            h: n
            for h, n in weight[v].items()
            if h in hubs and n >= cfg.tie_min_contacts and sent[(v, h)]
        }
        if not any(sent[(h, v)] for h in ties):
            return (0, 0, 0.0)
        return (len(ties), sum(ties.values()), -importer_share.get(v, 0.0))

    candidates = [
        v
        for v in weight
        if v != DEAL
        and v not in meets
        and v not in blasters
        and pull(v)[1] >= cfg.controller_min_contacts
    ]
    controller = max(sorted(candidates), key=pull) if candidates else None
    runners = sorted(
        v
        for v in meets
        if v in work
        or (
            controller is not None
            and weight[v][controller] >= cfg.runner_min_contacts
            and sent[(controller, v)] > 0
        )
    )
    factors: list[Factor] = []
    evidence: list[str] = []
    if controller is None:
        none = (
            "no phone that meets no customers works with the deal phone or the runner phones "
            "repeatedly: the controller is not observed in this data (apps, or a network that "
            "supplied nothing), so none is named"
        )
        evidence.append(none)
        factors.append(Factor("controller_observed", False, none))
    else:
        links, contacts, share = pull(controller)
        text = (
            f"controller {controller} works with {links} line phone(s) ({contacts} contacts) "
            f"and meets no customers, seen in the importer area in {-share:.0%} of its records"
        )
        evidence.append(text)
        factors.append(Factor("controller_links", links, text, subject=controller))
    for v in runners:
        ties = weight[v][DEAL] + (weight[v][controller] if controller else 0)
        factors.append(
            Factor(
                "runner_contacts",
                int(ties),
                f"runner {v}: {ties} contacts with the controller or deal phone; meets the "
                "line's customers",
                threshold=cfg.runner_min_contacts,
                subject=v,
            )
        )
    if runners:
        evidence.append(
            f"{len(runners)} runner phone(s) meeting the line's customers and working with the "
            "deal phone or controller"
        )
    return LineRoles(controller, runners, evidence, factors)
