"""Logging in, health, and the audit log (read-only: the router has no PUT, PATCH or
DELETE, so the framework refuses them with 405, and app.py logs each refusal)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
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
# ISO 8601: a date, optionally a time and an offset (naive means UTC)
ISO_TIME = (
    r"^(?P<y>[12]\d{3})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
    r"(?:[T ](?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d)(?:\.(?P<f>\d{1,6}))?)?"
    r"(?P<z>Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?$"
)
_ISO_RE = re.compile(ISO_TIME)
BAD_LOGIN = "wrong username or password, or the account is locked or disabled"


@router.post(
    "/token",
    response_model=m.Token,
    responses={
        401: {"model": m.Error, "description": BAD_LOGIN},
        422: {"model": m.Error, "description": "username or password missing"},
    },
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
    since: Annotated[
        str | None, Query(pattern=ISO_TIME, description="ISO 8601 (UTC if naive)")
    ] = None,
    until: Annotated[
        str | None, Query(pattern=ISO_TIME, description="ISO 8601 (UTC if naive)")
    ] = None,
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
            since=_time(since),
            until=_time(until),
            limit=limit,
            offset=offset,
        )
    )
    await run_in_threadpool(
        ctx.log, audit.Operation.CONSULTATION, "audit", entity_id or "", f"{len(items)} of {total}"
    )
    return {"items": items, "total": total}


def _time(raw: str | None) -> datetime | None:
    """An ISO 8601 time as naive UTC. Strict in form (not the numbers pydantic would also
    take as times); a day past the month's end counts on into the next month, so every
    string the spec admits is a time."""
    m = None if raw is None else _ISO_RE.fullmatch(raw)
    if m is None:
        return None
    g = m.groupdict()
    t = datetime(int(g["y"]), int(g["m"]), 1, int(g["H"] or 0), int(g["M"] or 0),
                 int(g["S"] or 0), int((g["f"] or "0").ljust(6, "0")))  # fmt: skip
    t += timedelta(days=int(g["d"]) - 1)
    z = g["z"]
    if z and z != "Z":
        sign = 1 if z[0] == "+" else -1
        digits = z[1:].replace(":", "")
        t -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return t
