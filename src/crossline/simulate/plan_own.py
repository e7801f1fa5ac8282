"""The own style's county lines, kept as they were, draw for draw, for the record."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from crossline.simulate.config import WorldConfig
from crossline.simulate.places import Place
from crossline.simulate.world import DealNumber, Line, Runner


def own_lines(
    cfg: WorldConfig,
    rng: np.random.Generator,
    places: list[Place],
    age: np.ndarray,
    female: np.ndarray,
    vulnerable: np.ndarray,
    taken: np.ndarray,
    residents: Callable[[int], np.ndarray],
    pick: Callable[[np.ndarray, int, np.ndarray | None], np.ndarray],
    spare: list[int],
) -> list[Line]:
    """The own style's lines (kept as they were, draw for draw, for the record)."""
    exporters = [i for i, p in enumerate(places) if p.exporter]
    importers = [i for i, p in enumerate(places) if not p.exporter]
    lines: list[Line] = []
    for li in range(cfg.lines):
        exp = exporters[int(rng.integers(len(exporters)))]
        imp_choices = [i for i in importers if places[i].force != places[exp].force]
        imp = (
            imp_choices[li % len(imp_choices)]
            if li < len(imp_choices)
            else int(rng.choice(imp_choices))
        )
        exp_res, imp_res = residents(exp), residents(imp)
        holder = int(pick(exp_res, 1, (age >= 19) & (age <= 40))[0])
        age[holder] = max(int(age[holder]), 19)
        female[holder] = rng.random() < 0.1

        # deal numbers: replaced every few weeks, routinely or after a TRO or an arrest
        first = 0 if rng.random() < 0.75 else int(rng.integers(0, cfg.days // 2))
        closed: int | None = None
        if rng.random() < 0.12:
            closed = int(rng.integers(first + 10, max(first + 11, cfg.days)))
        deals: list[DealNumber] = []
        day = first
        while day < cfg.days and (closed is None or day < closed):
            life = int(rng.integers(12, 50))
            last = min(day + life - 1, cfg.days - 1)
            reason = str(rng.choice(["routine", "routine", "tro", "arrest"]))
            if closed is not None and last >= closed:
                last, reason = closed, "closure"
            elif last == cfg.days - 1:
                reason = "window_end"
            deals.append(DealNumber(int(spare.pop()), day, last, reason))
            day = last + 1 + (int(rng.integers(0, 3)) if reason != "routine" else 0)

        # runners: children from the city, some local young adults
        n_run = int(rng.integers(2, 5))
        runners: list[Runner] = []
        for _ in range(n_run):
            from_city = rng.random() < 0.8
            is_child = rng.random() < (0.65 if from_city else 0.3)
            lo, hi = (14, 17) if is_child else (18, 24)
            pool = exp_res if from_city else imp_res
            pr = int(pick(pool, 1, (age >= 12) & (age <= 30))[0])
            age[pr] = int(rng.integers(lo, hi + 1))
            female[pr] = rng.random() < 0.15
            r_first = int(rng.integers(first, max(first + 1, first + (cfg.days - first) // 2)))
            r_last = min(cfg.days - 1, r_first + int(rng.integers(20, 120)))
            if closed is not None:
                # a runner recruited after the line closed never worked for it: start earlier
                r_first = min(r_first, closed)
                r_last = max(r_first, min(r_last, closed))
            trips: list[tuple[int, int]] = []
            if from_city:
                d = r_first
                while d <= r_last:
                    t_len = int(rng.integers(2, 8))
                    trips.append((d, min(r_last, d + t_len - 1)))
                    d += t_len + int(rng.integers(2, 8))
            else:
                trips.append((r_first, r_last))
            runners.append(Runner(pr, r_first, r_last, trips, is_child))

        # customers: the town's users, some shared with another line in the same town
        same_town = [ln for ln in lines if ln.importer == imp]
        k = int(np.clip(rng.lognormal(math.log(60), 0.5), 15, max(16, len(imp_res) // 4)))
        cand = imp_res[(age[imp_res] >= 18) & ~taken[imp_res]]
        base = rng.choice(cand, min(k, len(cand)), replace=False)
        if same_town:
            other = same_town[int(rng.integers(len(same_town)))].customers
            shared = rng.choice(other, min(len(other), max(1, k // 5)), replace=False)
            base = np.unique(np.concatenate([base, shared]))
        c_from = np.where(
            rng.random(len(base)) < 0.7,
            first,
            rng.integers(first, max(first + 1, cfg.days), len(base)),
        )
        c_to = np.where(
            rng.random(len(base)) < 0.8,
            cfg.days - 1,
            np.minimum(cfg.days - 1, c_from + rng.integers(10, 60, len(base))),
        )
        c_rate = rng.choice([0.6, 0.25, 0.08], len(base), p=[0.25, 0.45, 0.3])
        cuck = [int(x) for x in pick(imp_res, int(rng.integers(1, 3)), age >= 30)]
        vulnerable[cuck] = True
        lines.append(
            Line(
                line_id=f"L{li + 1:03d}",
                name=f"{_brand(rng)} line",
                exporter=exp,
                importer=imp,
                holder=holder,
                holder_holds_deal_phone=bool(rng.random() < 0.5),
                flyers_per_day=float(rng.uniform(0.6, 3.0)),
                deals=deals,
                runners=runners,
                customers=base,
                customer_rate=c_rate,
                customer_from=c_from,
                customer_to=c_to,
                cuckooed=cuck,
                closed_day=closed,
            )
        )

    return lines


def _brand(rng: np.random.Generator) -> str:
    names = (
        "Tony",
        "Benz",
        "Kev",
        "Dolla",
        "Smokey",
        "Mitch",
        "Deezy",
        "Ghost",
        "Blade",
        "Frosty",
        "Rico",
        "Zino",
        "Jay",
        "Taz",
        "Skeng",
        "Milo",
        "Bugsy",
        "Kane",
    )
    return str(names[int(rng.integers(len(names)))])
