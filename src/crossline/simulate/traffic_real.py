"""The realistic style's line traffic, as deal-line phone analyses and case reports
describe it (NCA and NPCC threat assessments; HMICFRS 2020; deal-line phone analyses in
evidence such as M. Atha, Expert Witness Journal 62, 2025):

- flyering varies from line to line: several a day at any hour; a few evenings a week;
  mainly when a new number launches; a daily "open" text. A basic handset sends its list in
  seconds; an Android phone is limited to about 30 texts per 30 minutes, so one flyer can
  take an hour;
- ordering is one-tailed, many orders are calls, some calls go unanswered and are redialled;
- a holder keeping the deal phone relays orders from it to the runner phone; a runner
  carrying it talks to the holder, and other runners talk only to the holder; a holder
  using apps only leaves no record with the line's phones.
"""

from __future__ import annotations

import numpy as np

from crossline.simulate.traffic import (
    DRUG_HOURS,
    FLYER_HOURS,
    _Day,
    _w,
)
from crossline.simulate.world import DealNumber, Line, Runner

EVENING_HOURS = _w([0] * 17 + [2, 4, 4, 3, 2, 1] + [0])
OPEN_HOURS = _w([0] * 8 + [3, 4, 3, 1] + [0] * 12)
ANDROID_CHUNK = 30  # texts an Android phone sends before its 30-minute limit


def _flyer_count(day: _Day, line: Line, deal: DealNumber) -> tuple[int, np.ndarray]:
    rng, d = day.rng, day.day
    age = d - deal.first_day
    style = line.flyer_style
    if style == "several":
        return int(rng.poisson(line.flyers_per_day)), FLYER_HOURS
    if style == "evenings":
        return int(rng.random() < 3 / 7), EVENING_HOURS
    if style == "launch":
        return int(rng.poisson(3.0 if age < 3 else 0.3)), FLYER_HOURS
    return 1 + int(rng.poisson(0.4)), OPEN_HOURS  # "open": a daily opening text


def _send_list(day: _Day, t0: int, k: int, android: bool) -> np.ndarray:
    rng = day.rng
    if not android:
        return t0 + np.sort(rng.integers(0, 60, k))
    chunk = np.arange(k) // ANDROID_CHUNK
    return t0 + chunk * (1800 + rng.integers(0, 120)) + np.sort(rng.integers(0, 90, k))


def _runner_on(line: Line, d: int) -> list[Runner]:
    return [r for r in line.runners if r.first_day <= d <= r.last_day]


