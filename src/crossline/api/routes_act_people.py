"""Acting for people and counting what was done: NRM referrals, offender-management
orders, outcomes, intensification weeks and the performance figures. Thin over
`crossline.act`, as routes_act.py; reads that carry personal data need a justification
and are logged as disclosures."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool

from crossline.act import orders, outcomes, performance, referrals
from crossline.act.common import READERS, Actor
from crossline.api import models_act as ma
from crossline.api.context import Current, Justified
from crossline.api.responses import READ, READ_JUSTIFIED
from crossline.api.routes_act import RowId, call
from crossline.api.routes_lines import ID_PATTERN
from crossline.store import Store, audit

router = APIRouter(prefix="/api/v1")


@router.post("/persons/{person_id}/referrals", responses=READ_JUSTIFIED, tags=["referrals"])
async def open_referral(
    ctx: Current,
    _why: Justified,
    body: ma.ReferralIn,
    person_id: Annotated[str, Path(pattern=ID_PATTERN, description="a person id or an alias")],
) -> dict[str, Any]:
    """Open an NRM referral task. A child on the safeguarding list needs no consent (the
    local authority is notified first); an adult needs recorded consent, else the
    anonymous Duty to Notify route."""
    return await call(
        ctx, "referral", person_id, referrals.open_referral, person_id,
        body.consent, body.reason, body.line_id,
    )  # fmt: skip


def _list(store: Store, a: Actor) -> list[dict[str, Any]]:
    a.may(READERS)
    with store.read() as conn:
        return referrals.list_referrals(conn, a)


@router.get("/referrals", response_model=ma.Page, responses=READ_JUSTIFIED, tags=["referrals"])
async def list_referrals(ctx: Current, _why: Justified) -> dict[str, Any]:
    """Referral tasks about persons in your scope (a child always as a victim)."""
    items = await call(ctx, "referrals", "", _list)
    await run_in_threadpool(
        ctx.log, audit.Operation.DISCLOSURE, "referrals", "", f"{len(items)} referrals"
    )
    return {"items": items, "total": len(items)}


@router.post("/referrals/{referral_id}/made", responses=READ_JUSTIFIED, tags=["referrals"])
async def referral_made(
    ctx: Current, _why: Justified, referral_id: RowId, body: ma.ReferralMadeIn
) -> dict[str, Any]:
    """Mark a referral made: only users of a first responder organisation (police
    forces, the NCA, local authorities; others 403). A child's needs the local
    authority's notification dated first."""
    return await call(
        ctx, "referral", str(referral_id), referrals.mark_made, referral_id, body.made_on,
        body.la_notified_on, body.strategy_discussion_on,
    )  # fmt: skip


@router.post("/orders", responses=READ_JUSTIFIED, tags=["acting"])
async def record_order(ctx: Current, _why: Justified, body: ma.OrderIn) -> dict[str, Any]:
    """An order for offender management (STPO, SCPO, civil injunction, CBO) with its
    conditions; new data showing the subject's number in a line raises a breach alert."""
    return await call(ctx, "order", body.person_id, orders.record, body.model_dump())


@router.post("/outcomes", responses=READ_JUSTIFIED, tags=["acting"])
async def record_outcome(ctx: Current, _why: Justified, body: ma.OutcomeIn) -> dict[str, Any]:
    """An outcome against a line: an arrest, a charge, a seizure, or a disruption on the
    national scale with who assessed it and why."""
    return await call(ctx, "outcome", body.line_id, outcomes.record, body.model_dump())


@router.post("/weeks", responses=READ_JUSTIFIED, tags=["acting"])
async def add_week(ctx: Current, _why: Justified, body: ma.WeekIn) -> dict[str, Any]:
    """An intensification week: a period and the participating forces."""
    return await call(
        ctx, "week", body.name, outcomes.add_week, body.name, body.starts_on, body.ends_on,
        body.forces,
    )  # fmt: skip


def _week(store: Store, a: Actor, week_id: int) -> dict[str, Any]:
    with store.read() as conn:
        return outcomes.week(conn, a, week_id)


@router.get("/weeks/{week_id}", responses=READ, tags=["acting"])
async def get_week(ctx: Current, week_id: RowId) -> dict[str, Any]:
    """An intensification week with its outcomes rolled up."""
    done = await call(ctx, "week", str(week_id), _week, week_id)
    await run_in_threadpool(ctx.log, audit.Operation.CONSULTATION, "week", str(week_id))
    return done


@router.get("/performance", response_model=ma.Performance, responses=READ, tags=["acting"])
async def get_performance(
    ctx: Current,
    period: Annotated[
        performance.Period, Query(description="quarter or financial_year (April-March)")
    ] = performance.Period.QUARTER,
    force: Annotated[
        str | None, Query(pattern=ma.FORCE, description="one force (national roles)")
    ] = None,
) -> dict[str, Any]:
    """Closures by type, arrests, charges, safeguarding and NRM referrals, disruptions by
    level and seizures, per force and period. Management information."""
    done = await call(ctx, "performance", period.value, performance.figures, period, force)
    await run_in_threadpool(
        ctx.log, audit.Operation.CONSULTATION, "performance", period.value, f"{done['total']} rows"
    )
    return done
