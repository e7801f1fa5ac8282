"""Score the line register against a simulated world's ground truth.

Every figure is computed against truth the simulator wrote, never against the analysis'
own output: precision, recall and F1 of deal numbers, pairwise F1 of grouping numbers into
lines, controller top-1, exporter and importer force accuracy and runner recall. A true
line nobody found counts as wrong for every per-line figure."""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow as pa

from crossline.simulate.evaluate_persons import PersonsScore, evaluate_persons, true_persons_of
from crossline.simulate.evaluate_risk import RiskEvaluation, evaluate_risk
from crossline.simulate.evaluate_safeguard import SafeguardingEvaluation, evaluate_safeguarding
from crossline.simulate.matching import matched_rows as _matched_rows
from crossline.simulate.matching import read_csv as _read
from crossline.simulate.matching import split as _split


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    support: int

    @staticmethod
    def of(tp: int, fp: int, fn: int) -> Score:
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return Score(round(p, 4), round(r, 4), round(f, 4), tp + fn)


@dataclass
class RoleRates:
    """What the register says about roles it may not be able to support: local lines
    reported local, the controller scored only where the truth says the data holds it, and
    how often each role is left empty or named wrongly (a wrong name sends officers to the
    wrong person; an empty one says the data cannot tell)."""

    local_lines: int
    local_reported: int
    observable_controllers: int
    controller_top1_observable: float
    controller_empty: int  # lines (of all true lines) with no controller named
    controller_named: int
    controller_wrong: int  # named, but not the true controller
    unobservable_named: int  # a controller named where the truth says none can be seen
    runner_lines: int  # true lines with runners
    runners_empty: int  # of those, lines with no runner named
    runners_named: int
    runners_wrong: int  # named runner numbers that are not the line's runners

    def rows(self) -> list[tuple[str, str]]:
        def of(a: int, b: int) -> str:
            return f"{a} of {b} ({a / b:.0%})" if b else "0 of 0"

        return [
            ("local lines reported local", of(self.local_reported, self.local_lines)),
            (
                "controller top-1 (observable)",
                f"{self.controller_top1_observable:.3f} (n={self.observable_controllers})",
            ),
            (
                "controller left empty",
                of(self.controller_empty, self.controller_empty + self.controller_named),
            ),
            ("controller named wrongly", of(self.controller_wrong, self.controller_named)),
            ("runners left empty", of(self.runners_empty, self.runner_lines)),
            ("runners named wrongly", of(self.runners_wrong, self.runners_named)),
        ]


@dataclass
class LinesEvaluation:
    deal_numbers: Score
    grouping: Score
    controller_top1: float
    exporter_accuracy: float
    importer_accuracy: float
    runners: Score
    lookalikes_reported: list[str] = field(default_factory=list)
    true_lines: int = 0
    found_lines: int = 0
    roles: RoleRates | None = None

    def rows(self) -> list[tuple[str, str]]:
        def sc(x: Score) -> str:
            return f"P {x.precision:.3f}  R {x.recall:.3f}  F1 {x.f1:.3f}  (n={x.support})"

        return [
            ("deal numbers", sc(self.deal_numbers)),
            ("look-alikes reported", str(len(self.lookalikes_reported))),
            ("line grouping (pairwise)", sc(self.grouping)),
            ("lines found / true", f"{self.found_lines} / {self.true_lines}"),
            ("controller top-1", f"{self.controller_top1:.3f}"),
            ("exporter force", f"{self.exporter_accuracy:.3f}"),
            ("importer force", f"{self.importer_accuracy:.3f}"),
            ("runners", sc(self.runners)),
            *(self.roles.rows() if self.roles else []),
        ]

    def to_json(self) -> dict[str, object]:
        def sj(x: Score) -> dict[str, float]:
            return {"precision": x.precision, "recall": x.recall, "f1": x.f1, "support": x.support}

        return {
            "deal_numbers": sj(self.deal_numbers),
            "lookalikes_reported": self.lookalikes_reported,
            "grouping": sj(self.grouping),
            "true_lines": self.true_lines,
            "found_lines": self.found_lines,
            "controller_top1": self.controller_top1,
            "exporter_accuracy": self.exporter_accuracy,
            "importer_accuracy": self.importer_accuracy,
            "runners": sj(self.runners),
            **({"roles": asdict(self.roles)} if self.roles else {}),
        }


