"""The realistic style's look-alikes: everyone else whose phone use shares a trait with a
deal line. Each behaves as such senders do: a business texting offers (some in the
evening), a taxi firm (bookings on a landline, a dispatch mobile calling drivers and
texting fares that their car is outside), a takeaway texting late offers and taking
phoned orders, a mobile beautician texting clients and taking short booking calls, a
delivery driver texting the day's drops, group, faith and sports organisers, a party
invitation, an election canvasser in the weeks before polling day, a smishing sender
blasting random numbers at any hour, and people who changed number texting friends the
new one from the same handset."""

from __future__ import annotations

import numpy as np

from crossline.simulate.traffic import (
    BUSINESS_HOURS,
    ORGANISER_HOURS,
    SOCIAL_HOURS,
    TAKEAWAY_HOURS,
    TAXI_HOURS,
    _Day,
    _w,
)
from crossline.simulate.world import Lookalike

EVENING = _w([0] * 17 + [3, 4, 4, 2] + [0] * 3)
LATE = _w([0] * 20 + [2, 4, 3, 1])
ANY_HOUR = _w([1] * 24)
POLLING_DAY = 66  # early May, local elections, from a 1 March start


def _texts(day: _Day, num: int, own: np.ndarray | int, rec: np.ndarray, t: np.ndarray) -> None:
    k = len(rec)
    cells = np.full(k, own) if isinstance(own, int) else own
    day.add(np.full(k, np.int64(num)), day.numbers(rec), t, True, None, cells, day.cells(rec))


def _calls_in(
    day: _Day, num: int, own: int, callers: np.ndarray, hours: np.ndarray, median: float
) -> np.ndarray:
    k = len(callers)
    t = day.times(k, hours)
    day.add(
        day.numbers(callers),
        np.full(k, np.int64(num)),
        t,
        False,
        day.call_durations(k, median, 0.5, 5, 900),
        day.cells(callers),
        np.full(k, own),
    )
    return t


def _burst(day: _Day, num: int, own: int, rec: np.ndarray, hours: np.ndarray, gap: int) -> None:
    t0 = int(day.times(1, hours)[0])
    _texts(day, num, own, rec, t0 + np.sort(day.rng.integers(0, max(1, gap * len(rec)), len(rec))))


def _replies(day: _Day, num: int, own: int, rec: np.ndarray, share: float, sms: bool) -> None:
    rng = day.rng
    back = rec[rng.random(len(rec)) < share]
    k = len(back)
    day.add(
        day.numbers(back),
        np.full(k, np.int64(num)),
        day.times(k, SOCIAL_HOURS),
        sms,
        day.call_durations(k, 40, 0.6, 5, 600),
        day.cells(back),
        np.full(k, own),
    )


