"""Threat, harm and risk: each line's MoRiLE-style components, thr_score and priority_rank."""

from __future__ import annotations

import pyarrow as pa

from crossline.analyse.risk.config import RiskConfig
from crossline.analyse.risk.facts import gather
from crossline.analyse.risk.score import LineRisk, ranked, risk_table, with_risk
from crossline.analyse.supply import LineSupply, SupplyConfig
from crossline.engine.base import Engine


def assess(
    engine: Engine,
    register: pa.Table,
    listed: pa.Table,
    persons: pa.Table,
    phone_persons: pa.Table,
    supply: dict[str, LineSupply],
    cfg: RiskConfig | None = None,
    supply_cfg: SupplyConfig | None = None,
) -> tuple[pa.Table, pa.Table]:
    """(the register scored, ranked and ordered by rank; the risk components table)."""
    scfg = supply_cfg or SupplyConfig()
    facts = gather(engine, register, listed, persons, phone_persons, supply)
    risks = ranked(facts, cfg)
    extra = {lid: ls.factors(scfg) for lid, ls in supply.items()}
    return with_risk(register, risks, extra), risk_table(risks)


__all__ = ["LineRisk", "RiskConfig", "assess", "ranked", "risk_table", "with_risk"]
