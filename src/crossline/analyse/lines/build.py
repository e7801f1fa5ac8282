"""The line register: deal numbers detected, linked into lines, with controller, runners,
forces, confidence and evidence, in the columns of the data contract's lines.csv."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

import pyarrow as pa

from crossline.analyse.contacts import (
    cell_force_map,
    contacts_of,
    run_burst_recipients,
)
from crossline.analyse.events import EVENTS, comms_events
from crossline.analyse.lines import attribution
from crossline.analyse.lines.classify import DealNumber, detect_deal_numbers
from crossline.analyse.lines.config import LinesConfig
from crossline.analyse.lines.continuity import (
    chains,
    customer_sets,
    handover_factor,
    handover_text,
    handovers,
)
from crossline.analyse.lines.features import burst_tables
from crossline.analyse.lines.roles import Pair, assign_roles, associates
from crossline.analyse.outputs import table_of
from crossline.engine.base import Engine
from crossline.model import evidence as ev
from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.model.evidence import Factor

SEP = s.LIST_SEP


@dataclass
class Line:
    line_id: str
    deals: list[DealNumber]
    customers: set[str]
    controller: str | None
    runners: list[str]
    exporter_force: str
    importer_force: str
    confidence: float
    evidence: str
    factors: list[Factor] = field(default_factory=list)


def line_id_for(first_number: str) -> str:
    """Stable across runs: derived from the first number the line was seen using."""
    return "CL-" + hashlib.sha1(first_number.encode()).hexdigest()[:8].upper()


def _pairs(table: pa.Table) -> list[Pair]:
    cols = [table.column(c).to_pylist() for c in ("num", "other", "n_out", "n_in")]
    n = table.num_rows
    forces = (
        [{f["force"]: f["n"] for f in fs or []} for fs in table.column("other_forces").to_pylist()]
        if "other_forces" in table.column_names
        else [{} for _ in range(n)]
    )
    sms = table.column("n_out_sms").to_pylist() if "n_out_sms" in table.column_names else [0] * n
    return [Pair(*row) for row in zip(*cols, forces, sms, strict=True)]


NOWHERE = attribution.Area("", 0.0)


def build_lines(
    engine: Engine, cfg: LinesConfig | None = None, events: str | None = None
) -> list[Line]:
    """The line register's lines. `events` names the run's one-row-per-event relation
    (analyse/events.py); without it the relation is built for this call and dropped."""
    cfg = cfg or LinesConfig()
    if events is None:
        with comms_events(engine, cfg.duplicate_window_s):
            return _build(engine, cfg, EVENTS)
    return _build(engine, cfg, events)


def _build(engine: Engine, cfg: LinesConfig, comms: str) -> list[Line]:
    with burst_tables(engine, cfg, comms) as bursts:
        deals = detect_deal_numbers(engine, cfg, bursts)
        if not deals:
            return []
        rc = run_burst_recipients(engine, [d.number for d in deals], bursts)
    rc_rows = rc.to_pylist()
    links = handovers(deals, customer_sets(rc_rows, cfg), cfg)
    # an unconfirmed (young) number counts only as part of a line with a confirmed number
    groups = [ch for ch in chains(deals, links) if any(d.confirmed for d in ch)]
    kept = {d.number for ch in groups for d in ch}
    links = [h for h in links if h.old in kept and h.new in kept]
    numbers = sorted(kept)
    if not numbers:
        return []
    group_of = {d.number: chain[0].number for chain in groups for d in chain}
    line_customers = customer_sets(rc_rows, cfg, group_of)
    link_of = {h.new: h for h in links}

    force_of = cell_force_map(engine)

    deal_pairs = _pairs(contacts_of(engine, numbers, force_of, comms=comms))
    pairs_by_deal: dict[str, list[Pair]] = defaultdict(list)
    for p in deal_pairs:
        pairs_by_deal[p.num].append(p)

    bursts_to = line_bursts(rc_rows, group_of)
    # first pass: each line's customers and associates
    line_custs: list[set[str]] = []
    line_assoc: list[set[str]] = []
    for chain in groups:
        nums = {d.number for d in chain}
        mine = [p for n in nums for p in pairs_by_deal[n]]
        custs = line_customers.get(chain[0].number, set()) | orderers(
            mine, bursts_to.get(chain[0].number, {})
        )
        line_custs.append(custs)
        line_assoc.append(associates(nums, custs, mine, cfg))
    all_assoc = sorted(set().union(*line_assoc)) if line_assoc else []
    # an associate's contacts: its repeated ones make the neighbourhood graph, and all of
    # them say how many of a line's customers it meets; so do its neighbours' (a runner
    # may talk only to the holder)
    near = _pairs(contacts_of(engine, all_assoc, comms=comms)) if all_assoc else []
    every = set().union(*line_custs) if line_custs else set()
    second = sorted(
        {p.other for p in near if p.n >= cfg.tie_min_contacts and p.other not in every}
        - set(all_assoc)
        - set(numbers)
    )
    far = _pairs(contacts_of(engine, second, comms=comms)) if second else []
    contacts_by: dict[str, list[Pair]] = defaultdict(list)
    for p in near + far:
        contacts_by[p.num].append(p)
    assoc_by = {a: [p for p in contacts_by[a] if p.n >= cfg.tie_min_contacts] for a in all_assoc}
    neighbourhood = set(all_assoc) | set(second) | set(numbers)
    trade = every | set(numbers)  # every line's customers and deal numbers
    blasters = texters_only(contacts_by)
    seen = attribution.sightings(engine, neighbourhood, force_of, comms)

    out: list[Line] = []
    for chain, custs, assoc in zip(groups, line_custs, line_assoc, strict=True):
        nums = {d.number for d in chain}
        mine = [p for n in nums for p in pairs_by_deal[n]]
        importer = attribution.importer(mine, custs)
        around = [p for a in assoc for p in assoc_by[a]]
        phones = assoc | {p.other for p in around}
        share = attribution.shares_in(seen, importer.force, phones)
        reach = meeting(phones, contacts_by, custs, trade, cfg)
        roles = assign_roles(nums, custs, mine, around, share, cfg, reach, blasters)
        exporter = attribution.exporter(seen, roles.controller, nums, importer)
        confirmed = next(d for d in chain if d.confirmed)
        evidence = [confirmed.evidence]
        factors = list(confirmed.factors)
        hand = [link_of[d.number] for d in chain[1:]]
        if hand:
            evidence.append(handover_text(hand))
            factors += [handover_factor(h, cfg) for h in hand]
        evidence += [
            x
            for x in (
                attribution.importer_text(importer),
                attribution.exporter_text(exporter, importer),
            )
            if x
        ]
        factors += attribution.factors(importer, exporter)
        evidence += roles.evidence
        factors += roles.factors
        out.append(
            Line(
                line_id=line_id_for(chain[0].number),
                deals=chain,
                customers=custs,
                controller=roles.controller,
                runners=roles.runners,
                exporter_force=exporter.force,
                importer_force=importer.force,
                confidence=max(d.confidence for d in chain),
                evidence="; ".join(evidence),
                factors=factors,
            )
        )
    out = runners_meeting_customers(engine, out, trade, cfg, comms)
    out = merge_by_controller(out)
    out.sort(key=lambda ln: (-ln.confidence, -len(ln.customers), ln.line_id))
    return out


def runners_meeting_customers(
    engine: Engine, lines: list[Line], trade: set[str], cfg: LinesConfig, comms: str
) -> list[Line]:
    """Runners of the lines whose deal phone nobody but customers contacts (the holder
    relays orders over apps): found from the customers' side, as the phones that ring or
    text at least `runner_min_customer_share` of the line's customers (a runner delivers
    to many of them over weeks; a buyer's friend knows a few) and whose contacts are
    mostly the trade's, each put against the line whose customers it meets most, unless
    it works for another line already. Who runs such a line stays unnamed."""
    bare = [i for i, ln in enumerate(lines) if ln.controller is None and not ln.runners]
    if not bare:
        return lines
    # another line's runner meets the customers two lines share: it is that line's
    working = {v for ln in lines for v in (*ln.runners, ln.controller) if v}
    lines_of: dict[str, list[int]] = defaultdict(list)  # customer -> the bare lines it buys from
    for i in bare:
        for c in lines[i].customers:
            lines_of[c].append(i)
    met: dict[str, Counter[int]] = defaultdict(Counter)
    for p in _pairs(contacts_of(engine, sorted(lines_of), comms=comms)):
        if p.other in trade or p.other in working or not p.n_in:  # it contacted them
            continue
        for i in lines_of[p.num]:
            met[p.other][i] += 1
    cands = sorted(v for v, by in met.items() if max(by.values()) >= cfg.runner_min_customers)
    if not cands:
        return lines
    contacts_by: dict[str, list[Pair]] = defaultdict(list)
    for p in _pairs(contacts_of(engine, cands, comms=comms)):
        contacts_by[p.num].append(p)
    blasters = texters_only(contacts_by)
    reach = meeting(set(cands) - blasters, contacts_by, set(), trade, cfg)
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for v in sorted(reach):
        (i, k), *rest = met[v].most_common()
        enough = max(
            cfg.runner_min_customers, cfg.runner_min_customer_share * len(lines[i].customers)
        )
        if k >= enough and not (rest and rest[0][1] == k):
            found[i].append((v, k))
    out = list(lines)
    for i, got in found.items():
        ln = lines[i]
        text = (
            f"runner phone(s) {', '.join(f'{v} (meets {k} customers)' for v, k in got)} "
            "found from the customers' side: each rings or texts the line's customers and "
            "few others"
        )
        out[i] = replace(
            ln,
            runners=[v for v, _ in got],
            evidence=f"{ln.evidence}; {text}",
            factors=[
                *ln.factors,
                *(Factor("runner_meets_customers", k, text, subject=v) for v, k in got),
            ],
        )
    return out


def merge_by_controller(lines: list[Line]) -> list[Line]:
    """Deal numbers answering to one controller are one line: a line may run a second deal
    handset for a second town at once, and a hand-over the customer lists could not show
    (too many customers lost) still answers to the same holder. Lines selling side by side
    in one town answer to different holders and stay apart."""
    by_ctrl: dict[str, list[Line]] = defaultdict(list)
    out: list[Line] = []
    for ln in lines:
        (by_ctrl[ln.controller] if ln.controller else out).append(ln)
    for ctrl, group in by_ctrl.items():
        if len(group) == 1:
            out.append(group[0])
            continue
        group.sort(key=lambda ln: min(d.first_seen for d in ln.deals))
        main = max(group, key=lambda ln: len(ln.customers))
        deals = sorted((d for ln in group for d in ln.deals), key=lambda d: d.first_seen)
        text = (
            f"{len(group)} sets of deal numbers answer to one controller {ctrl} "
            "(a second handset, or a change of number the customer lists do not show)"
        )
        factors = [f for ln in group for f in ln.factors]
        factors.append(Factor("shared_controller", len(group), text, subject=ctrl))
        out.append(
            Line(
                line_id=group[0].line_id,
                deals=deals,
                customers=set().union(*(ln.customers for ln in group)),
                controller=ctrl,
                runners=sorted(set().union(*(ln.runners for ln in group))),
                exporter_force=main.exporter_force,
                importer_force=main.importer_force,
                confidence=max(ln.confidence for ln in group),
                evidence="; ".join([main.evidence, text]),
                factors=factors,
            )
        )
    return out


def texters_only(contacts_by: dict[str, list[Pair]]) -> frozenset[str]:
    """Phones that, in all their contacts, nearly only send texts (at least 90 %): bulk
    senders and smishing blasts. A holder rings his runners and is answered."""
    out = set()
    for v, pairs in contacts_by.items():
        total = sum(p.n for p in pairs)
        if total and sum(p.n_out_sms for p in pairs) >= 0.9 * total:
            out.add(v)
    return frozenset(out)


def meeting(
    phones: set[str],
    contacts_by: dict[str, list[Pair]],
    custs: set[str],
    trade: set[str],
    cfg: LinesConfig,
) -> dict[str, int]:
    """phone -> the line's customers it contacted, for phones most of whose contacts are
    the trade's (`trade`: every line's customers and deal numbers; a runner phone is a work
    phone, and may serve a line's two towns). A group organiser, a delivery driver or a
    blast sender reaches customers among many others and counts as meeting none."""
    out: dict[str, int] = {}
    for v in phones:
        others = {p.other for p in contacts_by.get(v, [])}
        if not others:
            continue
        n_cust = len(others & custs)
        if len(others & trade) / len(others) >= cfg.runner_min_line_share:
            out[v] = n_cust
    return out


def line_bursts(
    rows: list[dict[str, object]], group_of: dict[str, str]
) -> dict[str, dict[str, int]]:
    """line (its first number) -> recipient -> broadcast bursts it received."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        line = group_of.get(str(r["num"]))
        if line is not None:
            got = out[line]
            rcpt = str(r["rcpt"])
            got[rcpt] = got.get(rcpt, 0) + int(str(r["bursts_received"]))
    return out


