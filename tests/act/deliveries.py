"""A simulated world delivered in time order, as forces deliver data: everything timed
(comms, events, intelligence) before a cut first, with every nominal, then what came
after it. A line that changed its deal number after the cut shows only the old number in
the first delivery and both, linked by customer hand-over, once the second is analysed."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.runs.deliveries import TIMED, WHOLE, _copy


def split_in_time(world: Path, earlier: Path, later: Path, cut: str) -> None:
    """Write the two deliveries either side of `cut` (an ISO time)."""
    earlier.mkdir(parents=True, exist_ok=True)
    later.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for name, column in TIMED.items():
        src = world / f"{name}.csv"
        _copy(con, src, f"left({column}, 19) < '{cut}'", earlier / f"{name}.csv")
        _copy(con, src, f"left({column}, 19) >= '{cut}'", later / f"{name}.csv")
    for name in WHOLE:
        for out in (earlier, later):
            _copy(con, world / f"{name}.csv", "true", out / f"{name}.csv")
    _copy(con, world / "nominals.csv", "true", earlier / "nominals.csv")
    con.close()
