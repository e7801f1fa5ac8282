"""Logging in, health, and the audit log (read-only: the router has no PUT, PATCH or
DELETE, so the framework refuses them with 405, and app.py logs each refusal)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.security import OAuth2PasswordRequestForm
from starlette.concurrency import run_in_threadpool

from crossline.api import models as m
from crossline.api import tokens
from crossline.api.context import AUDITORS, Current, client_of, role_in, service
from crossline.api.responses import AUTH
from crossline.store import audit
from crossline.store import reads as r
from crossline.store.users import authenticate

router = APIRouter(prefix="/api/v1")
BAD_LOGIN = "wrong username or password, or the account is locked or disabled"


@router.post(
    "/token",
    response_model=m.Token,
    responses={401: {"model": m.Error, "description": BAD_LOGIN}},
    tags=["auth"],
)
async def token(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> dict[str, Any]:
    """OAuth2 password flow: a short-lived bearer token. One answer for every failure,
    so it does not tell which names exist or which accounts are locked."""
    store, settings = service(request)
    user, why = await run_in_threadpool(
        authenticate, store, form.username, form.password, settings.lockout
    )
    entry = audit.Entry(
        operation=audit.Operation.LOGIN,
        username=form.username[:64],
        force=user.force if user else "",
        client=client_of(request),
        entity_kind="user",
        entity_id=form.username[:64],
        outcome="ok" if user else "refused",
        detail=why,
    )
    await run_in_threadpool(audit.append, store, entry)
    if user is None:
        request.state.logged = True
        raise HTTPException(401, BAD_LOGIN, headers={"WWW-Authenticate": "Bearer"})
    issued = tokens.issue(user.username, settings.secret_key, settings.token_minutes)
    return {
        "access_token": issued,
        "token_type": "bearer",
        "expires_in": settings.token_minutes * 60,
    }


@router.get("/health", response_model=m.Health, tags=["health"])
async def health(request: Request) -> dict[str, Any]:
    """Whether the service can read its store, and which run it serves."""
    store, _ = service(request)

    def read() -> dict[str, Any] | None:
        with store.read() as conn:
            return r.latest_run(conn)

    run = await run_in_threadpool(read)
    return {
        "status": "ok",
        "database": store.dialect,
        "run_id": None if run is None else run["run_id"],
    }


@router.get("/audit", response_model=m.AuditPage, responses=AUTH, tags=["audit"])
async def list_audit(
    ctx: Current,
    username: Annotated[str | None, Query(max_length=64, pattern=r"^[ -~]+$")] = None,
    entity_kind: Annotated[str | None, Query(max_length=20, pattern=r"^[a-z_]+$")] = None,
    entity_id: Annotated[str | None, Query(max_length=200, pattern=r"^[ -~]+$")] = None,
    since: Annotated[datetime | None, Query(description="ISO 8601, UTC")] = None,
    until: Annotated[datetime | None, Query(description="ISO 8601, UTC")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """The audit log, newest first (admins only); reading it is logged too."""
    role_in(ctx, AUDITORS)
    items, total = await run_in_threadpool(
        lambda: audit.search(
            ctx.store,
            username=username,
            entity_kind=entity_kind,
            entity_id=entity_id,
            since=_naive(since),
            until=_naive(until),
            limit=limit,
            offset=offset,
        )
    )
    await run_in_threadpool(
        ctx.log, audit.Operation.CONSULTATION, "audit", entity_id or "", f"{len(items)} of {total}"
    )
    return {"items": items, "total": total}


def _naive(t: datetime | None) -> datetime | None:
    """A time as the log stores it (naive UTC)."""
    if t is None or t.tzinfo is None:
        return t
    from datetime import UTC

    return t.astimezone(UTC).replace(tzinfo=None)
