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
    # distinct pairs of different true persons put into one person, and of those the
    # pairs who share a family name and a home force (siblings, twins, a parent and child,
    # namesakes in one city): the wrong merges a family's records invite. The aim is none.
    people_merged: int = 0
    relatives_merged: int = 0

    def row(self) -> str:
        return (
            f"P {self.precision:.4f}  R {self.recall:.4f}  F1 {self.f1:.4f}  "
            f"(true pairs {self.true_pairs}, predicted {self.predicted_pairs}, "
            f"records {self.records}; people merged {self.people_merged}, "
            f"relatives {self.relatives_merged})"
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
    predicted: dict[tuple[str, str], str],
    truth: dict[tuple[str, str], str],
    kin: dict[str, tuple[str, str]] | None = None,
) -> PersonsScore:
    """Pairwise precision/recall/F1 of two labellings of the same records; with `kin`
    (true person -> (family name, home force)), the merged people who share both."""
    by_pred: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_true: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, label in truth.items():
        by_true[label].append(key)
        by_pred[predicted.get(key, f"\x00{key}")].append(key)
    pred_pairs = _pairs(by_pred.values())
    true_pairs = _pairs(by_true.values())
    tp = len(pred_pairs & true_pairs)
    merged = {tuple(sorted((truth[a], truth[b]))) for a, b in pred_pairs - true_pairs}
    kin = kin or {}
    relatives = [m for m in merged if m[0] in kin and kin.get(m[0]) == kin.get(m[1])]
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
        len(merged),
        len(relatives),
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


def kin_of(truth_dir: Path) -> dict[str, tuple[str, str]]:
    """True person -> (family name in letters only, home force), from truth/persons.csv:
    two people sharing both are relatives or namesakes (Smith-Jones and Smith Jones one
    name). Empty when the truth has no persons.csv."""
    path = Path(truth_dir) / "persons.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {
            r[TRUTH_PERSON]: (
                "".join(ch for ch in r["family_name"].lower() if ch.isalpha()),
                r["home_force"],
            )
            for r in csv.DictReader(f)
        }


def evaluate_persons(persons: pa.Table, truth_dir: Path) -> PersonsScore:
    """Pairwise precision, recall and F1 of `persons` (person_id, force, record_id, ...)
    against truth/nominals.csv (force, record_id, person_id) in `truth_dir`, with the
    wrong merges of relatives and namesakes counted apart."""
    return pairwise_score(person_of_record(persons), truth_of_record(truth_dir), kin_of(truth_dir))
