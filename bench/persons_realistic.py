"""Persons and the safeguarding list on realistic-style worlds, with and without cells.csv.
(`--style own` runs the simulator's own worlds the same way.)

    .venv/bin/python bench/persons_realistic.py --sizes small medium --seeds 61 62 63
        [--no-cells] [--out /tmp/crossline-realistic]

Each world is simulated with `--style realistic`, ingested, analysed and scored against its
truth, as `crossline simulate/ingest/analyse/evaluate` would. Contract v1's ingest refuses
a nominal record with only one name; until the intake rewrite lands (contract v2 admits
them), such records are ingested with a placeholder in the missing name and the placeholder
is set to NULL in the store straight after: the records the analyses see are the ones the
simulator wrote. Prints one row per world and writes them as JSON beside the worlds."""

from __future__ import annotations

import argparse
import csv
import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from crossline.model import schema as s
from crossline.runs.service import Service
from crossline.simulate.config import PRESETS
from crossline.simulate.evaluate import evaluate_all
from crossline.simulate.evaluate_safeguard import children_named_holders
from crossline.simulate.writer import write_world

PLACEHOLDER = "ZZONENAMEZZ"


def dataset(world: Path, out: Path, cells: bool) -> Path:
    """A copy of `world` with placeholders in missing names (and without cells.csv)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for f in world.iterdir():
        if f.name == "nominals.csv":
            continue
        if f.name.startswith("cells") and not cells:
            continue
        (out / f.name).symlink_to(f.resolve())
    with (world / "nominals.csv").open(encoding="utf-8", newline="") as src:
        rows = list(csv.DictReader(src))
    for r in rows:
        for col in (s.FAMILY_NAME, s.GIVEN_NAMES):
            if not r[col]:
                r[col] = PLACEHOLDER
    with (out / "nominals.csv").open("w", encoding="utf-8", newline="") as dst:
        w = csv.DictWriter(dst, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return out


def run(size: str, seed: int, cells: bool, root: Path, style: str = "realistic") -> dict[str, Any]:
    world = root / f"{size}-{seed}" if style == "realistic" else root / f"{style}-{size}-{seed}"
    if not (world / "truth" / "lines.csv").is_file():
        write_world(replace(PRESETS[size], seed=seed, style=style), world)
    tag = f"{world.name}-{'cells' if cells else 'nocells'}"
    ds = dataset(world, root / f"ds-{tag}", cells)
    ws = root / f"ws-{tag}"
    if ws.exists():
        shutil.rmtree(ws)
    svc = Service.for_workspace(ws)
    svc.ingest(ds)
    with svc.engine() as engine:
        for col in (s.FAMILY_NAME, s.GIVEN_NAMES):
            engine.execute(
                f'UPDATE {s.NOMINALS.name} SET "{col}" = NULL '
                f"WHERE upper(\"{col}\") = '{PLACEHOLDER}'"
            )
        one_name = engine.scalar(
            f'SELECT count(*) FROM {s.NOMINALS.name} WHERE "{s.FAMILY_NAME}" IS NULL '
            f'OR "{s.GIVEN_NAMES}" IS NULL'
        )
        records = engine.scalar(f"SELECT count(*) FROM {s.NOMINALS.name}")
    svc.analyse()
    stored = svc.results(("lines", "persons", "safeguarding"))
    t = {k: v.table for k, v in stored.items()}
    ev = evaluate_all(t["lines"], t["persons"], t["safeguarding"], world / "truth")
    listed, unlisted = children_named_holders(
        t["lines"], t["persons"], t["safeguarding"], world / "truth"
    )
    p, g = ev.persons, ev.safeguarding
    return {
        "world": tag,
        "records": records,
        "one_name_records": one_name,
        "persons": {
            "precision": p.precision,
            "recall": p.recall,
            "f1": p.f1,
            "true_pairs": p.true_pairs,
            "people_merged": p.people_merged,
            "relatives_merged": p.relatives_merged,
        },
        "safeguarding": {
            "precision": g.precision,
            "recall": g.recall,
            "traceable_recall": g.traceable_recall,
            "listed": g.listed,
            "to_safeguard": g.to_safeguard,
            "untraceable": g.untraceable,
            "missed": g.missed,
        },
        "children_named_holders": {"listed": listed, "not_listed": unlisted},
        "holders": {"precision": ev.holders.precision, "recall": ev.holders.recall},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", nargs="+", default=["small", "medium"])
    ap.add_argument("--seeds", nargs="+", type=int, default=[61, 62, 63])
    ap.add_argument("--no-cells", action="store_true", help="only the runs without cells.csv")
    ap.add_argument("--cells-only", action="store_true", help="only the runs with cells.csv")
    ap.add_argument("--out", type=Path, default=Path("/tmp/crossline-realistic"))
    ap.add_argument("--style", default="realistic", help="realistic (default) or own")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    modes = [False] if a.no_cells else [True] if a.cells_only else [True, False]
    rows = []
    for size in a.sizes:
        for seed in a.seeds:
            for cells in modes:
                r = run(size, seed, cells, a.out, a.style)
                rows.append(r)
                p, g, h = r["persons"], r["safeguarding"], r["children_named_holders"]
                print(
                    f"{r['world']:<22} records {r['records']:>5} (one name {r['one_name_records']})"
                    f"  persons P/R/F1 {p['precision']:.3f}/{p['recall']:.3f}/{p['f1']:.3f}"
                    f" merged {p['people_merged']} (relatives {p['relatives_merged']})"
                    f"  safeguarding P {g['precision']:.3f} R {g['recall']:.3f}"
                    f" traceable R {g['traceable_recall']:.3f} (listed {g['listed']},"
                    f" truth {g['to_safeguard']})"
                    f"  children as holders listed/not {h['listed']}/{h['not_listed']}",
                    flush=True,
                )
    (a.out / "results.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
