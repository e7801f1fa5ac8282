"""Deal-line classification from per-number behaviour."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa

from crossline.analyse.lines.classify import classify
from crossline.analyse.lines.config import LinesConfig

T0 = datetime(2026, 3, 1)


def row(
    num: str,
    days: int,
    bursts: int,
    night: int,
    recipients: int,
    orderers: int,
    orders: int,
    in_contacts: int,
    in_short: int,
    in_distinct: int,
    calls: int | None = None,
) -> dict[str, Any]:
    return {
        "num": num,
        "bursts": bursts,
        "burst_days": min(bursts, days),
        "night_bursts": night,
        "mean_burst_size": 20.0,
        "first_seen": T0,
        "last_seen": T0 + timedelta(days=days - 1, hours=5),
        "active_days": days,
        "burst_recipients": recipients,
        "in_contacts": in_contacts,
        "in_short": in_short,
        "in_distinct": in_distinct,
        "orderers_reached": orderers,
        "orders_from_reached": orders,
        # half of the contacts back are calls unless said otherwise
        "calls_from_reached": orders // 2 if calls is None else calls,
    }


ROWS = [
    # a deal line: twice-daily flyers, customers order every few days, all short
    row("deal", 30, 60, 20, 40, 35, 400, 420, 410, 36),
    # a shop: weekly texts to 300, a fifth call back now and then, long calls
    row("shop", 90, 13, 0, 300, 60, 150, 160, 40, 70),
    # an organiser: weekly texts to 30 friends who all reply
    row("organiser", 90, 13, 0, 30, 29, 120, 150, 150, 35),
    # a brand-new number: flyers on its first two days, three orders so far
    row("young", 2, 5, 3, 20, 3, 4, 4, 4, 3),
    # a takeaway texting a daily offer at teatime; customers ring in now and then
    row("promo", 60, 60, 0, 200, 150, 500, 520, 400, 160),
    # a line that only markets in the daytime, but whose customers buy every few days
    row("dayline", 30, 45, 0, 30, 28, 200, 210, 205, 29),
    # one group text on the only day a number was seen, a third of the group replying
    row("once", 1, 1, 0, 26, 9, 9, 9, 9, 9),
    # a church: texts its list twice a week (in two runs), one at 22:00, a third reply
    # every time, by text
    row("church", 90, 40, 13, 60, 20, 520, 520, 520, 20, calls=0),
    # the same list, but a line's: a sixth of its orders are calls
    row("textline", 90, 40, 13, 60, 20, 520, 520, 520, 20, calls=90),
    # a line that flyers about weekly (7 bursts in 31 days) whose buyers order each week
    row("weekly", 31, 7, 1, 41, 35, 181, 200, 196, 37, calls=99),
    # a party invitation sent twice in 8 days, guests replying and ringing about it
    row("party", 8, 2, 1, 56, 48, 85, 88, 84, 48, calls=29),
    # weekly flyers, but a list that buys only every two weeks or so
    row("weeklyshop", 31, 7, 1, 41, 35, 90, 100, 98, 37, calls=45),
    # a group organiser texting weekly, one at night: members reply and ring, often to talk
    row("organiser2", 90, 17, 1, 20, 20, 206, 222, 191, 22, calls=66),
    # a line flyering daily in the day only, its buyers ordering every three weeks or so
    # by text and by call, all short
    row("dayflyers", 30, 42, 0, 30, 20, 45, 48, 47, 22, calls=20),
    # a takeaway's daily offer whose customers only ring, briefly
    row("ringing", 30, 42, 0, 30, 20, 45, 48, 47, 22, calls=45),
]


def test_deal_line_is_confirmed_lookalikes_are_not_reported() -> None:
    got = {d.number: d for d in classify(pa.Table.from_pylist(ROWS), LinesConfig())}
    confirmed = {n for n, d in got.items() if d.confirmed}
    assert confirmed == {"deal", "dayline", "textline", "weekly", "dayflyers"}
    # kept only as candidates for a confirmed line's next number (continuity)
    assert set(got) - confirmed == {"young", "once", "promo", "ringing"}
    assert got["deal"].confirmed and got["deal"].confidence >= 0.8
    assert "broadcast bursts" in got["deal"].evidence


def test_daily_offers_in_the_day_are_not_a_line_but_habitual_orders_are() -> None:
    got = {d.number: d for d in classify(pa.Table.from_pylist(ROWS), LinesConfig())}
    assert not got["promo"].confirmed  # only a line's hand-over could make it one
    assert got["dayline"].confirmed
    assert not got["once"].confirmed  # at most a hand-over candidate


def test_young_broadcaster_is_only_a_candidate_with_lower_confidence() -> None:
    got = {d.number: d for d in classify(pa.Table.from_pylist(ROWS), LinesConfig())}
    assert not got["young"].confirmed
    assert got["young"].confidence < got["deal"].confidence
    # the same behaviour over a long life is not a line at all
    old = row("old", 60, 150, 10, 20, 3, 4, 4, 4, 3)
    assert classify(pa.Table.from_pylist([old]), LinesConfig()) == []


def test_a_list_that_only_texts_back_is_not_a_line() -> None:
    got = {d.number: d for d in classify(pa.Table.from_pylist(ROWS), LinesConfig())}
    assert "church" not in got
    share = {f.name: f for f in got["textline"].factors}["order_call_share"]
    assert share.value == round(90 / 520, 4) and share.threshold == 0.15


def test_a_weekly_broadcaster_is_a_line_only_if_its_list_buys_habitually() -> None:
    got = {d.number: d for d in classify(pa.Table.from_pylist(ROWS), LinesConfig())}
    assert got["weekly"].confirmed
    assert "party" not in got  # two days of bursts are not weeks of marketing
    assert "weeklyshop" not in got
    assert "organiser2" not in got  # a seventh of its contacts back are long calls


def test_a_day_time_line_is_known_by_orders_texted_and_called_all_short() -> None:
    got = {d.number: d for d in classify(pa.Table.from_pylist(ROWS), LinesConfig())}
    assert got["dayflyers"].confirmed
    # customers who ring, or talk: at most the next number of a line already found
    assert not got["ringing"].confirmed and not got["promo"].confirmed
