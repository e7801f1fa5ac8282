"""The static plan of a world: places, cells, people, social ties, county lines and the
look-alikes that make detection hard. Traffic is generated from this plan day by day."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from crossline.simulate.config import WorldConfig
from crossline.simulate.places import EXPORTERS, IMPORTERS, Place

KM_PER_DEG_LAT = 111.0


@dataclass
class Cells:
    ids: list[str]
    lat: np.ndarray
    lon: np.ndarray
    place: np.ndarray  # index into World.places
    start: np.ndarray  # per place: first cell index
    count: np.ndarray  # per place: number of cells

    def random_in(self, places: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        idx: np.ndarray = self.start[places] + (
            rng.random(len(places)) * self.count[places]
        ).astype(np.int64)
        return idx


@dataclass
class DealNumber:
    number: int
    first_day: int
    last_day: int
    end_reason: str  # routine | tro | arrest | closure | window_end
    imei: str = ""  # the handset it ran in (realistic style: kept on a routine change)
    town: int = -1  # the place it sells in (realistic: a second handset for a second town)


@dataclass
class Runner:
    person: int
    first_day: int
    last_day: int
    trips: list[tuple[int, int]]  # (first_day, last_day) spent in the importer town
    child: bool
    phone: int = 0  # the number worked (realistic: a runner phone passed on); 0 = own number


@dataclass
class Line:
    line_id: str
    name: str
    exporter: int  # place index
    importer: int  # place index
    holder: int  # person index
    holder_holds_deal_phone: bool
    deals: list[DealNumber]
    runners: list[Runner]
    customers: np.ndarray  # person indices (all who ever bought)
    customer_rate: np.ndarray  # orders per day
    customer_from: np.ndarray  # day each customer starts buying
    customer_to: np.ndarray  # last day
    cuckooed: list[int]  # person indices of vulnerable adults whose homes are used
    closed_day: int | None = None
    flyers_per_day: float = 2.0  # some lines market every other day, some hourly
    # realistic style (simulate/plan_real.py)
    local: bool = False  # sold in the force area it is run from
    controller_hidden: bool = False  # the holder talks to the line's phones over apps only
    customer_town: np.ndarray | None = None  # place each customer buys in
    flyer_style: str = "steady"  # several | evenings | launch | open
    android: bool = False  # flyers sent at about 30 texts per 30 minutes

    def deal_on(self, day: int) -> DealNumber | None:
        for d in self.deals:
            if d.first_day <= day <= d.last_day:
                return d
        return None

    def deals_on(self, day: int) -> list[DealNumber]:
        return [d for d in self.deals if d.first_day <= day <= d.last_day]


@dataclass
class Lookalike:
    kind: str  # business_bulk | taxi | takeaway | promo_takeaway | group_organiser | ...
    number: int
    place: int
    audience: np.ndarray  # person indices
    person: int | None = None  # for organisers: the person who texts
    dispatch: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass
class World:
    cfg: WorldConfig
    places: list[Place]
    cells: Cells
    # people (index = person)
    home_place: np.ndarray
    home_cell: np.ndarray
    work_cell: np.ndarray
    age: np.ndarray  # at the start of the window
    female: np.ndarray
    number: np.ndarray  # personal number (int, national digits without the leading 0)
    new_number: np.ndarray  # number after a change, or 0
    change_day: np.ndarray  # day of change, or large
    vulnerable: np.ndarray
    # ties
    tie_a: np.ndarray
    tie_b: np.ndarray
    tie_cum: np.ndarray  # cumulative rate for sampling
    tie_total_rate: float
    lines: list[Line]
    lookalikes: list[Lookalike]
    identity_draws: object = field(default=None, repr=False)  # filled by records.identity

    @property
    def n_people(self) -> int:
        return len(self.home_place)


def _unique_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """UK mobile numbers (national significant digits, 10 digits starting 7) in the
    allocated 074/075/077/078/079 blocks, unique."""
    blocks = np.array([74, 75, 77, 78, 79], dtype=np.int64)
    got = np.zeros(0, dtype=np.int64)
    while len(got) < n:
        k = int((n - len(got)) * 1.1) + 16
        b = blocks[rng.integers(0, len(blocks), k)]
        rest = rng.integers(0, 100_000_000, k, dtype=np.int64)
        got = np.unique(np.concatenate([got, b * 100_000_000 + rest]))
    return rng.permutation(got)[:n]


def _choose_places(cfg: WorldConfig, rng: np.random.Generator) -> list[Place]:
    n_exp = min(len(EXPORTERS), max(2, math.ceil(cfg.lines / 3)))
    n_imp = min(len(IMPORTERS), max(2, math.ceil(cfg.lines * 0.7)))
    exp = [EXPORTERS[i] for i in sorted(rng.choice(len(EXPORTERS), n_exp, replace=False))]
    imp = [IMPORTERS[i] for i in sorted(rng.choice(len(IMPORTERS), n_imp, replace=False))]
    return exp + imp


def _make_cells(places: list[Place], rng: np.random.Generator) -> Cells:
    ids: list[str] = []
    lats: list[float] = []
    lons: list[float] = []
    owner: list[int] = []
    start = np.zeros(len(places), dtype=np.int64)
    count = np.zeros(len(places), dtype=np.int64)
    for i, p in enumerate(places):
        n = max(6, round(p.radius_km**2 * 2.5))
        start[i] = len(ids)
        count[i] = n
        r = p.radius_km * np.sqrt(rng.random(n))
        theta = rng.random(n) * 2 * math.pi
        dlat = r * np.cos(theta) / KM_PER_DEG_LAT
        dlon = r * np.sin(theta) / (KM_PER_DEG_LAT * math.cos(math.radians(p.lat)))
        for j in range(n):
            ids.append(f"{p.name[:3].upper()}{len(ids):06d}")
            lats.append(round(p.lat + float(dlat[j]), 5))
            lons.append(round(p.lon + float(dlon[j]), 5))
            owner.append(i)
    return Cells(ids, np.array(lats), np.array(lons), np.array(owner), start, count)


def build_world(cfg: WorldConfig) -> World:
    rng = np.random.default_rng(cfg.seed)
    places = _choose_places(cfg, rng)
    n_exp = sum(1 for p in places if p.exporter)
    cells = _make_cells(places, rng)
    n = cfg.people

    # 40% live in exporter cities, 60% in importer towns (where customers are needed)
    weights = np.array([0.4 / n_exp if p.exporter else 0.6 / (len(places) - n_exp) for p in places])
    home_place = rng.choice(len(places), n, p=weights)
    home_cell = cells.random_in(home_place, rng)
    work_cell = cells.random_in(home_place, rng)
    age = np.clip(rng.gamma(6.0, 6.5, n), 12, 90).astype(np.int64)
    female = rng.random(n) < 0.5
    vulnerable = (rng.random(n) < 0.03) & (age >= 25)

    numbers = _unique_numbers(rng, n + 20 * cfg.lines + 400 + n // 50)
    number = numbers[:n]
    spare = list(numbers[n:])

    # people who change number: the new number reaches the same friends
    new_number = np.zeros(n, dtype=np.int64)
    change_day = np.full(n, 10**9, dtype=np.int64)
    n_change = max(2, round(n * cfg.number_changers_per_1000 / 1000))
    changers = rng.choice(n, n_change, replace=False)
    for p in changers:
        new_number[p] = spare.pop()
        change_day[p] = int(rng.integers(5, max(6, cfg.days - 5)))

    # social ties: mostly within the home place, some far away (family, friends)
    m = int(n * cfg.contacts_per_person / 2)
    a = rng.integers(0, n, m)
    local = rng.random(m) < 0.85
    b = rng.integers(0, n, m)
    order = np.argsort(home_place, kind="stable")
    place_start = np.searchsorted(home_place[order], np.arange(len(places)))
    place_count = np.bincount(home_place, minlength=len(places))
    pa_ = home_place[a[local]]
    b_local = order[place_start[pa_] + (rng.random(len(pa_)) * place_count[pa_]).astype(int)]
    b[local] = b_local
    keep = a != b
    a, b = a[keep], b[keep]
    rate = rng.lognormal(math.log(cfg.tie_rate_per_day) - 0.5, 1.0, len(a))
    cum = np.cumsum(rate)

    def residents(place: int) -> np.ndarray:
        return order[place_start[place] : place_start[place] + place_count[place]]

    taken = np.zeros(n, dtype=bool)  # people given a county-lines role

    def pick(pool: np.ndarray, k: int, cond: np.ndarray | None = None) -> np.ndarray:
        cand = pool[~taken[pool]]
        if cond is not None:
            cand = cand[cond[cand]]
        if len(cand) == 0:
            cand = pool
        sel = rng.choice(cand, min(k, len(cand)), replace=False)
        taken[sel] = True
        return sel

    if cfg.style == "realistic":
        from crossline.simulate import plan_real

        plan = plan_real.Planning(
            cfg, rng, places, age, female, vulnerable, taken, spare, residents, pick
        )
        lines = plan_real.plan_lines(plan)
    else:
        from crossline.simulate.plan_own import own_lines

        lines = own_lines(cfg, rng, places, age, female, vulnerable, taken, residents, pick, spare)
    lookalikes: list[Lookalike] = []
    all_places = list(range(len(places)))

    def add(kind: str, count: int, lo: int, hi: int) -> None:
        for _ in range(count):
            pl = int(rng.choice(all_places))
            res = residents(pl)
            k = min(len(res), int(rng.integers(lo, hi)))
            aud = rng.choice(res, k, replace=False)
            person = None
            if kind == "group_organiser":
                person = int(rng.choice(res))
                aud = aud[aud != person]
            disp = np.zeros(0, dtype=np.int64)
            if kind == "taxi" and rng.random() < 0.3:
                disp = rng.choice(res, min(len(res), int(rng.integers(3, 8))), replace=False)
            num = int(number[person]) if person is not None else int(spare.pop())
            lookalikes.append(Lookalike(kind, num, pl, aud, person, disp))

    if cfg.style == "realistic":
        lookalikes = plan_real.plan_lookalikes(plan, number)
    else:
        add("business_bulk", cfg.count(cfg.businesses_per_line), 80, 400)
        add("taxi", cfg.count(cfg.taxis_per_line), 60, 300)
        add("takeaway", cfg.count(cfg.takeaways_per_line), 60, 250)
        add("promo_takeaway", cfg.count(cfg.promo_takeaways_per_line), 80, 300)
        add("group_organiser", cfg.count(cfg.organisers_per_line), 15, 45)

    return World(
        cfg=cfg,
        places=places,
        cells=cells,
        home_place=home_place,
        home_cell=home_cell,
        work_cell=work_cell,
        age=age,
        female=female,
        number=number,
        new_number=new_number,
        change_day=change_day,
        vulnerable=vulnerable,
        tie_a=a,
        tie_b=b,
        tie_cum=cum,
        tie_total_rate=float(cum[-1]) if len(cum) else 0.0,
        lines=lines,
        lookalikes=lookalikes,
    )
