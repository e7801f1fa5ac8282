"""A vulnerable adult among a line's customers: dependency is how a line takes over a home
and recruits the people it exploits."""

from __future__ import annotations

from crossline.analyse.safeguard.findings import Finding
from crossline.analyse.safeguard.people import Context
from crossline.model.evidence import Factor
from crossline.model.vocab import NominalFlag, SafeguardReason

NAME = "vulnerable customers"


def rule(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for line in ctx.lines:
        for number in line.customers:
            for pid in ctx.persons_of_phone.get(number, set()):
                if NominalFlag.VULNERABLE_ADULT.value in ctx.people[pid].flags:
                    factor = Factor(
                        "customer_of_line",
                        number,
                        f"recorded as a vulnerable adult; their phone {number} is a customer "
                        f"of line {line.line_id}",
                        subject=line.line_id,
                    )
                    out.append(
                        Finding(
                            NAME,
                            pid,
                            SafeguardReason.VULNERABLE_ADULT.value,
                            frozenset({line.line_id}),
                            (factor,),
                        )
                    )
    return out
