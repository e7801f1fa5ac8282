"""The realistic style's plan of lines and look-alikes, as the public sources describe them.

- Local lines, sold in the force area they are run from, are now the commonest kind (NPCC
  and NCLCC County Lines Strategic Threat Risk Assessment 2024: lines within one force up
  232 % in a year, lines crossing a boundary down 12 %).
- Deal numbers change routinely (a new SIM in the same handset: the IMEI carries over) or
  after a seizure or a drug-dealing telecommunications restriction order (a new handset,
  after a gap of hours to days); each change loses a tenth to a third of the customers.
- Some lines run a second deal handset for a second town at the same time: one line.
- Customers order one-tailed: a few daily buyers, many rare ones.
- Runners work a runner phone that passes from one runner to the next; some are local
  recruits. The holder may talk to the line's phones only over apps (no call records):
  the controller is then never observed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from crossline.simulate.config import WorldConfig
from crossline.simulate.places import Place
from crossline.simulate.world import DealNumber, Line, Lookalike, Runner

FLYER_STYLES = ("several", "evenings", "launch", "open")


@dataclass
class Planning:
    """What build_world hands the realistic plan: the population drawn so far and its
    helpers (residents of a place; pick people not yet given a role)."""

    cfg: WorldConfig
    rng: np.random.Generator
    places: list[Place]
    age: np.ndarray
    female: np.ndarray
    vulnerable: np.ndarray
    taken: np.ndarray
    spare: list[int]
    residents: Callable[[int], np.ndarray]
    pick: Callable[[np.ndarray, int, np.ndarray | None], np.ndarray]


def _imei(rng: np.random.Generator) -> str:
    return f"35{rng.integers(10**12, 10**13)}"


def _deals(p: Planning, first: int, closed: int | None, town: int) -> list[DealNumber]:
    rng, cfg = p.rng, p.cfg
    deals: list[DealNumber] = []
    day, imei = first, _imei(rng)
    while day < cfg.days and (closed is None or day < closed):
        life = int(rng.integers(12, 70))
        last = min(day + life - 1, cfg.days - 1)
        reason = str(rng.choice(["routine", "routine", "routine", "tro", "arrest", "arrest"]))
        if closed is not None and last >= closed:
            last, reason = closed, "closure"
        elif last == cfg.days - 1:
            reason = "window_end"
        deals.append(DealNumber(int(p.spare.pop()), day, last, reason, imei, town))
        if reason == "routine":
            day = last + 1  # a new SIM in the same handset, the same day
        else:
            imei = _imei(rng)  # seized or barred: a new handset after hours to days
            day = last + 1 + int(rng.integers(0, 4))
    return deals


def _customers(
    p: Planning, pool: np.ndarray, first: int, deals: list[DealNumber], k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng, cfg = p.rng, p.cfg
    cand = pool[(p.age[pool] >= 18) & ~p.taken[pool]]
    base = rng.choice(cand, min(k, len(cand)), replace=False)
    n = len(base)
    c_from = np.where(rng.random(n) < 0.7, first, rng.integers(first, max(first + 1, cfg.days), n))
    c_to = np.full(n, cfg.days - 1, dtype=np.int64)
    # each change of number loses a tenth to a third of the customers buying then
    for d in deals[:-1]:
        on = (c_from <= d.last_day) & (c_to > d.last_day)
        lost = on & (rng.random(n) < rng.uniform(0.1, 0.33))
        c_to[lost] = d.last_day
    # ordering is one-tailed: a few buy daily, most every week or two or rarer
    rate = np.clip(rng.lognormal(math.log(0.09), 1.0, n), 0.015, 1.5)
    return base, rate, c_from.astype(np.int64), c_to


def plan_lines(p: Planning) -> list[Line]:
    rng, cfg, places = p.rng, p.cfg, p.places
    exporters = [i for i, pl in enumerate(places) if pl.exporter]
    importers = [i for i, pl in enumerate(places) if not pl.exporter]
    age, female = p.age, p.female
    lines: list[Line] = []
    for li in range(cfg.lines):
        local = rng.random() < cfg.local_line_share
        if local:
            imp = int(rng.choice(importers + exporters))
            exp = imp
        else:
            exp = exporters[int(rng.integers(len(exporters)))]
            imp_choices = [i for i in importers if places[i].force != places[exp].force]
            imp = (
                imp_choices[li % len(imp_choices)]
                if li < len(imp_choices)
                else int(rng.choice(imp_choices))
            )
        exp_res, imp_res = p.residents(exp), p.residents(imp)
        holder = int(p.pick(exp_res, 1, (age >= 19) & (age <= 45))[0])
        age[holder] = max(int(age[holder]), 19)
        female[holder] = rng.random() < 0.1

        first = 0 if rng.random() < 0.75 else int(rng.integers(0, cfg.days // 2))
        closed: int | None = None
        if rng.random() < 0.12:
            closed = int(rng.integers(first + 10, max(first + 11, cfg.days)))
        deals = _deals(p, first, closed, imp)
        k = int(np.clip(rng.lognormal(math.log(70), 0.7), 15, 400))
        base, rate, c_from, c_to = _customers(p, imp_res, first, deals, k)
        town = np.full(len(base), imp, dtype=np.int64)
        # a second deal handset for a second town of the same force, run alongside
        towns2 = [i for i in importers if i != imp and places[i].force == places[imp].force]
        if towns2 and rng.random() < 0.3:
            t2 = int(rng.choice(towns2))
            f2 = int(rng.integers(first, max(first + 1, first + cfg.days // 3)))
            second = _deals(p, f2, closed, t2)
            b2, r2, cf2, ct2 = _customers(p, p.residents(t2), f2, second, max(15, k // 2))
            deals += second
            base = np.concatenate([base, b2])
            rate = np.concatenate([rate, r2])
            c_from = np.concatenate([c_from, cf2])
            c_to = np.concatenate([c_to, ct2])
            town = np.concatenate([town, np.full(len(b2), t2, dtype=np.int64)])
        # rivals in one town share some customers; each stays its own line
        same_town = [ln for ln in lines if ln.importer == imp]
        if same_town:
            other = same_town[int(rng.integers(len(same_town)))]
            idx = rng.choice(len(other.customers), max(1, len(other.customers) // 5), replace=False)
            base = np.concatenate([base, other.customers[idx]])
            rate = np.concatenate([rate, other.customer_rate[idx]])
            c_from = np.concatenate([c_from, np.full(len(idx), first)])
            c_to = np.concatenate([c_to, np.full(len(idx), cfg.days - 1)])
            town = np.concatenate([town, np.full(len(idx), imp, dtype=np.int64)])
            base, uniq = np.unique(base, return_index=True)
            rate, c_from, c_to, town = rate[uniq], c_from[uniq], c_to[uniq], town[uniq]

        runners = _runners(p, first, closed, exp_res, imp_res, local)
        cuck = [int(x) for x in p.pick(imp_res, int(rng.integers(1, 3)), age >= 30)]
        p.vulnerable[cuck] = True
        lines.append(
            Line(
                line_id=f"L{li + 1:03d}",
                name=f"{['Tony', 'Benz', 'Kev', 'Dolla', 'Ghost', 'Rico', 'Zino'][li % 7]} line",
                exporter=exp,
                importer=imp,
                holder=holder,
                holder_holds_deal_phone=bool(rng.random() < 0.5),
                flyers_per_day=float(rng.uniform(1.5, 5.0)),
                deals=deals,
                runners=runners,
                customers=base,
                customer_rate=rate,
                customer_from=c_from,
                customer_to=c_to,
                cuckooed=cuck,
                closed_day=closed,
                local=local,
                controller_hidden=bool(rng.random() < 0.2),
                customer_town=town,
                flyer_style=str(rng.choice(FLYER_STYLES, p=[0.35, 0.2, 0.2, 0.25])),
                android=bool(rng.random() < 0.5),
            )
        )
    return lines


def _runners(
    p: Planning,
    first: int,
    closed: int | None,
    exp_res: np.ndarray,
    imp_res: np.ndarray,
    local: bool,
) -> list[Runner]:
    """One or two runner phones, each worked by one to three runners in turn."""
    rng, cfg, age = p.rng, p.cfg, p.age
    end = cfg.days - 1 if closed is None else closed
    out: list[Runner] = []
    for _ in range(int(rng.integers(1, 3))):
        phone = int(p.spare.pop())
        n_turns = int(rng.integers(1, 4))
        edges = np.linspace(first, end + 1, n_turns + 1).astype(int)
        for t in range(n_turns):
            r_first, r_last = int(edges[t]), max(int(edges[t]), int(edges[t + 1]) - 1)
            from_city = (not local) and rng.random() < 0.65
            is_child = rng.random() < (0.55 if from_city else 0.3)
            lo, hi = (14, 17) if is_child else (18, 26)
            pool = exp_res if from_city else imp_res
            pr = int(p.pick(pool, 1, (age >= 12) & (age <= 30))[0])
            age[pr] = int(rng.integers(lo, hi + 1))
            p.female[pr] = rng.random() < 0.15
            trips: list[tuple[int, int]] = []
            if from_city:
                d = r_first
                while d <= r_last:
                    t_len = int(rng.integers(2, 8))
                    trips.append((d, min(r_last, d + t_len - 1)))
                    d += t_len + int(rng.integers(1, 5))
            else:
                trips.append((r_first, r_last))
            out.append(Runner(pr, r_first, r_last, trips, is_child, phone))
    return out


# look-alike kinds of the realistic style, with (count per line, audience low, high)
LOOKALIKES: dict[str, tuple[float, int, int]] = {
    "business_bulk": (0.6, 80, 400),
    "evening_bulk": (0.4, 80, 300),
    "taxi": (0.5, 60, 300),
    "promo_takeaway": (0.4, 80, 300),
    "beautician": (0.4, 25, 90),
    "delivery_driver": (0.4, 300, 1500),
    "group_organiser": (0.5, 15, 45),
    "church": (0.3, 30, 120),
    "sports_club": (0.3, 20, 60),
    "party_invite": (0.3, 20, 70),
    "canvasser": (0.2, 300, 1200),
    "smishing": (0.15, 2000, 6000),
}


def plan_lookalikes(p: Planning, number: np.ndarray) -> list[Lookalike]:
    rng, cfg = p.rng, p.cfg
    out: list[Lookalike] = []
    n_people = len(p.age)
    for kind, (per_line, lo, hi) in LOOKALIKES.items():
        for _ in range(cfg.count(per_line)):
            pl = int(rng.integers(len(p.places)))
            res = p.residents(pl)
            if kind == "smishing":  # random numbers anywhere in the country
                res = np.arange(n_people)
            k = min(len(res), int(rng.integers(lo, hi)))
            aud = rng.choice(res, k, replace=False)
            person: int | None = None
            if kind in ("group_organiser", "church", "sports_club", "party_invite", "beautician"):
                person = int(rng.choice(p.residents(pl)))
                aud = aud[aud != person]
            disp = np.zeros(0, dtype=np.int64)
            num = int(number[person]) if person is not None else int(p.spare.pop())
            if kind == "taxi":
                # a landline takes the bookings; a dispatch mobile calls drivers, texts fares
                disp = rng.choice(res, min(len(res), int(rng.integers(3, 10))), replace=False)
                landline = int(1_000_000_000 + rng.integers(100_000_000, 999_999_999))
                out.append(Lookalike("taxi_landline", landline, pl, aud, None, disp))
            out.append(Lookalike(kind, num, pl, aud, person, disp))
    return out
