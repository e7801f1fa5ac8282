"""Which numbers are deal lines, from communications metadata only.

A deal line markets itself: it sends bulk 'flyer' texts to its customer list nearly every
day and at any hour, and its customers answer with short ordering calls and texts, often
every few days. Each of its look-alikes lacks at least one of these: a shop or a club
organiser texts a list weekly and in the daytime, and its list rarely calls back; a church
whose list replies every time replies by text, where many of a line's orders are calls; a taxi
firm or a takeaway takes short inbound calls but never broadcasts; a person who changed
number contacts the same friends but neither broadcasts nor takes orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from crossline.analyse.lines.config import LinesConfig
from crossline.analyse.lines.features import BurstTables, number_features
from crossline.engine.base import Engine
from crossline.model.evidence import Factor


@dataclass(frozen=True)
class DealNumber:
    number: str
    first_seen: datetime
    last_seen: datetime
    span_days: int
    burst_days: int
    night_bursts: int
    recipients: int
    orderers: int
    orders: int
    confidence: float
    evidence: str
    confirmed: bool = True  # False: broadcasts like a line, too young to show its orders
    factors: tuple[Factor, ...] = ()


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def classify(features: pa.Table, cfg: LinesConfig) -> list[DealNumber]:
    """Deal numbers among burst senders, each with its confidence and evidence.

    Numbers that broadcast like a line but are too young (or too old, seen only at the
    start of the data) to show its orders come back unconfirmed, and so do those whose
    hours and buyers' pace a takeaway's offers share: they count only if the hand-over
    test links them to a confirmed line (see continuity)."""
    out: list[DealNumber] = []
    for r in features.to_pylist():
        first, last = r["first_seen"], r["last_seen"]
        span = (last.date() - first.date()).days + 1
        burst_rate = _ratio(r["bursts"], span)
        short_share = _ratio(r["in_short"], r["in_contacts"])
        reciprocity = _ratio(r["orderers_reached"], r["burst_recipients"])
        order_rate = _ratio(_ratio(r["orders_from_reached"], r["burst_recipients"]), span)
        # what its buyers do, then (first in `checks`, for the confidence) how often it
        # broadcasts, which has two bars below
        ordering = (
            (float(r["in_distinct"]), float(cfg.min_orderers)),
            (short_share, cfg.min_short_share),
            (reciprocity, cfg.min_reciprocity),
            (order_rate, cfg.min_orders_per_recipient_day),
        )
        checks = ((burst_rate, cfg.min_burst_rate), *ordering)
        night_share = _ratio(r["night_bursts"], r["bursts"])
        # a line takes orders by phone; a church's or a club's list texts back
        call_share = _ratio(r["calls_from_reached"], r["orders_from_reached"])
        # its buyers text and ring, and keep it short; a takeaway's, a taxi's or a
        # beautician's customers ring and talk
        mixed = (
            cfg.min_order_call_share <= call_share <= 1 - cfg.min_order_call_share
            and short_share >= cfg.mixed_orders_min_short_share
        )
        unsocial = (
            night_share >= cfg.min_night_share
            or order_rate >= cfg.habitual_orders_per_recipient_day
            or mixed
        )
        # a line whose list buys habitually, in short orders, may flyer only weekly, mostly
        # when a number launches (a club or a church whose list replies that often texts
        # back; a group organiser's members ring to talk)
        weekly = (
            burst_rate >= cfg.weekly_burst_rate
            and order_rate >= cfg.habitual_orders_per_recipient_day
            and short_share >= cfg.mixed_orders_min_short_share
            and r["burst_days"] >= cfg.weekly_min_burst_days
        )
        like_a_line = (
            call_share >= cfg.min_order_call_share
            and r["burst_days"] >= cfg.min_burst_days
            and (burst_rate >= cfg.min_burst_rate or weekly)
            and all(value >= threshold for value, threshold in ordering)
        )
        confirmed = unsocial and like_a_line
        young = span <= cfg.young_number_days and burst_rate >= cfg.min_burst_rate
        # markets and is bought from like a line, but in shop hours and at a shop's pace:
        # a takeaway's offers look so too, so only a hand-over from a line makes it one
        if not (confirmed or young or like_a_line):
            continue
        # strength of each signal relative to twice its threshold, capped at 1
        strength = [min(1.0, value / (2 * threshold)) for value, threshold in checks]
        night = 1.0 if r["night_bursts"] > 0 else 0.0
        confidence = round(0.5 + 0.45 * (sum(strength) + night) / (len(strength) + 1), 3)
        if not confirmed:
            confidence = round(confidence / 2, 3)
        evidence = (
            f"broadcast bursts on {r['burst_days']} of {span} days"
            f" ({r['night_bursts']} at night, ~{r['mean_burst_size']:.0f} recipients each);"
            f" {r['orderers_reached']} of {r['burst_recipients']} recipients order back"
            f" ({r['orders_from_reached']} contacts, {short_share:.0%} short)"
        )
        factors = _factors(r, cfg, span, burst_rate, short_share, reciprocity, order_rate)
        factors += (
            Factor(
                "order_call_share",
                round(call_share, 4),
                f"{r['calls_from_reached']} of the {r['orders_from_reached']} contacts back"
                " from its broadcast list are calls",
                threshold=cfg.min_order_call_share,
                subject=r["num"],
            ),
        )
        out.append(
            DealNumber(
                number=r["num"],
                first_seen=first,
                last_seen=last,
                span_days=span,
                burst_days=r["burst_days"],
                night_bursts=r["night_bursts"],
                recipients=r["burst_recipients"],
                orderers=r["orderers_reached"],
                orders=r["orders_from_reached"],
                confidence=confidence,
                evidence=evidence,
                confirmed=confirmed,
                factors=factors,
            )
        )
    return out


def _factors(
    r: dict[str, Any],
    cfg: LinesConfig,
    span: int,
    burst_rate: float,
    short_share: float,
    reciprocity: float,
    order_rate: float,
) -> tuple[Factor, ...]:
    num = r["num"]
    night = _ratio(r["night_bursts"], r["bursts"])
    return (
        Factor(
            "burst_rate",
            round(burst_rate, 4),
            f"{num} sent {r['bursts']} broadcast bursts over {span} days "
            f"(~{r['mean_burst_size']:.0f} recipients each)",
            threshold=cfg.min_burst_rate,
            subject=num,
        ),
        Factor(
            "burst_days",
            int(r["burst_days"]),
            f"bursts on {r['burst_days']} of {span} days",
            threshold=cfg.min_burst_days,
            subject=num,
        ),
        Factor(
            "night_burst_share",
            round(night, 4),
            f"{r['night_bursts']} bursts sent between 22:00 and 07:00",
            threshold=cfg.min_night_share,
            subject=num,
        ),
        Factor(
            "orderers",
            int(r["in_distinct"]),
            f"{r['in_distinct']} distinct numbers contact it",
            threshold=cfg.min_orderers,
            subject=num,
        ),
        Factor(
            "short_inbound_share",
            round(short_share, 4),
            f"{short_share:.0%} of inbound contacts are short orders",
            threshold=cfg.min_short_share,
            subject=num,
        ),
        Factor(
            "reciprocity",
            round(reciprocity, 4),
            f"{r['orderers_reached']} of {r['burst_recipients']} broadcast recipients order back",
            threshold=cfg.min_reciprocity,
            subject=num,
        ),
        Factor(
            "orders_per_recipient_day",
            round(order_rate, 5),
            f"{r['orders_from_reached']} orders from recipients",
            threshold=cfg.min_orders_per_recipient_day,
            subject=num,
        ),
    )


def detect_deal_numbers(engine: Engine, cfg: LinesConfig, tables: BurstTables) -> list[DealNumber]:
    return classify(number_features(engine, cfg, tables), cfg)
