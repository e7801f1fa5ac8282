"""Are the persons, the line register and the safeguarding list the same on both engines?

    .venv/bin/python bench/engine_parity.py DUCKDB_WORKSPACE SPARK_WORKSPACE

Each workspace has been ingested and analysed by its engine (`crossline --engine duckdb
-w A ingest W && ... analyse`, then the same with `--engine spark -w B`). This exports
each workspace's persons, lines and safeguarding CSVs through the CLI, as a user would,
and compares them byte for byte; where persons differ it says how: records whose person
is another set of records (the partition, whatever the ids), and records whose
match_probability differs. Exit code 0 when all three are identical, 1 otherwise. The
issue (21) requires identical results; tests/engine/test_spark.py holds a small world
to that, this script a world of any size."""

from __future__ import annotations

import argparse
import csv
import filecmp
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

EXPORTS = ("persons", "lines", "safeguarding")
CLI = Path(sys.executable).with_name("crossline")


def export(workspace: Path, engine: str, what: str, out: Path) -> Path:
    path = out / f"{engine}-{what}.csv"
    subprocess.run(
        [str(CLI), "--engine", engine, "-w", str(workspace), "export", what, str(path)],
        check=True,
        capture_output=True,
    )
    return path


Record = tuple[str, str]  # (force, record_id)


def _persons(path: Path) -> tuple[dict[Record, frozenset[Record]], dict[Record, str]]:
    """Record -> the records of its person, and record -> its match_probability."""
    members: dict[str, set[Record]] = defaultdict(set)
    person: dict[Record, str] = {}
    prob: dict[Record, str] = {}
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["force"], row["record_id"])
            members[row["person_id"]].add(key)
            person[key] = row["person_id"]
            prob[key] = row["match_probability"]
    return {k: frozenset(members[p]) for k, p in person.items()}, prob


def persons_diff(a: Path, b: Path) -> list[str]:
    """What differs between two persons exports, one line each."""
    (part_a, prob_a), (part_b, prob_b) = _persons(a), _persons(b)
    lines = [f"records only on one side: {len(set(part_a) ^ set(part_b))}"]
    both = sorted(set(part_a) & set(part_b))
    moved = [k for k in both if part_a[k] != part_b[k]]
    lines.append(f"records in another person: {len(moved)} of {len(both)}")
    lines += [f"  {k}: {sorted(part_a[k])} / {sorted(part_b[k])}" for k in moved[:20]]
    probs = [k for k in both if prob_a[k] != prob_b[k]]
    lines.append(f"records with another match_probability: {len(probs)}")
    lines += [f"  {k}: {prob_a[k]} / {prob_b[k]}" for k in probs[:20]]
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("duckdb_workspace", type=Path)
    ap.add_argument("spark_workspace", type=Path)
    args = ap.parse_args()
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for what in EXPORTS:
            a = export(args.duckdb_workspace, "duckdb", what, out)
            b = export(args.spark_workspace, "spark", what, out)
            identical = filecmp.cmp(a, b, shallow=False)
            same &= identical
            print(f"{what}: {'identical' if identical else 'DIFFERENT'}")
            if not identical and what == "persons":
                print("\n".join(f"  {line}" for line in persons_diff(a, b)))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
