"""Whole-analysis benchmark: the steps of `crossline analyse` (line register, persons,
phones to persons, safeguarding with each of its rules, supply, risk) on the benchmark worlds.

    .venv/bin/python bench/analyse.py --sizes 1M,10M --out bench/out

The worlds are bench/data.py's (generated once, kept under <out>/<size>/data); each size
is ingested into a fresh workspace (<out>/<size>/ws-all), then the steps run in the order
`crossline.analyse.pipeline.run_all` runs them, each timed on its own. Peak RSS is the
process's. Results go to stdout and <out>/analyse.json; see docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from data import ensure_world  # noqa: E402


def run(size: str, out: Path) -> dict[str, Any]:
    from crossline.analyse.contacts import cell_force_map
    from crossline.analyse.lines.build import build_lines, register_table
    from crossline.analyse.persons.phones import phone_persons
    from crossline.analyse.persons.resolve import resolve_persons
    from crossline.analyse.risk import assess
    from crossline.analyse.safeguard import safeguarding, with_safeguarding
    from crossline.analyse.supply import supply
    from crossline.analyse.supply.transactions import supply_table
    from crossline.engine.factory import open_engine
    from crossline.ingest import ingest_dataset
    from crossline.settings import Settings

    info = ensure_world(size, out)
    ws = out / size / "ws-all"
    shutil.rmtree(ws, ignore_errors=True)
    engine = open_engine(Settings(workspace=ws))
    steps: dict[str, float] = {}

    def timed(name: str, t0: float) -> None:
        steps[name] = round(time.perf_counter() - t0, 2)

    t0 = time.perf_counter()
    ingest_dataset(engine, out / size / "data", ws / "quarantine")
    timed("ingest", t0)
    t0 = time.perf_counter()
    lines = build_lines(engine)
    timed("line register", t0)
    t0 = time.perf_counter()
    persons = resolve_persons(engine)
    timed("persons", t0)
    t0 = time.perf_counter()
    phones = phone_persons(engine, persons)
    timed("phones to persons", t0)
    rules: dict[str, float] = {}
    t0 = time.perf_counter()
    listed = safeguarding(engine, lines, persons, phones, timings=rules)
    register = with_safeguarding(register_table(lines), listed, phones)
    timed("safeguarding", t0)
    t0 = time.perf_counter()
    sold = supply(engine, lines, cell_force_map(engine) if lines else {})
    supply_table(sold)
    timed("supply", t0)
    t0 = time.perf_counter()
    assess(engine, register, listed, persons, phones, sold)
    timed("risk", t0)
    counts = {
        "comms_rows": engine.scalar("SELECT count(*) FROM comms"),
        "nominals": persons.num_rows,
        "lines": len(lines),
        "listed": listed.num_rows,
    }
    engine.close()
    return {
        "world": info,
        **counts,
        "seconds": steps,
        "analyse_seconds": round(sum(v for k, v in steps.items() if k != "ingest"), 2),
        "safeguarding_rules": {k: round(v, 2) for k, v in rules.items()},
        "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="1M", help="comma-separated: 1M, 10M, 100M")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    args = ap.parse_args()
    out: Path = args.out.resolve()
    results = {}
    for size in args.sizes.split(","):
        results[size] = run(size, out)
        print(size, json.dumps(results[size], indent=1), flush=True)
    (out / "analyse.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
