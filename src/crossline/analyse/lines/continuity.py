"""Numbers one line uses one after another are one line.

When a deal number is dropped (after a TRO, an arrest, or routinely) its holder texts the
customer list from a new number. So a number that starts reaching most of a dropped
number's customers shortly after it went quiet is its successor. Two lines selling in the
same town share some customers but run side by side, so they fail the timing test, and
each number takes at most one successor (the best-overlapping one) so chains never fork.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from crossline.analyse.lines.classify import DealNumber
from crossline.analyse.lines.config import LinesConfig
from crossline.model.evidence import Factor


@dataclass(frozen=True)
class Handover:
    old: str
    new: str
    share: float  # of the old number's customers reached by the new one
    gap_days: float  # negative when the two overlapped


def handovers(
    deals: list[DealNumber], customers: dict[str, set[str]], cfg: LinesConfig
) -> list[Handover]:
    """Each number's successor, if any (handover_min_share must be above 0: numbers
    sharing no customer are never compared)."""
    by_num = {d.number: d for d in deals}
    gap, overlap = (
        timedelta(days=cfg.handover_max_gap_days),
        timedelta(days=cfg.handover_max_overlap_days),
    )
    # Who shares customers with whom, counted through each customer's numbers: a customer
    # is on one line's numbers (and perhaps a rival's in the same town), so the work grows
    # with the customer lists, not with the number of lines times the lines starting in
    # the same weeks.
    numbers_of: dict[str, list[str]] = defaultdict(list)
    for num in sorted(customers):
        if num in by_num:
            for c in customers[num]:
                numbers_of[c].append(num)
    cands: list[Handover] = []
    for a in deals:
        ca = customers.get(a.number, set())
        if not ca:
            continue
        shared: Counter[str] = Counter()
        for c in ca:
            shared.update(numbers_of[c])
        for num, n in shared.items():
            b = by_num[num]
            if num == a.number or b.first_seen <= a.first_seen:
                continue
            if not a.last_seen - overlap <= b.first_seen <= a.last_seen + gap:
                continue
            share = n / len(ca)
            # and the new number's list is mostly the old one's: a blast to thousands of
            # random numbers reaches any small line's customers, but they are few of its own
            back = n / max(1, len(customers.get(num, set())))
            if share >= cfg.handover_min_share and back >= cfg.handover_min_share_of_new:
                days = (b.first_seen - a.last_seen).total_seconds() / 86_400
                cands.append(Handover(a.number, b.number, round(share, 3), round(days, 1)))
    cands.sort(key=lambda h: (-h.share, abs(h.gap_days), h.old, h.new))
    taken_old: set[str] = set()
    taken_new: set[str] = set()
    chosen: list[Handover] = []
    for h in cands:
        if h.old in taken_old or h.new in taken_new:
            continue
        taken_old.add(h.old)
        taken_new.add(h.new)
        chosen.append(h)
    assert all(h.old in by_num and h.new in by_num for h in chosen)
    return chosen


def chains(deals: list[DealNumber], links: list[Handover]) -> list[list[DealNumber]]:
    """Group numbers into lines, each line's numbers in order of use."""
    nxt = {h.old: h.new for h in links}
    has_prev = {h.new for h in links}
    by_num = {d.number: d for d in deals}
    out: list[list[DealNumber]] = []
    for d in sorted(deals, key=lambda d: (d.first_seen, d.number)):
        if d.number in has_prev:
            continue
        chain = [d]
        while chain[-1].number in nxt:
            chain.append(by_num[nxt[chain[-1].number]])
        out.append(chain)
    return out


def customer_sets(
    rows: Sequence[Mapping[str, Any]],
    cfg: LinesConfig,
    group_of: dict[str, str] | None = None,
) -> dict[str, set[str]]:
    """Customer lists from rows (num, rcpt, bursts_received, texts_received), per number,
    or per group of numbers (a line) when `group_of` maps each number to its group: a phone
    judged over the whole line is not made a customer by one flyer it caught."""
    got: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        num = r["num"]
        key = (group_of.get(num, num) if group_of else num, r["rcpt"])
        acc = got.get(key)
        if acc is None:
            got[key] = [r["bursts_received"], r["texts_received"]]
        else:
            acc[0] += r["bursts_received"]
            acc[1] += r["texts_received"]
    out: dict[str, set[str]] = defaultdict(set)
    share = cfg.customer_min_burst_share
    for key, (n, texts) in got.items():
        if n >= 1 and n >= share * texts:
            out[key[0]].add(key[1])
    return dict(out)


def handover_text(hand: list[Handover]) -> str:
    parts = [f"{h.share:.0%} of customers followed to {h.new}" for h in hand]
    return f"{len(hand) + 1} numbers linked by customer hand-over (" + ", ".join(parts) + ")"


def handover_factor(h: Handover, cfg: LinesConfig) -> Factor:
    return Factor(
        "handover_share",
        round(h.share, 4),
        f"{h.share:.0%} of {h.old}'s customers followed to {h.new}",
        threshold=cfg.handover_min_share,
        subject=h.new,
    )
