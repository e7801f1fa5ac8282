"""A hand-made communications world small enough to state its answer: one county line
(two deal numbers, a controller, two runners, 14 customers) and one of each look-alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pyarrow as pa

from crossline.engine.base import Engine
from crossline.ingest import ensure_tables
from crossline.model import schema as s

T0 = datetime(2026, 5, 4)
CITY = "CITY"  # a cell in Birmingham (west-midlands)
TOWN = "TOWN"  # a cell in Shrewsbury (west-mercia)
CELLS = {CITY: (52.4862, -1.8904), TOWN: (52.7073, -2.7553)}

DEAL_1 = "+447700900001"
DEAL_2 = "+447700900002"
CONTROLLER = "+447700900010"
RUNNERS = ["+447700900021", "+447700900022"]
CUSTOMERS = [f"+4477009001{i:02d}" for i in range(14)]
SHOP = "+447700900300"
SHOP_LIST = [f"+4477009004{i:02d}" for i in range(30)]
TAXI = "+447700900500"
FRIENDS = [f"+4477009006{i:02d}" for i in range(6)]


@dataclass
class Comms:
    rows: list[dict[str, object]] = field(default_factory=list)

    def add(
        self,
        t: datetime,
        src: str,
        tgt: str,
        kind: str,
        dur: int | None,
        scell: str = TOWN,
        tcell: str = TOWN,
    ) -> None:
        self.rows.append(
            {
                s.RECORD_ID: f"r{len(self.rows)}",
                s.START_TIME: t,
                s.SOURCE: s.number_key(src),
                s.TARGET: s.number_key(tgt),
                s.KIND: kind,
                s.DURATION_S: dur,
                s.SOURCE_CELL: scell,
                s.TARGET_CELL: tcell,
                s.PROVIDER: "test",
            }
        )


def build() -> Comms:
    c = Comms()
    for day in range(20):
        deal = DEAL_1 if day < 10 else DEAL_2
        base = T0 + timedelta(days=day)
        customers = CUSTOMERS if day < 10 else CUSTOMERS[2:]  # two customers churn
        # two flyer bursts a day, one of them at night
        for hour in (2, 15):
            for i, cust in enumerate(customers):
                c.add(base + timedelta(hours=hour, seconds=20 * i), deal, cust, "sms", None)
        # each customer orders every other day: a short call or a text
        for i, cust in enumerate(customers):
            if (i + day) % 2 == 0:
                t = base + timedelta(hours=11 + i % 9, minutes=i)
                c.add(t, cust, deal, "call" if i % 3 else "sms", 25 if i % 3 else None)
                # the deal phone (held in the city) relays the order to a runner in town
                c.add(t + timedelta(minutes=5), deal, RUNNERS[i % 2], "sms", None, CITY, TOWN)
        # the controller runs the runners and talks to his friends in the city
        for r in RUNNERS:
            c.add(base + timedelta(hours=10), CONTROLLER, r, "call", 120, CITY, TOWN)
        for f in FRIENDS[: 2 + day % 4]:
            c.add(base + timedelta(hours=19), CONTROLLER, f, "call", 300, CITY, CITY)
        # the shop texts its list once a week, at lunchtime; a few call back
        if day % 7 == 3:
            for i, cust in enumerate(SHOP_LIST):
                c.add(base + timedelta(hours=12, seconds=10 * i), SHOP, cust, "sms", None)
        c.add(base + timedelta(hours=14), SHOP_LIST[day], SHOP, "call", 240)
        # the taxi firm takes many short calls and never broadcasts
        for i, cust in enumerate(SHOP_LIST[:12]):
            c.add(base + timedelta(hours=20, minutes=3 * i), cust, TAXI, "call", 30)
    return c


def load(engine: Engine) -> None:
    ensure_tables(engine)
    comms = build()
    engine.append(s.COMMS.name, pa.Table.from_pylist(comms.rows))
    engine.append(
        s.CELLS.name,
        pa.table(
            {
                s.CELL_ID: list(CELLS),
                s.LAT: [v[0] for v in CELLS.values()],
                s.LON: [v[1] for v in CELLS.values()],
            }
        ),
    )
