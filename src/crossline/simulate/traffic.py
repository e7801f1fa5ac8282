"""Communications traffic, one day at a time so memory stays bounded at any size: the own
style's lines and look-alikes here, the realistic style's in traffic_real.py and
lookalikes_real.py (NCA and NCLCC assessments: lines broadcast 'flyers' at any hour, take
short orders from one town, relay them to runners and change number every few weeks)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from crossline.simulate.world import Line, World

SECONDS_PER_DAY = 86_400


def _w(values: Sequence[float]) -> np.ndarray:
    a = np.array(values, dtype=float)
    out: np.ndarray = a / a.sum()
    return out


# Hour-of-day weights (local time).
SOCIAL_HOURS = _w(
    [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 5, 5, 5, 5, 6, 6, 5, 5, 6, 7, 8, 8, 7, 6, 4, 2]
)
DRUG_HOURS = _w([3, 2.5, 2, 1.5, 1, 1, 1.5, 2, 3, 4, 5, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 6, 5, 4])
FLYER_HOURS = _w([2, 2, 1.5, 1.5, 1, 1, 1.5, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2.5])
BUSINESS_HOURS = _w([0] * 9 + [3, 4, 4, 4, 4, 4, 4, 4, 3, 2] + [0] * 5)
TAXI_HOURS = _w([6, 5, 4, 2, 1, 1, 2, 4, 4, 3, 3, 3, 3, 3, 3, 4, 5, 6, 6, 6, 7, 7, 7, 7])
TAKEAWAY_HOURS = _w([1, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 1, 1, 2, 5, 8, 9, 8, 6, 4, 2])
ORGANISER_HOURS = _w([0] * 9 + [2, 3, 3, 3, 3, 3, 3, 3, 4, 5, 5, 3, 1] + [0] * 2)


@dataclass
class DayTraffic:
    """Columns of one day's events (numbers as national digits, cells as indices)."""

    src: np.ndarray
    tgt: np.ndarray
    t: np.ndarray  # seconds since the epoch, UTC
    sms: np.ndarray  # bool
    dur: np.ndarray  # seconds; -1 for sms
    scell: np.ndarray  # cell index, -1 unknown
    tcell: np.ndarray

    def __len__(self) -> int:
        return len(self.src)


