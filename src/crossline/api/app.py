"""The FastAPI application: routers, security headers, and the one place refusals are
answered and logged. Every refused attempt (401, 400, 403, 404, 405, 422) becomes an
audit entry with outcome `refused`, naming what was touched when the route said."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import crossline
from crossline.api import (
    routes_act,
    routes_act_people,
    routes_admin,
    routes_lines,
    routes_people,
    tokens,
)
from crossline.api.context import JUSTIFICATION, JUSTIFICATION_HELP, client_of, unread_caller
from crossline.api.settings import ServiceSettings
from crossline.store import Store, audit
from crossline.store.users import Role

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
MIGRATED_ENV = "CROSSLINE_STORE_MIGRATED"
OPERATION_OF_METHOD = {
    "PUT": audit.Operation.ALTERATION,
    "PATCH": audit.Operation.ALTERATION,
    "POST": audit.Operation.ALTERATION,
    "DELETE": audit.Operation.ERASURE,
}


class SecurityHeaders:
    """Plain ASGI middleware (not BaseHTTPMiddleware, which costs a task per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _log_refusal(request: Request, status: int, detail: str) -> None:
    if getattr(request.state, "logged", False):
        return
    store: Store = request.app.state.store
    user = getattr(request.state, "user", None)
    if user is None and not hasattr(request.state, "username"):
        request.state.username = _claimed(request)
    kind, entity = getattr(request.state, "entity", ("path", request.url.path))
    operation = OPERATION_OF_METHOD.get(request.method, audit.Operation.CONSULTATION)
    why = getattr(request.state, "refusal", detail)
    audit.append(
        store,
        audit.Entry(
            operation=operation,
            username=user.username
            if user
            else getattr(request.state, "username", "anonymous")[:64],
            force=user.force if user else "",
            client=client_of(request),
            entity_kind=kind,
            entity_id=str(entity)[:200],
            justification=str(getattr(request.state, "justification", ""))[:500],
            outcome="refused",
            detail=f"{status} {request.method} {request.url.path}: {why}"[:500],
        ),
    )


def _claimed(request: Request) -> str:
    """Who a refused request's token names, when it names anyone validly (a 405 or 422
    is decided before the token is read)."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return "anonymous"
    settings: ServiceSettings = request.app.state.settings
    try:
        return tokens.subject(header[7:], settings.secret_key)
    except tokens.BadToken:
        return "anonymous (bad token)"


def _justification_error(exc: RequestValidationError) -> bool:
    return any(
        len(e.get("loc", ())) >= 2
        and e["loc"][0] == "header"
        and str(e["loc"][1]).lower() == JUSTIFICATION.lower()
        for e in exc.errors()
    )


def _message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors():
        where = ".".join(str(x) for x in e.get("loc", ()))
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


async def _unauthenticated(request: Request) -> StarletteHTTPException | None:
    """The 401 of a refused request whose token verified but whose user was not read yet
    (a route reading it with its data, `context.Caller`) when that user is unknown or
    disabled: so such a user is refused as by `current`, before anything else."""
    caller = unread_caller(request)
    if caller is None:
        return None
    try:
        await run_in_threadpool(caller.ctx, frozenset(Role))  # any role: 401, not 403
    except StarletteHTTPException as exc:
        return exc
    return None


STORE_UNAVAILABLE = "the store is unavailable for a moment (reconnecting): try again"


def create_app(store: Store, settings: ServiceSettings) -> FastAPI:
    app = FastAPI(
        title="Crossline",
        version=crossline.__version__,
        description="The shared service: county lines, persons, phones, safeguarding and "
        "intelligence, each force seeing what it may; every access audited.",
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(SecurityHeaders)
    app.state.store = store
    app.state.settings = settings
    for router in (
        routes_admin.router,
        routes_lines.router,
        routes_people.router,
        routes_act.router,
        routes_act_people.router,
    ):
        app.include_router(router)

    @app.exception_handler(StarletteHTTPException)
    async def http_refusal(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        exc = await _unauthenticated(request) or exc
        await run_in_threadpool(_log_refusal, request, exc.status_code, str(exc.detail))
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def bad_input(request: Request, exc: RequestValidationError) -> JSONResponse:
        unauthenticated = await _unauthenticated(request)
        if unauthenticated is not None:
            return await http_refusal(request, unauthenticated)
        if _justification_error(exc):
            request.state.refusal = "no usable justification"
            await run_in_threadpool(_log_refusal, request, 400, JUSTIFICATION_HELP)
            return JSONResponse({"detail": JUSTIFICATION_HELP}, status_code=400)
        message = _message(exc)
        await run_in_threadpool(_log_refusal, request, 422, message)
        return JSONResponse({"detail": message}, status_code=422)

    @app.exception_handler(DBAPIError)
    async def store_gone(request: Request, exc: DBAPIError) -> JSONResponse:
        """A store connection lost mid-request (a database restart): the pool starts
        afresh, and the caller is told to try again rather than shown a fault."""
        if not exc.connection_invalidated:
            raise exc
        return JSONResponse(
            {"detail": STORE_UNAVAILABLE}, status_code=503, headers={"Retry-After": "1"}
        )

    return app


def app_from_env() -> FastAPI:
    """The app uvicorn starts (`crossline serve`): settings from the workspace and
    CROSSLINE_* variables, the store migrated once at start-up."""
    import os

    from crossline.api.settings import service_settings
    from crossline.store import open_store

    settings = service_settings()
    migrated = os.environ.get(MIGRATED_ENV) == "1"  # `serve` migrated before the workers
    return create_app(open_store(settings.database_url, migrate=not migrated), settings)


__all__: list[Any] = ["app_from_env", "create_app"]
