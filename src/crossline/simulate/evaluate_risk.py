"""Score the register's priority order against the harm each true line really did.

True harm comes from the simulator's truth alone, never from the analysis: per true line,
its people are its holder, runners and cuckooed occupants (truth/lines.csv); children are
runners under 18 on the world's first day (truth/persons.csv dates of birth), vulnerable
adults the cuckooed occupants and the runners truth marks vulnerable; and the events of
the dataset (events.csv or events.parquet) count against the line when their nominal
record belongs (truth/nominals.csv) to one of its people. The weights (TRUE_HARM) are
fixed here, apart from the shipped risk weights, so changing weights.toml moves the
score, never the yardstick.

Kendall's tau-b is taken over the true lines between true harm and priority (the negated
rank of the register row holding most of the line's deal numbers); a true line nobody
found ranks below every found one, tied with the other missed ones. 1 = the register
orders lines exactly by true harm; 0 = no better than chance.

A second tau leaves out the victims truth says no record links to the line
(truth/safeguarding.csv `traceable` false: a child runner with no phone, no episode, no
record that names the line): the harm the data could show. The gap between the two is
the data's, not the ranking's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from crossline.model import schema as s
from crossline.model.vocab import EventType
from crossline.simulate.matching import matched_rows
from crossline.simulate.matching import read_csv as _read
from crossline.simulate.matching import split as _split

E = EventType
# points per victim or incident in truth: children first, as the risk weights put them
TRUE_HARM = {
    "child": 10.0,
    "vulnerable_adult": 6.0,
    E.VIOLENCE_INCIDENT.value: 6.0,
    E.WEAPON_SEIZURE.value: 8.0,
    E.CHARGE_MODERN_SLAVERY.value: 10.0,
    E.MISSING_EPISODE.value: 2.0,  # of the line's child runners only
}


@dataclass
class RiskEvaluation:
    kendall_tau: float
    lines: int
    found: int
    true_harm: dict[str, float]  # true line -> its harm
    kendall_tau_traceable: float | None = None  # against the harm of traceable victims

    def rows(self) -> list[tuple[str, str]]:
        out = [
            (
                "priority vs true harm",
                f"Kendall tau-b {self.kendall_tau:.3f}  (lines={self.lines}, found={self.found})",
            )
        ]
        if self.kendall_tau_traceable is not None:
            out.append(
                (
                    "priority vs traceable harm",
                    f"Kendall tau-b {self.kendall_tau_traceable:.3f}  (victims the data "
                    "links to a line)",
                )
            )
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "kendall_tau": self.kendall_tau,
            "lines": self.lines,
            "found": self.found,
            "true_harm": self.true_harm,
            "kendall_tau_traceable": self.kendall_tau_traceable,
        }


def kendall_tau_b(x: list[float], y: list[float]) -> float:
    """Kendall's tau-b (ties in either list corrected for); 0 when either is constant."""
    n = len(x)
    conc = disc = tx = ty = 0
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                tx += 1
            elif dy == 0:
                ty += 1
            elif (dx > 0) == (dy > 0):
                conc += 1
            else:
                disc += 1
    denom = ((conc + disc + tx) * (conc + disc + ty)) ** 0.5
    return round((conc - disc) / denom, 4) if denom else 0.0


def _events(dataset: Path) -> list[dict[str, str]]:
    if (dataset / "events.csv").is_file():
        return _read(dataset / "events.csv")
    if (dataset / "events.parquet").is_file():
        rows: list[dict[str, str]] = pq.read_table(dataset / "events.parquet").to_pylist()
        return rows
    return []


def _start(truth_dir: Path) -> date:
    readme = (truth_dir / "README.md").read_text("utf-8")
    found = re.search(r"start=(\d{4}-\d{2}-\d{2})", readme)
    return date.fromisoformat(found.group(1)) if found else date(2026, 3, 1)


def _age(dob: str, on: date) -> int | None:
    try:
        born = date.fromisoformat(dob)
    except ValueError:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def untraceable(truth_dir: Path) -> set[str]:
    """The victims truth says no record links to their line."""
    path = truth_dir / "safeguarding.csv"
    if not path.is_file():
        return set()
    return {r["person_id"] for r in _read(path) if r.get("traceable", "").strip() == "false"}


def true_harm(truth_dir: Path, leave_out: set[str] | None = None) -> dict[str, float]:
    """Each true line's harm, as the module says; victims in `leave_out` count nothing
    (neither they nor their missing episodes)."""
    return _harms(truth_dir, [leave_out or set()])[0]


def _harms(truth_dir: Path, leaving_out: list[set[str]]) -> list[dict[str, float]]:
    """true_harm for each set of victims left out, the truth and the events read once."""
    on = _start(truth_dir)
    people = {p["person_id"]: p for p in _read(truth_dir / "persons.csv")}
    person_of = {
        (r["force"], r["record_id"]): r["person_id"] for r in _read(truth_dir / "nominals.csv")
    }
    counted = {k for k in TRUE_HARM if k not in ("child", "vulnerable_adult")}
    by_person: dict[str, Counter[str]] = {}
    for e in _events(truth_dir.parent):
        kind = str(e.get(s.EVENT_TYPE) or "")
        pid = person_of.get((str(e.get(s.FORCE) or ""), str(e.get(s.NOMINAL_RECORD_ID) or "")))
        if kind in counted and pid:
            by_person.setdefault(pid, Counter())[kind] += 1
    lines = _read(truth_dir / "lines.csv")
    return [_harm(lines, people, on, by_person, gone) for gone in leaving_out]


def _harm(
    lines: list[dict[str, str]],
    people: dict[str, dict[str, str]],
    on: date,
    by_person: dict[str, Counter[str]],
    gone: set[str],
) -> dict[str, float]:
    out: dict[str, float] = {}
    for t in lines:
        runners = [p for p in _split(t["runner_person_ids"]) if p not in gone]
        cuckooed = [p for p in _split(t["cuckooed_person_ids"]) if p not in gone]

        def child(p: str) -> bool:
            age = _age(people.get(p, {}).get("date_of_birth", ""), on)
            return age is not None and age < 18

        children = {p for p in runners if child(p)}
        vulnerable = {p for p in cuckooed if not child(p)} | {
            p
            for p in runners
            if p not in children and people.get(p, {}).get("vulnerable") == "true"
        }
        members = {t["holder_person_id"], *runners, *cuckooed}
        harm = TRUE_HARM["child"] * len(children) + TRUE_HARM["vulnerable_adult"] * len(vulnerable)
        for p in members:
            for kind, n in by_person.get(p, Counter()).items():
                if kind == E.MISSING_EPISODE.value and p not in children:
                    continue
                harm += TRUE_HARM[kind] * n
        out[t["line_id"]] = harm
    return out


def evaluate_risk(register: pa.Table, truth_dir: Path) -> RiskEvaluation:
    truth = _read(truth_dir / "lines.csv")
    harm, shown = _harms(truth_dir, [set(), untraceable(truth_dir)])
    pred = register.to_pylist()
    worst = len(pred) + 1
    priority: list[float] = []
    found = 0
    for row in matched_rows(pred, truth):
        rank = row["priority_rank"] if row else None
        found += rank is not None
        priority.append(-float(rank if rank is not None else worst))
    tau = kendall_tau_b(priority, [harm[t["line_id"]] for t in truth])
    traced = kendall_tau_b(priority, [shown[t["line_id"]] for t in truth])
    return RiskEvaluation(tau, len(truth), found, harm, traced)
