"""A simulated world delivered in two parts, to see what stable ids do when data arrives
out of order: the later half of everything timed (comms, events, intelligence) with half
the forces' nominals first, then the earlier half with the other forces' nominals.
Cells and subscribers come with both (the second copy loads as duplicates).

`python -m tests.runs.deliveries WORLD OUT` writes OUT/first and OUT/second."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

TIMED = {"comms": "start_time", "events": "occurred_at", "intelligence": "submitted_at"}
WHOLE = ("cells", "subscribers")


def _copy(con: duckdb.DuckDBPyConnection, src: Path, where: str, out: Path) -> None:
    con.execute(
        f"COPY (SELECT * FROM read_csv('{src}', all_varchar=true, header=true) WHERE {where}) "
        f"TO '{out}' (HEADER, DELIMITER ',')"
    )


def split_world(world: Path, first: Path, second: Path, split_nominals: bool = True) -> str:
    """Write the two deliveries; returns the cut (an ISO time: the middle of the comms)."""
    first.mkdir(parents=True, exist_ok=True)
    second.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    comms = world / "comms.csv"
    lo, hi = con.execute(
        f"SELECT min(start_time), max(start_time) FROM read_csv('{comms}', all_varchar=true)"
    ).fetchall()[0]
    cut = con.execute(
        "SELECT strftime(CAST(left(?, 19) AS TIMESTAMP) + "
        "(CAST(left(?, 19) AS TIMESTAMP) - CAST(left(?, 19) AS TIMESTAMP)) / 2, "
        "'%Y-%m-%dT%H:%M:%S')",
        [lo, hi, lo],
    ).fetchall()[0][0]
    for name, column in TIMED.items():
        src = world / f"{name}.csv"
        _copy(con, src, f"left({column}, 19) >= '{cut}'", first / f"{name}.csv")
        _copy(con, src, f"left({column}, 19) < '{cut}'", second / f"{name}.csv")
    for name in WHOLE:
        for out in (first, second):
            _copy(con, world / f"{name}.csv", "true", out / f"{name}.csv")
    nominals = world / "nominals.csv"
    if split_nominals:
        forces = sorted(
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT force FROM read_csv('{nominals}', all_varchar=true)"
            ).fetchall()
        )
        batch = ", ".join(f"'{f}'" for f in forces[::2])
        _copy(con, nominals, f"force IN ({batch})", first / "nominals.csv")
        _copy(con, nominals, f"force NOT IN ({batch})", second / "nominals.csv")
    else:
        _copy(con, nominals, "true", first / "nominals.csv")
    con.close()
    return str(cut)


if __name__ == "__main__":
    world, out = Path(sys.argv[1]), Path(sys.argv[2])
    whole = len(sys.argv) > 3 and sys.argv[3] == "--nominals-first"
    print(split_world(world, out / "first", out / "second", split_nominals=not whole))
