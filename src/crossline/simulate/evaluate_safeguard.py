"""Score the safeguarding list against the simulator's truth of who must be safeguarded.

A listed (resolved) person is right when any of its nominal records belongs to a true
person to safeguard; a true person is found when any listed person holds one of its
records. Recall is the figure that matters: a missed child is a child left unprotected."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa

from crossline.analyse.risk.facts import line_shares
from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.simulate.evaluate_persons import true_persons_of
from crossline.simulate.matching import matched_rows, read_csv, split


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
    # of the listed true victims, the mean share their entry puts on their own line (the
    # register row holding most of its deal numbers): what risk counts against each line
    on_true_line: float | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "listed": self.listed,
            "to_safeguard": self.to_safeguard,
            "children_recall": self.children_recall,
            "traceable_recall": self.traceable_recall,
            "untraceable": self.untraceable,
            "on_true_line": self.on_true_line,
            "missed": self.missed,
        }


def evaluate_safeguarding(
    listed: pa.Table, persons: pa.Table, truth_dir: Path, register: pa.Table | None = None
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
        on_true_line=None
        if register is None
        else _on_true_line(listed, truths_of, rows, register, truth_dir),
    )


def _on_true_line(
    listed: pa.Table,
    truths_of: dict[str, set[str]],
    wanted: list[dict[str, str]],
    register: pa.Table,
    truth_dir: Path,
) -> float | None:
    truth = read_csv(truth_dir / "lines.csv")
    row_of_line = {
        t["line_id"]: row["line_id"]
        for t, row in zip(truth, matched_rows(register.to_pylist(), truth), strict=True)
        if row
    }
    lines_of = {r["person_id"]: set(split(r["line_ids"])) for r in wanted}
    got: list[float] = []
    for r in listed.to_pylist():
        mine = {
            row_of_line[lid]
            for t in truths_of.get(r["person_id"], set())
            for lid in lines_of.get(t, set())
            if lid in row_of_line
        }
        if not mine:
            continue
        # the shares risk counts the person by (risk.facts); on no line, nothing on theirs
        named = split(r["line_ids"])
        shares = line_shares(r[o.EVIDENCE_FACTORS.name], named) if named else {}
        got.append(sum(shares.get(lid, 0.0) for lid in mine))
    return round(sum(got) / len(got), 4) if got else None


def children_named_holders(
    register: pa.Table, persons: pa.Table, listed: pa.Table, truth_dir: Path
) -> tuple[int, int]:
    """(on the list, not on it): resolved persons the register names as a line's holder
    who hold a record of a true person under 18 when the line was first seen. A child in
    `holder_nominal_ids` off the safeguarding list is a child shown as a line's owner and
    not as a victim: the figure must be zero."""
    with (truth_dir / "persons.csv").open(newline="", encoding="utf-8") as fh:
        born = {r["person_id"]: date.fromisoformat(r["date_of_birth"]) for r in csv.DictReader(fh)}
    truths_of = true_persons_of(persons, truth_dir)
    on_list = set(listed.column("person_id").to_pylist()) if listed.num_rows else set()
    named: set[str] = set()
    for row in register.to_pylist():
        first = row.get("first_seen")
        if first is None:
            continue
        day = first.date() if isinstance(first, datetime) else date.fromisoformat(str(first)[:10])
        for pid in str(row.get("holder_nominal_ids") or "").split(s.LIST_SEP):
            dobs = [born[t] for t in truths_of.get(pid, set()) if t in born]
            if pid and any(_age(b, day) < 18 for b in dobs):
                named.add(pid)
    return len(named & on_list), len(named - on_list)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
