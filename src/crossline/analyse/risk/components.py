"""The five MoRiLE-style components of a line's risk, each scored on its own with the
reasons an officer can read out: harm to victims, supply (apart from harm, as the
Cambridge Crime Harm Index keeps what proactive policing finds), likelihood and
confidence (a multiplier: how sure the picture is), reach, and organisational position.

Each reason is a Factor whose `weight` is what it adds (points) or multiplies by, and
whose text ends with that figure, "3 violence incidents linked (+18)"."""

from __future__ import annotations

from dataclasses import dataclass

from crossline.analyse.risk.config import RiskConfig
from crossline.analyse.risk.facts import LineFacts, Report
from crossline.model.evidence import Factor
from crossline.model.vocab import EventType

HARM, SUPPLY, LIKELIHOOD, REACH, ORGANISATION = (
    "harm", "supply", "likelihood", "reach", "organisation"
)  # fmt: skip
COMPONENTS = (HARM, SUPPLY, LIKELIHOOD, REACH, ORGANISATION)
ADDITIVE = (HARM, SUPPLY, REACH, ORGANISATION)


@dataclass(frozen=True)
class Component:
    name: str
    score: float  # points, or the multiplier for likelihood
    factors: tuple[Factor, ...]

    def rationale(self) -> str:
        return "; ".join(f.text for f in self.factors)


def _pts(x: float) -> str:
    return f"+{x:g}"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _counted(
    name: str, n: int, each: float, cap: int, what: str, many: str | None = None
) -> Factor:
    used = min(n, cap)
    w = round(used * each, 2)
    capped = f", counted to {cap}" if n > cap else ""
    return Factor(
        f"risk_{name}", n, f"{_plural(n, what, many)}{capped} ({_pts(w)})", threshold=cap, weight=w
    )


def _victims(
    name: str, f: LineFacts, who: set[str], each: float, cap: int, what: str, many: str
) -> Factor:
    """Victims count in full on a line they are listed against alone, and in shares on
    each of several lines (the shares the safeguarding evidence gives, summing to 1)."""
    n = len(who)
    eff = sum(f.share.get(p, 1.0) for p in who)
    used = min(eff, cap)
    w = round(used * each, 2)
    also = sum(1 for p in who if f.share.get(p, 1.0) < 1)
    note = f", {also} shared with other lines" if also else ""
    capped = f", counted to {cap}" if eff > cap else ""
    return Factor(
        f"risk_{name}",
        n,
        f"{_plural(n, what, many)}{note}{capped} ({_pts(w)})",
        threshold=cap,
        weight=w,
    )


def harm(f: LineFacts, cfg: RiskConfig) -> Component:
    h = cfg.harm
    cap = h.max_items
    weapons = f.events[EventType.WEAPON_SEIZURE.value]
    victims = [
        ("children_exploited", f.children, h.child_exploited, "child exploited",
         "children exploited"),
        ("runner_age_unknown", f.age_unknown, h.runner_age_unknown,
         "runner of unknown age (may be a child)", "runners of unknown age (may be children)"),
        ("vulnerable_adults", f.vulnerable, h.vulnerable_adult, "vulnerable adult exploited",
         "vulnerable adults exploited"),
        ("cuckooed_addresses", f.cuckooed, h.cuckooed_address, "address cuckooed",
         "addresses cuckooed"),
    ]  # fmt: skip
    incidents = [
        ("violence", f.events[EventType.VIOLENCE_INCIDENT.value], h.violence_incident,
         "violence incident linked", "violence incidents linked"),
        ("firearms", f.firearms, h.firearm, "firearm seized", "firearms seized"),
        ("weapons", weapons - f.firearms, h.weapon_seizure, "weapon seized", "weapons seized"),
        ("modern_slavery", f.events[EventType.CHARGE_MODERN_SLAVERY.value],
         h.modern_slavery_offence, "modern-slavery offence charged",
         "modern-slavery offences charged"),
    ]  # fmt: skip
    factors = [
        _victims(name, f, who, w, cap, one, many) for name, who, w, one, many in victims if who
    ]
    factors += [_counted(name, n, w, cap, one, many) for name, n, w, one, many in incidents if n]
    if f.child_missing:
        used = min(f.child_missing_share, cap)
        w = round(used * h.missing_episode, 2)
        n = f.child_missing
        said = _plural(
            n, "missing episode of a linked child", "missing episodes of linked children"
        )
        capped = f", counted to {cap}" if f.child_missing_share > cap else ""
        factors.append(
            Factor(
                "risk_child_missing",
                n,
                f"{said}{capped} ({_pts(w)})",
                threshold=cap,
                weight=w,
            )
        )
    if not factors:
        factors = [
            Factor("risk_harm_none", 0, "no harm to victims linked in the data (+0)", weight=0.0)
        ]
    return Component(HARM, round(sum(x.weight or 0.0 for x in factors), 2), tuple(factors))


