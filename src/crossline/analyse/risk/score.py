"""Combines a line's components into thr_score and priority_rank, and writes them back
to the register with their reasons.

thr_score = 100 * (1 - exp(-points * likelihood / scale)), where points are the sum of
harm, supply, reach and organisation: a saturating curve, so a score depends on the line
alone (never on which other lines a run found) and no line reaches 100. The rank orders
by score, then harm, then line id, so equal inputs always rank alike."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pyarrow as pa

from crossline.analyse.outputs import table_of
from crossline.analyse.risk import components as c
from crossline.analyse.risk.config import RiskConfig
from crossline.analyse.risk.facts import LineFacts
from crossline.model import evidence as ev
from crossline.model import outputs as o
from crossline.model.evidence import Factor


@dataclass(frozen=True)
class LineRisk:
    line_id: str
    parts: dict[str, c.Component]
    points: float
    thr_score: float
    stamp: str
    rank: int = 0

    @property
    def harm(self) -> float:
        return self.parts[c.HARM].score

    def summary(self) -> Factor:
        mult = self.parts[c.LIKELIHOOD].score
        parts = ", ".join(f"{n} {self.parts[n].score:g}" for n in c.ADDITIVE)
        return Factor(
            "risk_thr_score",
            self.thr_score,
            f"threat, harm and risk {self.thr_score:g} (rank {self.rank}; {parts}; "
            f"x{mult:g}; weights {self.stamp})",
            weight=self.thr_score,
        )

    def factors(self) -> list[Factor]:
        """The summary, then every component's reasons (harm first)."""
        return [self.summary(), *(f for n in c.COMPONENTS for f in self.parts[n].factors)]


def score_line(f: LineFacts, cfg: RiskConfig, stamp: str) -> LineRisk:
    parts = {
        c.HARM: c.harm(f, cfg),
        c.SUPPLY: c.supply(f, cfg),
        c.LIKELIHOOD: c.likelihood(f, cfg),
        c.REACH: c.reach(f, cfg),
        c.ORGANISATION: c.organisation(f, cfg),
    }
    points = round(sum(parts[n].score for n in c.ADDITIVE), 4)
    raw = points * parts[c.LIKELIHOOD].score
    thr = round(100 * (1 - math.exp(-raw / cfg.scale)), 1)
    return LineRisk(f.line_id, parts, points, thr, stamp)


def ranked(facts: list[LineFacts], cfg: RiskConfig | None = None) -> list[LineRisk]:
    """Every line scored and ranked, 1 = act first."""
    cfg = cfg or RiskConfig()
    stamp = cfg.stamp()
    scored = [score_line(f, cfg, stamp) for f in facts]
    scored.sort(key=lambda r: (-r.thr_score, -r.harm, -r.points, r.line_id))
    return [
        LineRisk(r.line_id, r.parts, r.points, r.thr_score, r.stamp, rank=i)
        for i, r in enumerate(scored, start=1)
    ]


def with_risk(
    register: pa.Table, risks: list[LineRisk], extra: dict[str, list[Factor]]
) -> pa.Table:
    """The register with thr_score, priority_rank and the reasons filled in (risk factors
    after the line's own, then `extra`, e.g. its supply), in priority order. The prose
    `evidence` column is left as the register wrote it."""
    by_id = {r.line_id: r for r in risks}
    rows = register.to_pylist()
    for row in rows:
        r = by_id[row["line_id"]]
        row["thr_score"] = r.thr_score
        row["priority_rank"] = r.rank
        own = ev.from_json(row[o.EVIDENCE_FACTORS.name])
        row[o.EVIDENCE_FACTORS.name] = ev.to_json([*own, *r.factors(), *extra.get(r.line_id, [])])
    rows.sort(key=lambda x: x["priority_rank"])
    return pa.Table.from_pylist(rows, schema=register.schema)


def risk_table(risks: list[LineRisk]) -> pa.Table:
    """One row per line and component, in rank order."""
    rows = [
        {
            "line_id": r.line_id,
            "component": name,
            "score": r.parts[name].score,
            "rationale": r.parts[name].rationale(),
            "weights_version": r.stamp,
            o.EVIDENCE_FACTORS.name: ev.to_json(r.parts[name].factors),
        }
        for r in risks
        for name in c.COMPONENTS
    ]
    return table_of(o.RISK, rows)
