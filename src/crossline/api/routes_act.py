"""Acting on lines: tasking, DDTROs, closures and check-backs, deconfliction, contacts and
alerts. Thin over `crossline.act`: each route names what it touches (for the audit entry
of a refusal), calls the service in a worker thread, and maps the service's refusals to
statuses (Absent 404 exactly as elsewhere, Refused 403, Invalid 422 with the rule).
Every change needs an X-Justification: the why of its audit entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, HTTPException, Path, Query
from starlette.concurrency import run_in_threadpool

from crossline.act import closures, deconfliction, outcomes, tasking, tros
from crossline.act.alerts import list_alerts
from crossline.act.common import Absent, ActError, Actor, line_in_scope
from crossline.api import models_act as ma
from crossline.api.context import Ctx, Current, Justified
from crossline.api.responses import READ, READ_JUSTIFIED
from crossline.api.routes_lines import ID_PATTERN
from crossline.store import audit

router = APIRouter(prefix="/api/v1")
T = TypeVar("T")
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def actor(ctx: Ctx) -> Actor:
    return Actor(ctx.user, ctx.client, ctx.justification)


async def call(ctx: Ctx, kind: str, entity: str, fn: Callable[..., T], *args: Any) -> T:
    """Run an act service for the caller; its refusals become HTTP answers (logged by
    app.py as refused attempts, naming `kind` and `entity`)."""
    ctx.touching(kind, entity)
    try:
        return await run_in_threadpool(fn, ctx.store, actor(ctx), *args)
    except Absent as exc:
        raise ctx.not_found(exc.kind, exc.entity_id) from None
    except ActError as exc:
        ctx.request.state.refusal = str(exc)
        raise HTTPException(status_code=exc.status, detail=str(exc)) from None


@router.post("/lines/{line_id}/tasking", responses=READ_JUSTIFIED, tags=["acting"])
async def task_line(
    ctx: Current,
    _why: Justified,
    body: ma.TaskingIn,
    line_id: Annotated[str, Path(pattern=ID_PATTERN, description="a line id or an alias")],
) -> dict[str, Any]:
    """Task a line (or change its tasking): lead force (default: the exporter),
    supporting forces, status, and why. The line's detail shows it from then on, across
    re-analyses; the forces it names see the line and get its alerts."""
    req = tasking.TaskingRequest(
        body.status, body.lead_force, tuple(body.supporting_forces), body.reason,
        body.contact_name, body.contact_means,
    )  # fmt: skip
    return await call(ctx, "tasking", line_id, tasking.task, line_id, req)


def _actions(store: Any, a: Actor, line_id: str) -> dict[str, Any]:
    with store.read() as conn:
        line = line_in_scope(conn, a, line_id)
        lid = str(line["line_id"])
        return {
            "line_id": lid,
            "tasking": tasking.view(conn, line),
            "tros": tros.for_line(conn, lid),
            "closures": closures.for_line(conn, lid),
            "outcomes": outcomes.for_line(conn, lid),
        }


@router.get("/lines/{line_id}/actions", responses=READ, tags=["acting"])
async def line_actions(
    ctx: Current,
    line_id: Annotated[str, Path(pattern=ID_PATTERN, description="a line id or an alias")],
) -> dict[str, Any]:
    """What forces have done with a line: its tasking, DDTROs, closures, outcomes."""
    done = await call(ctx, "line", line_id, _actions, line_id)
    await run_in_threadpool(ctx.log, audit.Operation.CONSULTATION, "line_actions", done["line_id"])
    return done


@router.post("/tros", responses=READ_JUSTIFIED, tags=["acting"])
async def record_tro(ctx: Current, _why: Justified, body: ma.TroIn) -> dict[str, Any]:
    """Record a granted DDTRO (Serious Crime Act 2015 s.80A). The applicant must be a
    superintendent or above, or the NCA's Director General or a Deputy (else 422); the
    provider's compliance deadline is the end of the fifth working day after the order."""
    return await call(ctx, "tro", body.line_id, tros.record, body.model_dump())


@router.post("/tros/{tro_id}/discharge", responses=READ_JUSTIFIED, tags=["acting"])
async def discharge_tro(
    ctx: Current, _why: Justified, tro_id: RowId, body: ma.DischargeIn
) -> dict[str, Any]:
    """The order discharged (its numbers no longer count as under an order)."""
    return await call(ctx, "tro", str(tro_id), tros.discharge, tro_id, body.discharged_on)


@router.post("/closures", responses=READ_JUSTIFIED, tags=["acting"])
async def record_closure(ctx: Current, _why: Justified, body: ma.ClosureIn) -> dict[str, Any]:
    """Record a closure: Type 1 waits for its check-backs before it counts; Type 2
    counts at once."""
    return await call(
        ctx, "closure", body.line_id, closures.record, body.line_id, body.closure_type,
        body.closed_on, body.reason, body.numbers,
    )  # fmt: skip


@router.post(
    "/closures/{closure_id}/check-backs/{check_back_id}",
    responses=READ_JUSTIFIED,
    tags=["acting"],
)
async def answer_check_back(
    ctx: Current, _why: Justified, closure_id: RowId, check_back_id: RowId, body: ma.CheckBackIn
) -> dict[str, Any]:
    """An officer answers a check-back (new communications data answers them too)."""
    return await call(
        ctx, "closure", str(closure_id), closures.answer, closure_id, check_back_id,
        body.result, body.answered_on,
    )  # fmt: skip


@router.post("/deconfliction", responses=READ_JUSTIFIED, tags=["acting"])
async def register_interest(ctx: Current, _why: Justified, body: ma.InterestIn) -> dict[str, Any]:
    """Your force works a person, phone or address: if another force does too, both are
    alerted with the other's contact officer (never the intelligence)."""
    return await call(
        ctx, f"interest_{body.entity_kind.value}", body.entity_id, deconfliction.register,
        body.entity_kind, body.entity_id, body.reason, body.contact_name, body.contact_means,
    )  # fmt: skip


@router.post("/contact", responses=READ_JUSTIFIED, tags=["acting"])
async def set_contact(ctx: Current, _why: Justified, body: ma.ContactIn) -> dict[str, Any]:
    """Your contact details, given to another force's officer when your work meets."""
    return await call(
        ctx, "contact", ctx.user.username, deconfliction.set_contact, body.name, body.means
    )


@router.get("/alerts", response_model=ma.Page, responses=READ, tags=["acting"])
async def alerts(
    ctx: Current,
    kind: Annotated[
        str | None, Query(pattern=r"^[a-z_]{1,40}$", description="e.g. line_re_emerged")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """Your alerts: raised to your force (national roles: every force's), newest first."""
    items, total = await call(ctx, "alerts", kind or "", list_alerts, kind, limit, offset)
    await run_in_threadpool(
        ctx.log, audit.Operation.CONSULTATION, "alerts", kind or "", f"{len(items)} of {total}"
    )
    return {"items": items, "total": total}
