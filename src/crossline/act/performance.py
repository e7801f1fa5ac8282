"""Performance figures: what forces did with the lines, per force and per period, for the
programme's returns. Marked as management information: counts of what users recorded,
not official statistics, not quality-assured, not for publication as they stand.

Periods are the financial year (April to March, `2026-27`) or its quarters (`2026-27
Q1` is April to June 2026). A Type 1 closure counts in the period its last check-back
confirmed it, never before; a Type 2 closure when the number was deactivated. A row
recorded by a national coordinator counts for the line's lead force.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select

from crossline.act.common import READERS, Actor
from crossline.store import Store
from crossline.store import tables as t
from crossline.store import tables_act as ta
from crossline.store.users import NATIONAL

NOTICE = (
    "Management information: counts of what users recorded in Crossline, not official "
    "statistics; not quality-assured; not for publication."
)
LEVELS = ("major", "moderate", "minor", "none", "negative")
FIGURES = (
    "closures_type1",
    "closures_type2",
    "arrests",
    "charges_drugs_supply",
    "charges_modern_slavery",
    "charges_other",
    "safeguarding_referrals",
    "nrm_referrals",
    "duty_to_notify",
    *(f"disruptions_{lv}" for lv in LEVELS),
    "seizures",
    "drugs_grams",
    "cash_gbp",
    "weapons",
)


class Period(StrEnum):
    QUARTER = "quarter"
    FINANCIAL_YEAR = "financial_year"


def financial_year(d: date) -> str:
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def period_of(d: date, kind: Period) -> str:
    fy = financial_year(d)
    if kind is Period.FINANCIAL_YEAR:
        return fy
    return f"{fy} Q{((d.month - 4) % 12) // 3 + 1}"


def tally(outcomes: Iterable[Any]) -> dict[str, float]:
    """The outcome figures of some outcome rows."""
    out: dict[str, float] = {
        f: 0 for f in FIGURES if not f.startswith(("closures", "safe", "nrm", "duty"))
    }
    for r in outcomes:
        if r.kind == "arrest":
            out["arrests"] += r.count
        elif r.kind == "charge":
            out[f"charges_{r.charge}"] += r.count
        elif r.kind == "disruption":
            out[f"disruptions_{r.level}"] += 1
        elif r.kind == "seizure":
            out["seizures"] += 1
            out["drugs_grams"] += r.drugs_grams or 0
            out["cash_gbp"] += r.cash_gbp or 0
            out["weapons"] += r.weapons or 0
    return out


def _lead(conn: Connection) -> dict[str, str]:
    leads = {str(r.line_id): str(r.lead_force) for r in conn.execute(select(ta.tasking))}
    for r in conn.execute(select(t.lines.c.line_id, t.lines.c.exporter_force)):
        leads.setdefault(str(r.line_id), str(r.exporter_force or NATIONAL))
    return leads


def figures(
    store: Store, actor: Actor, kind: Period = Period.QUARTER, force: str | None = None
) -> dict[str, Any]:
    """Rows per (force, period); a force's users see their own force's rows only."""
    actor.may(READERS)
    only = force if actor.user.national else actor.force
    rows: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    with store.read() as conn:
        leads = _lead(conn)

        def credit(recorder: str, line_id: str | None) -> str:
            if recorder != NATIONAL:
                return recorder
            return leads.get(str(line_id), NATIONAL)

        for r in conn.execute(select(ta.outcomes)):
            row = rows[(r.credited_force, period_of(r.occurred_on, kind))]
            for k, v in tally([r]).items():
                row[k] += v
        for r in conn.execute(select(ta.closures)):
            if r.closure_type == 2:
                rows[(credit(r.force, r.line_id), period_of(r.closed_on, kind))][
                    "closures_type2"
                ] += 1
            elif r.status == "confirmed" and r.confirmed_on is not None:
                rows[(credit(r.force, r.line_id), period_of(r.confirmed_on, kind))][
                    "closures_type1"
                ] += 1
        for r in conn.execute(select(ta.referrals)):
            if r.la_notified_on is not None:
                who = credit(r.made_by_org or r.force, r.line_id)
                rows[(who, period_of(r.la_notified_on, kind))]["safeguarding_referrals"] += 1
            if r.status == "made" and r.made_on is not None:
                what = "nrm_referrals" if r.route == "nrm" else "duty_to_notify"
                rows[(credit(r.made_by_org or r.force, r.line_id), period_of(r.made_on, kind))][
                    what
                ] += 1
    items = [
        {
            "force": f,
            "period": p,
            **{k: (round(v, 2) if isinstance(v, float) else v) for k, v in vals.items()},
        }
        for (f, p), vals in sorted(rows.items())
        if only is None or f == only
    ]
    return {
        "management_information": True,
        "notice": NOTICE,
        "period": kind.value,
        "items": items,
        "total": len(items),
    }
