"""Runners of a line whose deal phone nobody but customers contacts (the holder relays
orders over apps): found from the customers' side, and only the phones that deliver to a
good part of the line's buyers and work for no other line."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa

from crossline.analyse.lines.build import Line, runners_meeting_customers
from crossline.analyse.lines.config import LinesConfig
from crossline.engine.duckdb import DuckDBEngine
from crossline.ingest import ensure_tables
from crossline.model import schema as s

from . import tinyworld as tw

T0 = datetime(2026, 5, 4, 12)
CUSTOMERS = [f"+4477009002{i:02d}" for i in range(40)]
RUNNER = "+447700900301"  # rings 12 of the 40 buyers, and nobody else
FRIEND = "+447700900302"  # a buyer's friend: rings 4 of them
OTHER_RUNNER = "+447700900303"  # another line's runner, meeting the buyers two lines share
DRIVER = "+447700900304"  # a delivery driver: 8 buyers among 40 others


def _comms() -> list[dict[str, object]]:
    c = tw.Comms()
    for k, (phone, n) in enumerate(((RUNNER, 12), (FRIEND, 4), (OTHER_RUNNER, 12), (DRIVER, 8))):
        for i, cust in enumerate(CUSTOMERS[:n]):
            c.add(T0 + timedelta(hours=i, minutes=k), phone, cust, "call", 20)
    for i in range(40):
        c.add(T0 + timedelta(days=1, hours=i), DRIVER, f"+4477009004{i:02d}", "call", 30)
    return c.rows


def test_runners_found_from_the_customers_side(tmp_path: Path) -> None:
    e = DuckDBEngine(tmp_path / "x.duckdb")
    ensure_tables(e)
    e.append(s.COMMS.name, pa.Table.from_pylist(_comms()))
    hidden = Line("CL-HIDDEN", [], set(CUSTOMERS), None, [], "", "kent", 0.9, "deal line")
    other = Line("CL-OTHER", [], set(), "+447700900399", [OTHER_RUNNER], "", "kent", 0.9, "")
    cfg = LinesConfig()
    got, same = runners_meeting_customers(e, [hidden, other], set(CUSTOMERS), cfg, s.COMMS.name)
    # 12 of 40 is over the 15 % a runner must reach; 4 is a friend's handful; the other
    # line's runner stays its own; the driver's contacts are mostly not the trade's
    assert got.runners == [RUNNER]
    assert got.controller is None
    assert any(f.name == "runner_meets_customers" and f.subject == RUNNER for f in got.factors)
    assert same == other
    e.close()