def line_real(day: _Day, line: Line) -> None:
    w, rng, d = day.w, day.rng, day.day
    deals = line.deals_on(d)
    if not deals:
        return
    holder = np.array([line.holder])
    ctrl = np.int64(w.number[line.holder])
    runners = _runner_on(line, d)
    r_phone = np.array([r.phone for r in runners], dtype=np.int64)
    r_person = np.array([r.person for r in runners], dtype=np.int64)
    towns = line.customer_town if line.customer_town is not None else line.customers * 0
    for deal in deals:
        dn = np.int64(deal.number)
        active = (line.customer_from <= d) & (line.customer_to >= d) & (towns == deal.town)
        cust = line.customers[active]
        if len(cust) == 0:
            continue
        held = line.holder_holds_deal_phone and deal.town == line.importer

        def deal_cells(k: int, held: bool = held, town: int = deal.town) -> np.ndarray:
            if held:
                return np.asarray(day.cells(np.repeat(holder, k)))
            home = w.home_cell[np.array(line.cuckooed)]
            spot = w.cells.random_in(np.full(k, town), rng)
            if town != line.importer:
                return np.asarray(spot)
            return np.where(rng.random(k) < 0.6, home[rng.integers(0, len(home), k)], spot)

        # orders: texts and calls, some calls unanswered and redialled
        counts = rng.poisson(line.customer_rate[active])
        buyers = np.repeat(cust, counts)
        k = len(buyers)
        t = day.times(k, DRUG_HOURS)
        sms = rng.random(k) < 0.45
        dur = day.call_durations(k, 18, 0.6, 3, 240)
        missed = ~sms & (rng.random(k) < 0.15)
        dur[missed] = 0
        bnum = day.numbers(buyers)
        day.add(bnum, np.full(k, dn), t, sms, dur, day.cells(buyers), deal_cells(k))
        km = int(missed.sum())
        day.add(
            bnum[missed],
            np.full(km, dn),
            t[missed] + rng.integers(40, 300, km),
            False,
            day.call_durations(km, 15, 0.5, 3, 120),
            day.cells(buyers[missed]),
            deal_cells(km),
        )
        rep = sms & (rng.random(k) < 0.5)
        kr = int(rep.sum())
        day.add(
            np.full(kr, dn),
            bnum[rep],
            t[rep] + rng.integers(30, 600, kr),
            True,
            None,
            deal_cells(kr),
            day.cells(buyers[rep]),
        )
        # the runner delivering rings or texts the buyer when outside
        if len(runners):
            meet = rng.random(k) < 0.25
            km = int(meet.sum())
            who = rng.integers(0, len(runners), km)
            day.add(
                r_phone[who],
                bnum[meet],
                t[meet] + rng.integers(600, 2400, km),
                rng.random(km) < 0.6,
                day.call_durations(km, 15, 0.5, 3, 90),
                day.cells(r_person[who]),
                day.cells(buyers[meet]),
            )
        # the work: relays from a held deal phone to the runner phone, or check-ins
        if held and len(runners):
            relay = rng.random(k) < 0.6
            kk = int(relay.sum())
            who = rng.integers(0, len(runners), kk)
            day.add(
                np.full(kk, dn),
                r_phone[who],
                t[relay] + rng.integers(60, 900, kk),
                rng.random(kk) < 0.8,
                day.call_durations(kk, 25, 0.5, 5, 200),
                deal_cells(kk),
                day.cells(r_person[who]),
            )
        elif not held and not line.controller_hidden:
            kk = int(rng.poisson(2.5))
            out = rng.random(kk) < 0.5
            hc, dc = day.cells(np.repeat(holder, kk)), deal_cells(kk)
            day.add(
                np.where(out, ctrl, dn),
                np.where(out, dn, ctrl),
                day.times(kk, DRUG_HOURS),
                rng.random(kk) < 0.4,
                day.call_durations(kk, 60, 0.7, 5, 900),
                np.where(out, hc, dc),
                np.where(out, dc, hc),
            )
        _flyers(day, line, deal, cust, deal_cells)
    # the holder runs the runner phones (unless over apps only)
    if len(runners) and not line.controller_hidden:
        kk = int(rng.poisson(1.0 if line.holder_holds_deal_phone else 2.0 + len(runners)))
        who = rng.integers(0, len(runners), kk)
        out = rng.random(kk) < 0.6
        hc, rc = day.cells(np.repeat(holder, kk)), day.cells(r_person[who])
        day.add(
            np.where(out, ctrl, r_phone[who]),
            np.where(out, r_phone[who], ctrl),
            day.times(kk, DRUG_HOURS),
            rng.random(kk) < 0.5,
            day.call_durations(kk, 60, 0.8, 5, 1200),
            np.where(out, hc, rc),
            np.where(out, rc, hc),
        )


def _flyers(day: _Day, line: Line, deal: DealNumber, cust: np.ndarray, deal_cells: object) -> None:
    rng, d = day.rng, day.day
    n, hours = _flyer_count(day, line, deal)
    new = d == deal.first_day
    cells_of = deal_cells if callable(deal_cells) else None
    assert cells_of is not None
    for i in range(n + int(new)):
        launch = new and i == n
        rec = cust[rng.random(len(cust)) < (0.85 if launch else rng.uniform(0.5, 1.0))]
        kr = len(rec)
        t0 = int(day.times(1, FLYER_HOURS if launch else hours)[0])
        t = _send_list(day, t0, kr, line.android)
        day.add(
            np.full(kr, np.int64(deal.number)),
            day.numbers(rec),
            t,
            True,
            None,
            cells_of(kr),
            day.cells(rec),
        )


def realistic_day(day: _Day) -> None:
    from crossline.simulate.lookalikes_real import lookalikes_real

    for line in day.w.lines:
        line_real(day, line)
    lookalikes_real(day)
