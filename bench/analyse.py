"""Whole-analysis benchmark: the steps of `crossline analyse` (line register, persons,
phones to persons, safeguarding, supply, risk, targets) on the benchmark worlds.

    .venv/bin/python bench/analyse.py --sizes 1M,10M --out bench/out

The worlds are bench/data.py's (generated once, kept under <out>/<size>/data); each size
is ingested into a fresh workspace (<out>/<size>/ws-all), then
`crossline.analyse.pipeline.run_all` runs, the very call `crossline analyse` makes, each
step timed from its start to the next one's (run_all names them as they start). Peak RSS
is the process's. Results go to stdout and <out>/analyse.json; see docs/performance.md.
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
    from crossline.analyse.pipeline import run_all
    from crossline.engine.factory import open_engine
    from crossline.ingest import ingest_dataset
    from crossline.settings import Settings

    info = ensure_world(size, out)
    ws = out / size / "ws-all"
    shutil.rmtree(ws, ignore_errors=True)
    engine = open_engine(Settings(workspace=ws))
    steps: dict[str, float] = {}

    t0 = time.perf_counter()
    ingest_dataset(engine, out / size / "data", ws / "quarantine")
    steps["ingest"] = round(time.perf_counter() - t0, 2)
    # run_all names each step as it starts: a step's time runs to the next one's start
    current: list[tuple[str, float]] = []

    def step(name: str) -> None:
        now = time.perf_counter()
        if current:
            steps[current[0][0]] = round(now - current[0][1], 2)
        current[:] = [(name, now)]

    res = run_all(engine, step)
    step("")
    counts = {
        "comms_rows": engine.scalar("SELECT count(*) FROM comms"),
        "nominals": res.persons.num_rows,
        "lines": len(res.lines),
        "listed": res.safeguarding.num_rows,
    }
    engine.close()
    return {
        "world": info,
        **counts,
        "seconds": steps,
        "analyse_seconds": round(sum(v for k, v in steps.items() if k != "ingest"), 2),
        "risk_supply_targets_seconds": round(
            sum(steps.get(k, 0.0) for k in ("supply", "risk", "targets")), 2
        ),
        "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--sizes",
        default="1M",
        help="comma-separated: 1M, 10M, 100M; a style after a dash (100M-realistic)",
    )
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