def _one(day: _Day, lk: Lookalike, weekday: int) -> None:
    w, rng, d = day.w, day.rng, day.day
    num, aud, kind = lk.number, lk.audience, lk.kind
    own = int(w.cells.start[lk.place])
    if lk.person is not None:
        own = int(day.cells(np.array([lk.person]))[0])
    some = aud[rng.random(len(aud)) < rng.uniform(0.6, 1.0)]
    if kind == "business_bulk":
        if weekday < 6 and rng.random() < 0.2:
            _burst(day, num, own, some, BUSINESS_HOURS, 2)
        _calls_in(day, num, own, aud[rng.random(len(aud)) < 0.01], BUSINESS_HOURS, 120)
    elif kind == "evening_bulk":
        if rng.random() < 2.5 / 7:
            _burst(day, num, own, some, EVENING, 2)
            _replies(day, num, own, some, 0.03, True)
        _calls_in(day, num, own, aud[rng.random(len(aud)) < 0.01], BUSINESS_HOURS, 120)
    elif kind == "taxi_landline":
        _calls_in(day, num, own, np.repeat(aud, rng.poisson(0.06, len(aud))), TAXI_HOURS, 35)
    elif kind == "taxi":
        # the dispatch mobile: drivers after each booking, 'your car is outside' texts
        fares = np.repeat(aud, rng.poisson(0.06, len(aud)))
        t = day.times(len(fares), TAXI_HOURS)
        drv = lk.dispatch[rng.integers(0, len(lk.dispatch), len(fares))]
        day.add(
            np.full(len(fares), np.int64(num)),
            day.numbers(drv),
            t + rng.integers(20, 200, len(fares)),
            rng.random(len(fares)) < 0.3,
            day.call_durations(len(fares), 20, 0.4, 5, 120),
            np.full(len(fares), own),
            day.cells(drv),
        )
        told = rng.random(len(fares)) < 0.4
        _texts(day, num, own, fares[told], t[told] + rng.integers(300, 900, int(told.sum())))
        _calls_in(day, num, own, fares[rng.random(len(fares)) < 0.05], TAXI_HOURS, 30)
    elif kind == "promo_takeaway":
        if rng.random() < 3 / 7:
            _burst(day, num, own, some, LATE, 2)
        _calls_in(day, num, own, np.repeat(aud, rng.poisson(0.04, len(aud))), TAKEAWAY_HOURS, 90)
    elif kind == "beautician":
        if weekday == 0 and rng.random() < 0.7:
            _burst(day, num, own, some, BUSINESS_HOURS, 20)
        booked = aud[rng.random(len(aud)) < 0.035]
        _calls_in(day, num, own, booked, BUSINESS_HOURS, 40)
        _texts(day, num, own, booked, day.times(len(booked), BUSINESS_HOURS))
    elif kind == "delivery_driver":
        if weekday < 6:
            drops = aud[rng.random(len(aud)) < rng.uniform(40, 120) / len(aud)]
            _burst(day, num, own, drops, _w([0] * 7 + [3, 4, 2] + [0] * 14), 30)
            _replies(day, num, own, drops, 0.05, False)
    elif kind in ("group_organiser", "church", "sports_club"):
        days = {"group_organiser": (rng.random() < 1 / 7,), "church": (weekday in (3, 6),)}
        if days.get(kind, (weekday in (1, 4),))[0]:
            _burst(day, num, own, some, ORGANISER_HOURS, 5)
            _replies(day, num, own, some, 0.3, True)
    elif kind == "party_invite":
        first = int(lk.place * 7 + lk.number) % max(1, w.cfg.days - 8)
        if d in (first, first + 7):
            _burst(day, num, own, aud, SOCIAL_HOURS, 5)
            _replies(day, num, own, aud, 0.5, True)
            _replies(day, num, own, aud, 0.2, False)
    elif kind == "canvasser":
        if POLLING_DAY - 21 <= d <= POLLING_DAY and rng.random() < 0.8:
            rec = aud[rng.random(len(aud)) < 0.3]
            _burst(day, num, own, rec, EVENING, 3)
            _replies(day, num, own, rec, 0.02, True)
            _replies(day, num, own, rec, 0.01, False)
    elif kind == "smishing":
        first = int(lk.number) % max(1, w.cfg.days - 5)
        if first <= d < first + 4:
            for _ in range(int(rng.integers(2, 6))):
                rec = aud[rng.random(len(aud)) < 0.25]
                _burst(day, num, own, rec, ANY_HOUR, 1)
                _replies(day, num, own, rec, 0.015, False)
                _replies(day, num, own, rec, 0.01, True)


def changers_announce(day: _Day) -> None:
    """Someone who changed number texts the new one to their friends, from the same
    handset, on the day of the change."""
    w = day.w
    for p in np.flatnonzero(w.change_day == day.day):
        friends = np.concatenate([w.tie_b[w.tie_a == p], w.tie_a[w.tie_b == p]])
        if len(friends) == 0:
            continue
        t0 = int(day.times(1, SOCIAL_HOURS)[0])
        t = t0 + np.sort(day.rng.integers(0, 120, len(friends)))
        _texts(day, int(w.new_number[p]), day.cells(np.repeat(p, len(friends))), friends, t)


def lookalikes_real(day: _Day) -> None:
    weekday = (day.w.cfg.start.weekday() + day.day) % 7
    for lk in day.w.lookalikes:
        _one(day, lk, weekday)
    changers_announce(day)