class _Day:
    def __init__(self, world: World, day: int, rng: np.random.Generator) -> None:
        self.w = world
        self.day = day
        self.rng = rng
        self.t0 = world_epoch(world) + day * SECONDS_PER_DAY
        self.parts: list[tuple[np.ndarray, ...]] = []
        # where each runner is today: in the importer town on trips
        self.away: dict[int, int] = {}
        for line in world.lines:
            for r in line.runners:
                for a, b in r.trips:
                    if a <= day <= b:
                        home = line.cuckooed[int(rng.integers(len(line.cuckooed)))]
                        self.away[r.person] = (
                            int(world.home_cell[home])
                            if rng.random() < 0.7
                            else int(world.cells.random_in(np.array([line.importer]), rng)[0])
                        )
        self.away_ids = np.array(sorted(self.away), dtype=np.int64)
        self.away_cells = np.array([self.away[p] for p in self.away_ids], dtype=np.int64)

    def times(self, n: int, hours: np.ndarray) -> np.ndarray:
        h = self.rng.choice(24, n, p=hours)
        return self.t0 + h * 3600 + self.rng.integers(0, 3600, n)

    def numbers(self, persons: np.ndarray) -> np.ndarray:
        w = self.w
        changed = w.change_day[persons] <= self.day
        out: np.ndarray = np.where(changed, w.new_number[persons], w.number[persons])
        return out

    def cells(self, persons: np.ndarray) -> np.ndarray:
        w, rng = self.w, self.rng
        u = rng.random(len(persons))
        cell: np.ndarray = np.where(u < 0.6, w.home_cell[persons], w.work_cell[persons])
        roam = u > 0.88
        if roam.any():
            cell[roam] = w.cells.random_in(w.home_place[persons[roam]], rng)
        if len(self.away_ids):
            idx = np.searchsorted(self.away_ids, persons)
            idx = np.clip(idx, 0, len(self.away_ids) - 1)
            hit = self.away_ids[idx] == persons
            cell[hit] = self.away_cells[idx[hit]]
        return cell

    def add(
        self,
        src: np.ndarray,
        tgt: np.ndarray,
        t: np.ndarray,
        sms: np.ndarray | bool,
        dur: np.ndarray | None,
        scell: np.ndarray,
        tcell: np.ndarray,
    ) -> None:
        n = len(src)
        if n == 0:
            return
        sms_a = np.broadcast_to(np.asarray(sms, dtype=bool), (n,)).copy()
        if dur is None:
            dur = np.full(n, -1, dtype=np.int64)
        dur = np.where(sms_a, -1, dur).astype(np.int64)
        self.parts.append(
            (
                src.astype(np.int64),
                tgt.astype(np.int64),
                t.astype(np.int64),
                sms_a,
                dur,
                scell.astype(np.int64),
                tcell.astype(np.int64),
            )
        )

    def call_durations(self, n: int, median: float, sigma: float, lo: int, hi: int) -> np.ndarray:
        return np.clip(self.rng.lognormal(np.log(median), sigma, n), lo, hi).astype(np.int64)

    def result(self) -> DayTraffic:
        if not self.parts:
            e = np.zeros(0, dtype=np.int64)
            return DayTraffic(e, e, e, e.astype(bool), e, e, e)
        cols = [np.concatenate([p[i] for p in self.parts]) for i in range(7)]
        order = np.argsort(cols[2], kind="stable")
        cols = [c[order] for c in cols]
        return DayTraffic(*cols)


def world_epoch(world: World) -> int:
    d = world.cfg.start
    return int(np.datetime64(d.isoformat(), "s").astype(np.int64))


def _social(day: _Day) -> None:
    w, rng = day.w, day.rng
    n = rng.poisson(w.tie_total_rate)
    if n == 0 or len(w.tie_a) == 0:
        return
    tie = np.searchsorted(w.tie_cum, rng.random(n) * w.tie_total_rate)
    tie = np.clip(tie, 0, len(w.tie_a) - 1)
    flip = rng.random(n) < 0.5
    a = np.where(flip, w.tie_b[tie], w.tie_a[tie])
    b = np.where(flip, w.tie_a[tie], w.tie_b[tie])
    sms = rng.random(n) < 0.5
    day.add(
        day.numbers(a),
        day.numbers(b),
        day.times(n, SOCIAL_HOURS),
        sms,
        day.call_durations(n, 90, 1.0, 5, 3600),
        day.cells(a),
        day.cells(b),
    )