def orderers(pairs: list[Pair], bursts: dict[str, int], min_orders: int = 5) -> set[str]:
    """Phones that order from the line: a buyer who texts orders gets replies, so fewer
    than half of the texts it gets may be flyers, but it is on the flyer list (or ordered
    `min_orders` times) and contacts the line at least twice as often as the line contacts
    it outside flyers. A
    runner or the holder is contacted by the deal phone about as often or more (relays,
    check-ins)."""
    n_in: dict[str, int] = defaultdict(int)
    n_out: dict[str, int] = defaultdict(int)
    for p in pairs:
        n_in[p.other] += p.n_in
        n_out[p.other] += p.n_out
    return {
        o
        for o in n_in
        if (bursts.get(o, 0) >= 1 or n_in[o] >= min_orders)
        and n_in[o] > 0
        and n_in[o] >= 2 * max(0, n_out[o] - bursts.get(o, 0))
    }


def _iso(t: object) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ") if hasattr(t, "strftime") else ""


def register_table(lines: list[Line]) -> pa.Table:
    """The line register in the declared columns (model/outputs.py: the contract's lines.csv
    and, stored beside them, the evidence as factors)."""
    rows = [
        {
            "line_id": ln.line_id,
            "deal_numbers": SEP.join(d.number for d in ln.deals),
            "first_seen": _iso(min(d.first_seen for d in ln.deals)),
            "last_seen": _iso(max(d.last_seen for d in ln.deals)),
            "controller_number": ln.controller or "",
            "holder_nominal_ids": "",
            "runner_numbers": SEP.join(ln.runners),
            "customer_count": len(ln.customers),
            "exporter_force": ln.exporter_force,
            "importer_force": ln.importer_force,
            "line_scope": attribution.scope(ln.exporter_force, ln.importer_force),
            "thr_score": None,
            "priority_rank": None,
            "confidence": ln.confidence,
            "evidence": ln.evidence,
            o.EVIDENCE_FACTORS.name: ev.to_json(ln.factors),
        }
        for ln in lines
    ]
    return table_of(o.LINE_REGISTER, rows)
