"""Every person named in a cuckooing report, with the lines whose phones dwell within
`cuckoo_radius_km` of it. A report no line's phones are seen near is put against the lines
selling in the reporting force's area only when nothing else names a line for the person
(see findings.combine): a lead must still see the report, but the guess is marked."""

from __future__ import annotations

from crossline.analyse.safeguard.areas import importers
from crossline.analyse.safeguard.findings import Finding
from crossline.analyse.safeguard.people import Context
from crossline.analyse.safeguard.rules.dwell import dwell
from crossline.model import schema as s
from crossline.model.evidence import Factor
from crossline.model.vocab import EventType, NominalFlag, SafeguardReason

NAME = "cuckooed"


def rule(ctx: Context) -> list[Finding]:
    reports = [e for e in ctx.events if e[s.EVENT_TYPE] == EventType.CUCKOOING_REPORT.value]
    if not reports:
        return []
    where = dwell(ctx)
    sells = importers(ctx)
    out: list[Finding] = []
    for e in reports:
        pid = ctx.person_of_event(e)
        if not pid:
            continue
        near: set[str] = set()
        if e[s.LAT] is not None and e[s.LON] is not None:
            lat, lon = float(str(e[s.LAT])), float(str(e[s.LON]))
            near = where.near(lat, lon, ctx.cfg.cuckoo_radius_km, {})
        guess = frozenset(lid for lid, area in sells.items() if area.force == str(e[s.FORCE]))
        factors = [
            Factor(
                "cuckooing_report",
                str(e[s.FORCE]),
                f"named in a cuckooing report by {e[s.FORCE]}",
            )
        ]
        if near:
            factors.append(
                Factor(
                    "line_phones_near",
                    len(near),
                    f"the phones of {len(near)} line(s) dwell within "
                    f"{ctx.cfg.cuckoo_radius_km:g} km of the reported address",
                    threshold=ctx.cfg.cuckoo_radius_km,
                )
            )
        elif guess:
            factors.append(
                Factor(
                    "lines_in_reporting_area",
                    len(guess),
                    f"no line's phones are seen near the address; {len(guess)} line(s) sell "
                    f"in {e[s.FORCE]} (weak: a guess by area)",
                )
            )
        out.append(
            Finding(
                NAME,
                pid,
                SafeguardReason.CUCKOOED_ADDRESS.value,
                frozenset(near),
                tuple(factors),
                fallback_lines=guess,
            )
        )
        if NominalFlag.VULNERABLE_ADULT.value in ctx.people[pid].flags:
            flag = Factor(
                "flags", NominalFlag.VULNERABLE_ADULT.value, "recorded as a vulnerable adult"
            )
            out.append(Finding(NAME, pid, SafeguardReason.VULNERABLE_ADULT.value, factors=(flag,)))
    return out
