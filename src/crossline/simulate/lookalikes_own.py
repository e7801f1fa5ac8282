"""The own style's look-alikes (kept as they were, draw for draw, for the record): bulk
texting businesses (weekly, daytime), taxi firms and takeaways with short inbound calls,
a takeaway texting a daily offer, group organisers."""

from __future__ import annotations

import numpy as np

from crossline.simulate.traffic import (
    BUSINESS_HOURS,
    ORGANISER_HOURS,
    TAKEAWAY_HOURS,
    TAXI_HOURS,
    _Day,
)


def lookalikes_own(day: _Day) -> None:
    w, rng, d = day.w, day.rng, day.day
    weekday = (w.cfg.start.weekday() + d) % 7
    for lk in w.lookalikes:
        num = np.int64(lk.number)
        own_cell = int(w.cells.start[lk.place])
        aud = lk.audience
        if lk.kind == "business_bulk":
            if weekday < 6 and rng.random() < 0.2:
                rec = aud[rng.random(len(aud)) < rng.uniform(0.6, 1.0)]
                t = day.times(1, BUSINESS_HOURS)[0] + np.sort(rng.integers(0, 900, len(rec)))
                day.add(
                    np.full(len(rec), num),
                    day.numbers(rec),
                    t,
                    True,
                    None,
                    np.full(len(rec), own_cell),
                    day.cells(rec),
                )
            callers = aud[rng.random(len(aud)) < 0.01]
            day.add(
                day.numbers(callers),
                np.full(len(callers), num),
                day.times(len(callers), BUSINESS_HOURS),
                False,
                day.call_durations(len(callers), 120, 0.6, 10, 900),
                day.cells(callers),
                np.full(len(callers), own_cell),
            )
        elif lk.kind in ("taxi", "takeaway", "promo_takeaway"):
            taxi = lk.kind == "taxi"
            if lk.kind == "promo_takeaway":
                # the hardest look-alike: a daily offer texted to the whole customer list
                # before the evening rush, and customers ringing in short orders
                rec = aud[rng.random(len(aud)) < rng.uniform(0.6, 1.0)]
                t0 = day.t0 + int(rng.integers(15 * 3600, 18 * 3600))
                day.add(
                    np.full(len(rec), num),
                    day.numbers(rec),
                    t0 + np.sort(rng.integers(0, 600, len(rec))),
                    True,
                    None,
                    np.full(len(rec), own_cell),
                    day.cells(rec),
                )
            rate = 0.08 if taxi else 0.05
            callers = np.repeat(aud, rng.poisson(rate, len(aud)))
            k = len(callers)
            t = day.times(k, TAXI_HOURS if taxi else TAKEAWAY_HOURS)
            cnum = day.numbers(callers)
            day.add(
                cnum,
                np.full(k, num),
                t,
                False,
                day.call_durations(k, 35 if taxi else 70, 0.4, 8, 300),
                day.cells(callers),
                np.full(k, own_cell),
            )
            back = rng.random(k) < (0.3 if taxi else 0.1)
            kb = int(back.sum())
            day.add(
                np.full(kb, num),
                cnum[back],
                t[back] + rng.integers(180, 900, kb),
                True,
                None,
                np.full(kb, own_cell),
                day.cells(callers[back]),
            )
            if len(lk.dispatch):
                go = rng.random(k) < 0.8
                kg = int(go.sum())
                drv = lk.dispatch[rng.integers(0, len(lk.dispatch), kg)]
                day.add(
                    np.full(kg, num),
                    day.numbers(drv),
                    t[go] + rng.integers(30, 300, kg),
                    False,
                    day.call_durations(kg, 20, 0.4, 5, 120),
                    np.full(kg, own_cell),
                    day.cells(drv),
                )
        elif lk.kind == "group_organiser" and lk.person is not None and rng.random() < 1 / 7:
            org = np.array([lk.person])
            onum = day.numbers(org)[0]
            rec = aud[rng.random(len(aud)) < rng.uniform(0.7, 1.0)]
            t = day.times(1, ORGANISER_HOURS)[0] + np.sort(rng.integers(0, 300, len(rec)))
            day.add(
                np.full(len(rec), onum),
                day.numbers(rec),
                t,
                True,
                None,
                day.cells(np.repeat(org, len(rec))),
                day.cells(rec),
            )
            rep = rng.random(len(rec)) < 0.3
            kr = int(rep.sum())
            day.add(
                day.numbers(rec[rep]),
                np.full(kr, onum),
                t[rep] + rng.integers(60, 3600, kr),
                True,
                None,
                day.cells(rec[rep]),
                day.cells(np.repeat(org, kr)),
            )
