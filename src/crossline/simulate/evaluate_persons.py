"""Score person resolution against a simulated world's ground truth.

Pairwise: every pair of records that resolution puts in one person is a predicted link,
every pair the simulator made from one person a true link. Precision is the share of
predicted links that are true, recall the share of true links found. Records missing
from the resolution count as singletons, so a dropped record costs recall."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from crossline.model import schema as s

TRUTH_PERSON = "person_id"


@dataclass(frozen=True)
class PersonsScore:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    records: int

    def row(self) -> str:
        return (
            f"P {self.precision:.4f}  R {self.recall:.4f}  F1 {self.f1:.4f}  "
            f"(true pairs {self.true_pairs}, predicted {self.predicted_pairs}, "
            f"records {self.records})"
        )


def _pairs(groups: Iterable[list[tuple[str, str]]]) -> set[tuple[tuple[str, str], ...]]:
    out: set[tuple[tuple[str, str], ...]] = set()
    for members in groups:
        ms = sorted(members)
        for i, a in enumerate(ms):
            for b in ms[i + 1 :]:
                out.add((a, b))
    return out


def pairwise_score(
    predicted: dict[tuple[str, str], str], truth: dict[tuple[str, str], str]
) -> PersonsScore:
    """Pairwise precision/recall/F1 of two labellings of the same records."""
    by_pred: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_true: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, label in truth.items():
        by_true[label].append(key)
        by_pred[predicted.get(key, f"\x00{key}")].append(key)
    pred_pairs = _pairs(by_pred.values())
    true_pairs = _pairs(by_true.values())
    tp = len(pred_pairs & true_pairs)
    prec = tp / len(pred_pairs) if pred_pairs else 1.0
    rec = tp / len(true_pairs) if true_pairs else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return PersonsScore(
        round(prec, 4),
        round(rec, 4),
        round(f1, 4),
        len(true_pairs),
        len(pred_pairs),
        tp,
        len(truth),
    )


def person_of_record(persons: pa.Table) -> dict[tuple[str, str], str]:
    """(force, record_id) -> person_id of a persons table."""
    return {
        (f, r): pid
        for pid, f, r in zip(
            persons.column("person_id").to_pylist(),
            persons.column(s.FORCE).to_pylist(),
            persons.column(s.RECORD_ID).to_pylist(),
            strict=True,
        )
    }


def truth_of_record(truth_dir: Path) -> dict[tuple[str, str], str]:
    """(force, record_id) -> true person, from truth/nominals.csv in `truth_dir`."""
    with (Path(truth_dir) / "nominals.csv").open(encoding="utf-8", newline="") as f:
        return {(row[s.FORCE], row[s.RECORD_ID]): row[TRUTH_PERSON] for row in csv.DictReader(f)}


def true_persons_of(persons: pa.Table, truth_dir: Path) -> dict[str, set[str]]:
    """Resolved person -> the true persons whose records it holds (one, when resolution
    is right)."""
    truth = truth_of_record(truth_dir)
    out: dict[str, set[str]] = defaultdict(set)
    for key, pid in person_of_record(persons).items():
        if key in truth:
            out[pid].add(truth[key])
    return out


def evaluate_persons(persons: pa.Table, truth_dir: Path) -> PersonsScore:
    """Pairwise precision, recall and F1 of `persons` (person_id, force, record_id, ...)
    against truth/nominals.csv (force, record_id, person_id) in `truth_dir`."""
    return pairwise_score(person_of_record(persons), truth_of_record(truth_dir))