def supply(f: LineFacts, cfg: RiskConfig) -> Component:
    w = cfg.supply
    factors: list[Factor] = []
    if f.supply is not None and f.supply.days:
        med = f.supply.median(True)
        pts = round(med * w.per_confirmed_transaction_day, 2)
        factors.append(
            Factor(
                "risk_supply_transactions",
                med,
                f"Class A supply: median {med:g} confirmed transactions a day ({_pts(pts)})",
                weight=pts,
            )
        )
    else:
        factors.append(Factor("risk_supply_transactions", 0, "no orders seen (+0)", weight=0.0))
    for kind, each, one, many in (
        (EventType.DRUGS_SEIZURE, w.drugs_seizure, "drugs seizure", "drugs seizures"),
        (EventType.CASH_SEIZURE, w.cash_seizure, "cash seizure", "cash seizures"),
    ):
        n = f.events[kind.value]
        if n:
            factors.append(
                Factor(
                    f"risk_{kind.value}",
                    n,
                    f"{_plural(n, one, many)} ({_pts(n * each)})",
                    weight=n * each,
                )
            )
    total = sum(x.weight or 0.0 for x in factors)
    if total > w.max_points:
        factors.append(
            Factor(
                "risk_supply_cap",
                total,
                f"supply counted to {w.max_points:g} points",
                threshold=w.max_points,
                weight=round(w.max_points - total, 2),
            )
        )
        total = w.max_points
    return Component(SUPPLY, round(total, 2), tuple(factors))


def _grade(r: Report, cfg: RiskConfig) -> float:
    lk = cfg.likelihood
    return lk.source.get(r.source, 0.0) * lk.assessment.get(r.assessment, 0.0)


def _forces(n: int) -> str:
    return {1: "one force", 2: "two forces", 3: "three forces"}.get(n, f"{n} forces")


def likelihood(f: LineFacts, cfg: RiskConfig) -> Component:
    lk = cfg.likelihood
    conf = round(lk.floor + (1 - lk.floor) * f.confidence, 3)
    factors = [
        Factor(
            "risk_detection_confidence",
            round(f.confidence, 3),
            f"detected as a line with confidence {f.confidence:.2f} (x{conf:g})",
            weight=conf,
        )
    ]
    if f.reports:
        best = max(f.reports, key=lambda r: (_grade(r, cfg), r.source, r.assessment))
        grade = _grade(best, cfg)
        at_best = {r.force for r in f.reports if _grade(r, cfg) == grade}
        forces = {r.force for r in f.reports}
        mult = 1 + lk.grading * grade + (lk.corroborated if len(forces) >= 2 else 0.0)
        mult = round(mult, 3)
        by = _forces(len(at_best))
        more = f", {_plural(len(f.reports), 'report')} from {_forces(len(forces))}"
        factors.append(
            Factor(
                "risk_intelligence",
                f"{best.source}/{best.assessment}",
                f"graded {best.source}/{best.assessment} by {by}{more} (x{mult:g})",
                threshold=len(forces),
                weight=mult,
            )
        )
    else:
        mult = round(1 - lk.no_intelligence, 3)
        factors.append(
            Factor(
                "risk_intelligence",
                None,
                f"no intelligence report names it (x{mult:g})",
                weight=mult,
            )
        )
    return Component(LIKELIHOOD, round(conf * mult, 4), tuple(factors))


def reach(f: LineFacts, cfg: RiskConfig) -> Component:
    w = cfg.reach
    factors: list[Factor] = []
    if f.scope == "county":
        factors.append(
            Factor(
                "risk_county",
                f.scope,
                f"runs across a force boundary ({_pts(w.county)})",
                weight=w.county,
            )
        )
    elif not f.scope:
        factors.append(
            Factor(
                "risk_county",
                "",
                f"an end of the line not known ({_pts(w.unknown_scope)})",
                weight=w.unknown_scope,
            )
        )
    areas = f.supply.areas if f.supply is not None else []
    if len(areas) > 1:
        pts = (len(areas) - 1) * w.extra_area
        factors.append(
            Factor(
                "risk_areas",
                len(areas),
                f"sells into {len(areas)} force areas ({', '.join(areas)}) ({_pts(pts)})",
                weight=pts,
            )
        )
    days = f.days_active()
    if days >= 1:
        pts = round(min(w.max_longevity, days / 30 * w.per_30_days), 2)
        factors.append(
            Factor(
                "risk_longevity",
                round(days),
                f"active {round(days)} days ({_pts(pts)})",
                weight=pts,
            )
        )
    changes = max(0, len(f.deals) - 1)
    if changes:
        factors.append(
            _counted(
                "number_changes",
                changes,
                w.number_change,
                w.max_number_changes,
                "change of deal number",
                "changes of deal number",
            )
        )
    if f.reemerged:
        factors.append(
            Factor(
                "risk_reemerged",
                True,
                f"went on after a closure or DDTRO ({_pts(w.reemerged)})",
                weight=w.reemerged,
            )
        )
    if not factors:
        factors.append(Factor("risk_reach_local", f.scope, "local, short-lived (+0)", weight=0.0))
    return Component(REACH, round(sum(x.weight or 0.0 for x in factors), 2), tuple(factors))


def organisation(f: LineFacts, cfg: RiskConfig) -> Component:
    w = cfg.organisation
    factors: list[Factor] = []
    if f.other_lines_held:
        pts = f.other_lines_held * w.per_other_line_held
        factors.append(
            Factor(
                "risk_holder_lines",
                f.other_lines_held + 1,
                f"holder controls {f.other_lines_held + 1} lines ({_pts(pts)})",
                weight=pts,
            )
        )
    if f.linked_lines:
        factors.append(
            _counted(
                "linked_lines",
                len(f.linked_lines),
                w.per_linked_line,
                w.max_links,
                "other line sharing runners or phones",
                "other lines sharing runners or phones",
            )
        )
    if not factors:
        factors.append(
            Factor("risk_organisation_none", 0, "no link to another line seen (+0)", weight=0.0)
        )
    return Component(ORGANISATION, round(sum(x.weight or 0.0 for x in factors), 2), tuple(factors))
