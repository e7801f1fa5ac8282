"""Lines, phones and the lines export: thin over the store's scoped reads. Each route
logs what it disclosed; what is out of scope answers 404 exactly as what does not
exist.

The three reads the service gets most (a page of lines, a line, a phone) read their user,
their data, their audit entry and any deconfliction check in one call on the thread pool
(`Caller.ctx`, then the rest), not one call each: every hand-off between the event loop
and a worker thread costs CPU (a wake-up each way), and these routes are most of the
service's traffic. The checks keep `current`'s order: token, user, role, then the read."""

from __future__ import annotations

import csv
import io
import re
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from crossline.act import deconfliction, tasking
from crossline.act.common import Actor
from crossline.act.deconfliction import EntityKind
from crossline.api import models as m
from crossline.api.context import (
    EXPORTERS,
    READERS,
    Caller,
    Calling,
    Ctx,
    Current,
    Justified,
    role_in,
)
from crossline.api.responses import READ, READ_JUSTIFIED
from crossline.ingest.normalise import try_normalise_phone
from crossline.model import outputs as o
from crossline.store import audit
from crossline.store import reads as r

router = APIRouter(prefix="/api/v1")

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
FORCE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
PHONE_PATTERN = r"^[0-9+() .-]{4,32}$"

SORT_PATTERN = "^(" + "|".join(re.escape(k) for k in r.LINE_SORTS) + ")$"


class LineScope(StrEnum):
    COUNTY = "county"
    LOCAL = "local"


def _read(ctx: Ctx, fn: Any, *args: Any) -> Any:
    with ctx.store.read() as conn:
        return fn(conn, ctx.scope, *args)


def opened(ctx: Ctx, kind: EntityKind, key: str) -> None:
    """A person or phone opened: deconfliction alerts if another force works it."""
    deconfliction.opened(ctx.store, Actor(ctx.user, ctx.client, ctx.justification), kind, key)


def _lines_logged(who: Caller, f: r.LineFilter) -> tuple[list[dict[str, Any]], int]:
    with who.store.read() as conn:
        ctx = who.ctx(READERS, conn)
        items, total = r.list_lines(conn, ctx.scope, f)
    ctx.log(audit.Operation.CONSULTATION, "lines", "", f"{len(items)} of {total} lines")
    return items, total


def _line_logged(who: Caller, line_id: str) -> tuple[Ctx, dict[str, Any] | None]:
    """The line with its tasking (None when absent or out of scope), its disclosure
    logged once read."""
    with who.store.read() as conn:
        ctx = who.ctx(READERS, conn)
        line = r.get_line(conn, ctx.scope, line_id)
        if line is not None:
            line["tasking"] = tasking.view(conn, line, line["aliases"])
    if line is not None:
        ctx.log(audit.Operation.DISCLOSURE, "line", str(line["line_id"]))
    return ctx, line


def _phone_logged(who: Caller, number: str) -> tuple[Ctx, str | None, dict[str, Any] | None]:
    """(ctx, the number in E.164 or None, the phone or None when absent or out of scope):
    its disclosure logged, then the deconfliction check of its opening."""
    with who.store.read() as conn:
        ctx = who.ctx(READERS, conn)
        e164 = normalise(number)
        if e164 is None:
            return ctx, None, None
        phone = r.get_phone(conn, ctx.scope, e164)
    if phone is not None:
        ctx.log(audit.Operation.DISCLOSURE, "phone", e164)
        opened(ctx, EntityKind.PHONE, e164)
    return ctx, e164, phone


@router.get("/lines", response_model=m.LinePage, responses=READ, tags=["lines"])
async def list_lines(
    who: Calling,
    force: Annotated[
        str | None, Query(pattern=FORCE_PATTERN, description="lines touching this force")
    ] = None,
    scope: Annotated[LineScope | None, Query(description="county or local")] = None,
    min_score: Annotated[float | None, Query(ge=0, le=100, description="minimum THR score")] = None,
    sort: Annotated[
        str, Query(pattern=SORT_PATTERN, description=f"one of {', '.join(r.LINE_SORTS)}")
    ] = "priority_rank",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """The lines the caller's force may see (every line for national roles), each with its
    safeguarding flags but without its evidence, which its own detail carries."""
    f = r.LineFilter(force, None if scope is None else scope.value, min_score, sort, limit, offset)
    items, total = await run_in_threadpool(_lines_logged, who, f)
    return {"items": items, "total": total}


@router.get("/lines/{line_id}", response_model=m.LineDetail, responses=READ, tags=["lines"])
async def get_line(
    who: Calling,
    line_id: Annotated[str, Path(pattern=ID_PATTERN, description="a line id or an alias")],
) -> dict[str, Any]:
    """One line: its numbers in order, roles with evidence, persons, safeguarding flags,
    aliases, provenance and its tasking (lead and supporting forces, status). An
    aliased id answers with the line it resolves to."""
    ctx, line = await run_in_threadpool(_line_logged, who, line_id)
    if line is None:
        raise ctx.not_found("line", line_id)
    return line


def normalise(raw: str) -> str | None:
    e164, _ = try_normalise_phone(raw)
    return e164


@router.get("/phones/{number}", response_model=m.Phone, responses=READ_JUSTIFIED, tags=["phones"])
async def get_phone(
    who: Calling,
    _why: Justified,
    number: Annotated[
        str, Path(pattern=PHONE_PATTERN, description="any usual form: 07700 900123, +447700900123")
    ],
) -> dict[str, Any]:
    """A phone, by any usual form of its number: the lines it serves and who uses it."""
    ctx, e164, phone = await run_in_threadpool(_phone_logged, who, number)
    if e164 is None:
        raise ctx.not_found("phone", number)
    if phone is None:
        raise ctx.not_found("phone", e164)
    return phone


@router.get(
    "/export/lines",
    responses={**READ_JUSTIFIED, 200: {"content": {"text/csv": {}}, "description": "CSV"}},
    response_class=Response,
    tags=["export"],
)
async def export_lines(ctx: Current, _why: Justified) -> Response:
    """The lines in scope as the data contract's lines.csv."""
    role_in(ctx, EXPORTERS)
    rows = await run_in_threadpool(_read, ctx, r.export_lines)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(o.LINE_REGISTER.export_columns))
    writer.writeheader()
    writer.writerows(rows)
    await run_in_threadpool(
        ctx.log, audit.Operation.DISCLOSURE, "export", "lines", f"{len(rows)} lines exported"
    )
    return Response(out.getvalue(), media_type="text/csv")
