"""Score the safeguarding list against the simulator's truth of who must be safeguarded.

A listed (resolved) person is right when any of its nominal records belongs to a true
person to safeguard; a true person is found when any listed person holds one of its
records. Recall is the figure that matters: a missed child is a child left unprotected."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from crossline.simulate.evaluate_persons import true_persons_of


@dataclass
class SafeguardingEvaluation:
    precision: float
    recall: float
    listed: int
    to_safeguard: int
    missed: list[str]
    children_recall: float
    # recall over the persons some record gives a thread to follow (truth's `traceable`)
    traceable_recall: float
    untraceable: int

    def to_json(self) -> dict[str, object]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "listed": self.listed,
            "to_safeguard": self.to_safeguard,
            "children_recall": self.children_recall,
            "traceable_recall": self.traceable_recall,
            "untraceable": self.untraceable,
            "missed": self.missed,
        }


def evaluate_safeguarding(
    listed: pa.Table, persons: pa.Table, truth_dir: Path
) -> SafeguardingEvaluation:
    with (truth_dir / "safeguarding.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    wanted = {r["person_id"]: r["reasons"] for r in rows}
    # worlds written before the column existed count everyone as traceable
    traced = {r["person_id"] for r in rows if r.get("traceable", "true") != "false"}
    truths_of = true_persons_of(persons, truth_dir)
    on_list = set(listed.column("person_id").to_pylist()) if listed.num_rows else set()
    right = [p for p in on_list if truths_of.get(p, set()) & set(wanted)]
    found = set().union(*(truths_of.get(p, set()) for p in on_list)) & set(wanted)
    children = {t for t, why in wanted.items() if "child_runner" in why}
    return SafeguardingEvaluation(
        precision=round(len(right) / len(on_list), 4) if on_list else 1.0,
        recall=round(len(found) / len(wanted), 4) if wanted else 1.0,
        listed=len(on_list),
        to_safeguard=len(wanted),
        missed=sorted(set(wanted) - found),
        children_recall=round(len(found & children) / len(children), 4) if children else 1.0,
        traceable_recall=round(len(found & traced) / len(traced), 4) if traced else 1.0,
        untraceable=len(set(wanted) - traced),
    )