def _line(day: _Day, line: Line) -> None:
    w, rng, d = day.w, day.rng, day.day
    deal = line.deal_on(d)
    if deal is None:
        return
    dn = np.int64(deal.number)
    active = (line.customer_from <= d) & (line.customer_to >= d)
    cust = line.customers[active]
    if len(cust) == 0:
        return
    holder = np.array([line.holder])
    if line.holder_holds_deal_phone:

        def deal_cells(k: int) -> np.ndarray:
            return np.asarray(day.cells(np.repeat(holder, k)))
    else:

        def deal_cells(k: int) -> np.ndarray:
            home = w.home_cell[np.array(line.cuckooed)]
            town = w.cells.random_in(np.full(k, line.importer), rng)
            return np.where(rng.random(k) < 0.6, home[rng.integers(0, len(home), k)], town)

    # orders: short calls and texts from customers
    counts = rng.poisson(line.customer_rate[active])
    buyers = np.repeat(cust, counts)
    k = len(buyers)
    t_order = day.times(k, DRUG_HOURS)
    sms = rng.random(k) < 0.55
    bnum = day.numbers(buyers)
    day.add(
        bnum,
        np.full(k, dn),
        t_order,
        sms,
        day.call_durations(k, 25, 0.5, 4, 180),
        day.cells(buyers),
        deal_cells(k),
    )
    # short replies to texted orders
    rep = sms & (rng.random(k) < 0.5)
    kr = int(rep.sum())
    day.add(
        np.full(kr, dn),
        bnum[rep],
        t_order[rep] + rng.integers(30, 600, kr),
        True,
        None,
        deal_cells(kr),
        day.cells(buyers[rep]),
    )

    runners = [r for r in line.runners if r.first_day <= d <= r.last_day]
    in_town = [r.person for r in runners if r.person in day.away]
    controller = w.number[line.holder]
    if line.holder_holds_deal_phone and runners:
        # orders relayed to whoever is grafting in the town
        targets = np.array(in_town or [r.person for r in runners])
        relay = rng.random(k) < 0.7
        kk = int(relay.sum())
        who = targets[rng.integers(0, len(targets), kk)]
        day.add(
            np.full(kk, dn),
            day.numbers(who),
            t_order[relay] + rng.integers(60, 900, kk),
            rng.random(kk) < 0.8,
            day.call_durations(kk, 30, 0.5, 5, 200),
            deal_cells(kk),
            day.cells(who),
        )
    else:
        # the holder checks in with whoever has the deal phone
        kk = int(rng.poisson(3))
        out = rng.random(kk) < 0.5
        src = np.where(out, controller, dn)
        tgt = np.where(out, dn, controller)
        hc = day.cells(np.repeat(holder, kk))
        dc = deal_cells(kk)
        day.add(
            src,
            tgt,
            day.times(kk, DRUG_HOURS),
            rng.random(kk) < 0.4,
            day.call_durations(kk, 60, 0.7, 5, 900),
            np.where(out, hc, dc),
            np.where(out, dc, hc),
        )
    # the holder runs his runners
    if runners:
        kk = int(rng.poisson(2 + len(runners)))
        who = np.array([r.person for r in runners])[rng.integers(0, len(runners), kk)]
        out = rng.random(kk) < 0.6
        rn = day.numbers(who)
        hc = day.cells(np.repeat(holder, kk))
        rc = day.cells(who)
        day.add(
            np.where(out, controller, rn),
            np.where(out, rn, controller),
            day.times(kk, DRUG_HOURS),
            rng.random(kk) < 0.5,
            day.call_durations(kk, 60, 0.8, 5, 1200),
            np.where(out, hc, rc),
            np.where(out, rc, hc),
        )
    # flyers: bulk texts to the customer base, at any hour; a new number announces itself
    bursts = int(rng.poisson(line.flyers_per_day)) + (2 if d == deal.first_day else 0)
    for _ in range(bursts):
        share = 0.85 if d == deal.first_day else rng.uniform(0.5, 1.0)
        rec = cust[rng.random(len(cust)) < share]
        kr = len(rec)
        t = day.times(1, FLYER_HOURS)[0] + np.sort(rng.integers(0, 600, kr))
        day.add(np.full(kr, dn), day.numbers(rec), t, True, None, deal_cells(kr), day.cells(rec))


def generate_days(world: World) -> Iterator[tuple[int, DayTraffic]]:
    """Yield (day, traffic) for every day of the window, deterministically per seed."""
    for d in range(world.cfg.days):
        rng = np.random.default_rng([world.cfg.seed, 1, d])
        day = _Day(world, d, rng)
        _social(day)
        if world.cfg.style == "realistic":
            from crossline.simulate.traffic_real import realistic_day

            realistic_day(day)
        else:
            from crossline.simulate.lookalikes_own import lookalikes_own

            for line in world.lines:
                _line(day, line)
            lookalikes_own(day)
        yield d, day.result()
