"""Linking a line's successive numbers by customer hand-over."""

from __future__ import annotations

from datetime import datetime, timedelta

from crossline.analyse.lines.classify import DealNumber
from crossline.analyse.lines.config import LinesConfig
from crossline.analyse.lines.continuity import chains, customer_sets, handovers

T0 = datetime(2026, 1, 1)


def deal(number: str, first: int, last: int) -> DealNumber:
    return DealNumber(
        number,
        T0 + timedelta(days=first),
        T0 + timedelta(days=last),
        last - first + 1,
        1,
        0,
        10,
        10,
        10,
        0.9,
        "",
    )


def custs(lo: int, hi: int) -> set[str]:
    return {f"c{i}" for i in range(lo, hi)}


CFG = LinesConfig()


def test_successor_reaching_most_customers_after_silence_is_linked() -> None:
    a, b = deal("A", 0, 20), deal("B", 22, 40)
    links = handovers([a, b], {"A": custs(0, 50), "B": custs(10, 60)}, CFG)
    assert [(h.old, h.new, h.share) for h in links] == [("A", "B", 0.8)]
    assert [[d.number for d in ch] for ch in chains([a, b], links)] == [["A", "B"]]


def test_two_lines_in_one_town_sharing_customers_are_not_merged() -> None:
    a, b = deal("A", 0, 40), deal("B", 5, 40)  # side by side
    links = handovers([a, b], {"A": custs(0, 50), "B": custs(0, 30)}, CFG)
    assert links == []


def test_low_overlap_or_long_gap_is_not_a_handover() -> None:
    a, b, c = deal("A", 0, 20), deal("B", 21, 40), deal("C", 60, 80)
    cs = {"A": custs(0, 50), "B": custs(40, 90), "C": custs(0, 50)}
    assert handovers([a, b, c], cs, CFG) == []


def test_each_number_takes_one_successor_the_best() -> None:
    a, b, c = deal("A", 0, 20), deal("B", 21, 40), deal("C", 21, 40)
    cs = {"A": custs(0, 50), "B": custs(0, 45), "C": custs(0, 30)}
    links = handovers([a, b, c], cs, CFG)
    assert [(h.old, h.new) for h in links] == [("A", "B")]
    assert sorted(len(ch) for ch in chains([a, b, c], links)) == [1, 2]


def test_customer_is_on_the_flyer_list_not_a_phone_that_caught_one_flyer() -> None:
    rows: list[dict[str, object]] = [
        {"num": "D", "rcpt": "cust", "bursts_received": 30, "texts_received": 32},
        {"num": "D", "rcpt": "runner", "bursts_received": 2, "texts_received": 40},
    ]
    assert customer_sets(rows, CFG) == {"D": {"cust"}}
    # judged over the whole line, one caught flyer on a short-lived number does not count
    rows.append({"num": "E", "rcpt": "runner", "bursts_received": 1, "texts_received": 1})
    per_line = customer_sets(rows, CFG, {"D": "L", "E": "L"})
    assert per_line == {"L": {"cust"}}
