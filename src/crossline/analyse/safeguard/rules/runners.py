"""Runners and the people found with a line's deal phone.

A person found with the deal phone (seizure, arrest) was grafting for the line. A child
among them is a child runner; an adult flagged vulnerable or a victim of modern slavery an
exploited adult; a runner no force knows the age of may be a child, and a lead must check.
Age is taken at the line's last activity (or the person's last event, if later)."""

from __future__ import annotations

from crossline.analyse.safeguard.findings import Finding, child_age
from crossline.analyse.safeguard.people import Context, later
from crossline.model.evidence import Factor
from crossline.model.vocab import NominalFlag, SafeguardReason

NAME = "runners"
_EXPLOITED = {NominalFlag.VULNERABLE_ADULT.value, NominalFlag.MODERN_SLAVERY_VICTIM.value}


def rule(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    last_of = {pid: p.last_event for pid, p in ctx.people.items()}
    for line in ctx.lines:
        last = max(d.last_seen for d in line.deals)
        deal = {d.number for d in line.deals}
        holders = {pid for n in deal for pid in ctx.persons_of_phone.get(n, set())}
        runners = {pid for n in line.runners for pid in ctx.persons_of_phone.get(n, set())}
        for pid in sorted(runners | holders):
            p = ctx.people[pid]
            last_of[pid] = when = later(last_of[pid], last)
            age = p.age_at(when)
            mine = sorted(ctx.phones.get(pid, set()) & (set(line.runners) | deal))
            phone = Factor(
                "line_phone",
                ";".join(mine),
                f"their phone {', '.join(mine)} is "
                + ("the deal phone" if set(mine) <= deal else "a runner phone")
                + f" of line {line.line_id}",
                subject=line.line_id,
            )
            if p.child_at(when):
                reason, factors = (
                    SafeguardReason.CHILD_RUNNER.value,
                    (
                        phone,
                        child_age(
                            age,
                            "at the line's last activity: a child, a victim first",
                            p.year_only(),
                        ),
                    ),
                )
                adult = False
            elif _EXPLOITED & p.flags:
                flags = sorted(_EXPLOITED & p.flags)
                reason, factors = (
                    SafeguardReason.VULNERABLE_ADULT.value,
                    (
                        phone,
                        Factor("flags", ";".join(flags), f"recorded as {', '.join(flags)}"),
                    ),
                )
                adult = True
            elif age is None:
                reason, factors = (
                    SafeguardReason.RUNNER_AGE_UNKNOWN.value,
                    (
                        phone,
                        Factor("age", None, "no force records their date of birth: may be a child"),
                    ),
                )
                adult = False
            else:
                out.append(Finding(NAME, pid, None, seen_at=last))
                continue
            out.append(
                Finding(
                    NAME,
                    pid,
                    reason,
                    frozenset({line.line_id}),
                    factors,
                    seen_at=last,
                    adult_runner=adult,
                )
            )
    return out
