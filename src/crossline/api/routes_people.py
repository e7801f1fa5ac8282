"""Persons, the safeguarding list and intelligence: personal data, so each read needs a
justification and is logged as a disclosure. Intelligence carries its handling code and
conditions on every item."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool

from crossline.act.deconfliction import EntityKind
from crossline.api import models as m
from crossline.api.context import READERS, SAFEGUARDING_READERS, Current, Justified, role_in
from crossline.api.responses import READ_JUSTIFIED
from crossline.api.routes_lines import ID_PATTERN, normalise, opened
from crossline.store import audit
from crossline.store import reads_people as rp

router = APIRouter(prefix="/api/v1")
SUBJECT_PATTERN = r"^[A-Za-z0-9+() .,/_-]{1,120}$"


@router.get(
    "/persons/{person_id}", response_model=m.Person, responses=READ_JUSTIFIED, tags=["persons"]
)
async def get_person(
    ctx: Current,
    _why: Justified,
    person_id: Annotated[str, Path(pattern=ID_PATTERN, description="a person id or an alias")],
) -> dict[str, Any]:
    """One person: the caller's force's records (and how many others hold), phones,
    lines, and flags; a child on the safeguarding list always carries the flag."""
    role_in(ctx, READERS)

    def read() -> dict[str, Any] | None:
        with ctx.store.read() as conn:
            return rp.get_person(conn, ctx.scope, person_id)

    person = await run_in_threadpool(read)
    if person is None:
        raise ctx.not_found("person", person_id)
    await run_in_threadpool(ctx.log, audit.Operation.DISCLOSURE, "person", str(person["person_id"]))
    await run_in_threadpool(opened, ctx, EntityKind.PERSON, str(person["person_id"]))
    return person


@router.get(
    "/safeguarding",
    response_model=m.SafeguardingPage,
    responses=READ_JUSTIFIED,
    tags=["safeguarding"],
)
async def list_safeguarding(
    ctx: Current,
    _why: Justified,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """The safeguarding list: a safeguarding lead's for its force, national roles' all."""
    role_in(ctx, SAFEGUARDING_READERS)

    def read() -> tuple[list[dict[str, Any]], int]:
        with ctx.store.read() as conn:
            return rp.list_safeguarding(conn, ctx.scope, limit, offset)

    items, total = await run_in_threadpool(read)
    await run_in_threadpool(
        ctx.log,
        audit.Operation.DISCLOSURE,
        "safeguarding",
        "",
        f"{len(items)} of {total}: " + ",".join(str(i["person_id"]) for i in items),
    )
    return {"items": items, "total": total}


@router.get(
    "/intelligence",
    response_model=m.IntelligencePage,
    responses=READ_JUSTIFIED,
    tags=["intelligence"],
)
async def list_intelligence(
    ctx: Current,
    _why: Justified,
    subject: Annotated[
        str | None,
        Query(pattern=SUBJECT_PATTERN, description="a subject: a phone (any form) or a reference"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """Intelligence in scope, each item with its handling code and, for code C, the
    conditions that travel with it."""
    role_in(ctx, READERS)
    key = None if subject is None else (normalise(subject) or subject)

    def read() -> tuple[list[dict[str, Any]], int]:
        with ctx.store.read() as conn:
            return rp.list_intelligence(conn, ctx.scope, key, limit, offset)

    items, total = await run_in_threadpool(read)
    await run_in_threadpool(
        ctx.log,
        audit.Operation.DISCLOSURE,
        "intelligence",
        key or "",
        f"{len(items)} of {total}: " + ",".join(f"{i['force']}/{i['intel_id']}" for i in items),
    )
    return {"items": items, "total": total}
