"""Cuckooing nobody reported: a vulnerable adult's own phone is served, most of the time,
by the mast where a line's deal or runner phones dwell in its importer area. A line
working from someone's home keeps its phones there day after day; the adult's phone says
where home is (a force record rarely locates an address)."""

from __future__ import annotations

from collections import defaultdict

from crossline.analyse.contacts import own_cells
from crossline.analyse.safeguard.findings import Finding
from crossline.analyse.safeguard.people import Context, owners
from crossline.analyse.safeguard.rules.dwell import dwell
from crossline.model.evidence import Factor
from crossline.model.vocab import NominalFlag, SafeguardReason

NAME = "line phones at home"


def rule(ctx: Context) -> list[Finding]:
    vulnerable = [
        pid
        for pid, p in ctx.people.items()
        if NominalFlag.VULNERABLE_ADULT.value in p.flags and ctx.phones.get(pid)
    ]
    if not vulnerable or not ctx.lines:
        return []
    where = dwell(ctx)
    if not where.points:
        return []
    owner = owners(ctx.phones, vulnerable)
    served: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in own_cells(ctx.engine, sorted(owner)).to_pylist():
        for pid in owner[r["num"]]:
            served[pid][r["cell"]] += int(r["n"])
    importer_of = {ln.line_id: ln.importer_force for ln in ctx.lines}
    out: list[Finding] = []
    for pid, counts in served.items():
        home, times = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        if times < ctx.cfg.dwell_min or home not in where.cells:
            continue
        at_home = where.near(*where.cells[home], ctx.cfg.home_mast_km, importer_of)
        if not at_home:
            continue
        factors = (
            Factor("flags", NominalFlag.VULNERABLE_ADULT.value, "recorded as a vulnerable adult"),
            Factor(
                "home_mast",
                home,
                f"their phone is served most ({times} times) by mast {home}, where the phones "
                f"of {len(at_home)} line(s) dwell",
                threshold=ctx.cfg.dwell_min,
            ),
        )
        lines = frozenset(at_home)
        out.append(Finding(NAME, pid, SafeguardReason.LINE_PHONES_AT_HOME.value, lines, factors))
        out.append(Finding(NAME, pid, SafeguardReason.VULNERABLE_ADULT.value, lines))
    return out