def evaluate_lines(register: pa.Table, truth_dir: Path) -> LinesEvaluation:
    truth = _read(truth_dir / "lines.csv")
    look = {r["number"] for r in _read(truth_dir / "lookalikes.csv")}
    true_line = {n: t["line_id"] for t in truth for n in _split(t["deal_numbers"])}
    pred = register.to_pylist()
    pred_line = {n: p["line_id"] for p in pred for n in _split(p["deal_numbers"])}

    found = set(pred_line)
    tp = len(found & set(true_line))
    deal = Score.of(tp, len(found) - tp, len(true_line) - tp)

    both = sorted(found & set(true_line))
    g_tp = g_fp = g_fn = 0
    for a, b in itertools.combinations(both, 2):
        same_p, same_t = pred_line[a] == pred_line[b], true_line[a] == true_line[b]
        g_tp += same_p and same_t
        g_fp += same_p and not same_t
        g_fn += same_t and not same_p
    grouping = Score.of(g_tp, g_fp, g_fn)

    ctrl = exp = imp = 0
    r_tp = r_fn = r_fp = 0
    rr = RoleRates(0, 0, 0, 0.0, 0, 0, 0, 0, 0, 0, 0, 0)
    ctrl_obs = 0
    for t, p in zip(truth, _matched_rows(pred, truth), strict=True):
        true_runners = set(_split(t["runner_numbers"]))
        observable = t.get("controller_observable", "true") == "true"
        rr.observable_controllers += observable
        rr.local_lines += t.get("line_scope") == "local"
        rr.runner_lines += bool(true_runners)
        named = p["controller_number"] if p else ""
        got = set(_split(p["runner_numbers"])) if p else set()
        rr.controller_empty += not named
        rr.controller_named += bool(named)
        rr.controller_wrong += bool(named) and named != t["controller_number"]
        rr.unobservable_named += bool(named) and not observable
        rr.runners_empty += bool(true_runners) and not got
        rr.runners_named += len(got)
        rr.runners_wrong += len(got - true_runners)
        if p is None:
            r_fn += len(true_runners)
            continue
        rr.local_reported += t.get("line_scope") == "local" and p.get("line_scope") == "local"
        ctrl_obs += observable and p["controller_number"] == t["controller_number"]
        ctrl += p["controller_number"] == t["controller_number"]
        exp += p["exporter_force"] == t["exporter_force"]
        imp += p["importer_force"] == t["importer_force"]
        r_tp += len(got & true_runners)
        r_fn += len(true_runners - got)
        r_fp += len(got - true_runners)
    n = len(truth) or 1
    rr.controller_top1_observable = round(ctrl_obs / (rr.observable_controllers or 1), 4)
    return LinesEvaluation(
        deal_numbers=deal,
        grouping=grouping,
        controller_top1=round(ctrl / n, 4),
        exporter_accuracy=round(exp / n, 4),
        importer_accuracy=round(imp / n, 4),
        runners=Score.of(r_tp, r_fp, r_fn),
        lookalikes_reported=sorted(found & look),
        true_lines=len(truth),
        found_lines=len(pred),
        roles=rr if truth and "controller_observable" in truth[0] else None,
    )


def evaluate_holders(register: pa.Table, persons: pa.Table, truth_dir: Path) -> Score:
    """Who the register names as each line's holder (`holder_nominal_ids`, resolved persons)
    against the true holder. Per true line, matched to the register row holding most of its
    deal numbers: a named person is right when one of their records is the true holder's;
    a line whose holder is named by nobody, or whose row is missing, is a miss."""
    truth = _read(truth_dir / "lines.csv")
    truths_of = true_persons_of(persons, truth_dir)
    tp = fp = fn = 0
    for line, row in zip(truth, _matched_rows(register.to_pylist(), truth), strict=True):
        named = _split(row.get("holder_nominal_ids")) if row else []
        right = [p for p in named if line["holder_person_id"] in truths_of.get(p, set())]
        tp += bool(right)
        fn += not right
        fp += len(named) - len(right)
    return Score.of(tp, fp, fn)


@dataclass
class Evaluation:
    """Every analysis scored against one world's truth."""

    lines: LinesEvaluation
    persons: PersonsScore
    safeguarding: SafeguardingEvaluation
    holders: Score
    risk: RiskEvaluation | None = None  # priority order against true harm

    def rows(self) -> list[tuple[str, str]]:
        p, g = self.persons, self.safeguarding
        h = self.holders
        return [
            *self.lines.rows(),
            (
                "line holder named",
                f"P {h.precision:.3f}  R {h.recall:.3f}  (lines={h.support})",
            ),
            (
                "persons (pairwise)",
                f"P {p.precision:.3f}  R {p.recall:.3f}  F1 {p.f1:.3f}  (pairs={p.true_pairs})",
            ),
            (
                "safeguarding",
                f"P {g.precision:.3f}  R {g.recall:.3f}  "
                f"(listed {g.listed}, truth {g.to_safeguard})",
            ),
            ("child runners found", f"{g.children_recall:.3f}"),
            (
                "safeguarding, traceable",
                f"R {g.traceable_recall:.3f}  ({g.untraceable} in truth whose records name no "
                "number of their line, nor a missing or cuckooing report)",
            ),
            *(
                [("victims on their own line", f"{g.on_true_line:.3f}  (mean line_share)")]
                if g.on_true_line is not None
                else []
            ),
            *(self.risk.rows() if self.risk else []),
        ]

    def to_json(self) -> dict[str, object]:
        return {
            "lines": self.lines.to_json(),
            "persons": asdict(self.persons),
            "safeguarding": self.safeguarding.to_json(),
            "holders": asdict(self.holders),
            **({"risk": self.risk.to_json()} if self.risk else {}),
        }


def evaluate_all(
    register: pa.Table, persons: pa.Table, listed: pa.Table, truth_dir: Path
) -> Evaluation:
    return Evaluation(
        lines=evaluate_lines(register, truth_dir),
        persons=evaluate_persons(persons, truth_dir),
        safeguarding=evaluate_safeguarding(listed, persons, truth_dir, register),
        holders=evaluate_holders(register, persons, truth_dir),
        risk=evaluate_risk(register, truth_dir),
    )
