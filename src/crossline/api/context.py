"""What every route knows about its request: who asks (from the bearer token, checked
against the store), from where, why (X-Justification), and what they may see (their
Scope). Refusals raise HTTPException after noting what was refused on `request.state`,
so the one exception handler in app.py logs every refused attempt the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from crossline.api import tokens
from crossline.api.settings import ServiceSettings
from crossline.store import Store, audit
from crossline.store.scope import Scope
from crossline.store.users import Role, User, get_user, read_user

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/token", auto_error=False)

JUSTIFICATION = "X-Justification"
# a case or operation reference, a colon and a space, then the reason (printable ASCII)
JUSTIFICATION_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9/._-]{2,39}: [!-~][ -~]{3,398}[!-~]$"
_JUSTIFICATION_RE = re.compile(JUSTIFICATION_PATTERN)
JUSTIFICATION_HELP = (
    "X-Justification header required: a case or operation reference and the reason, "
    "as 'REFERENCE: reason' (e.g. 'OP-KESTREL/12: reviewing the line before tasking')"
)
NOT_FOUND = "not found"
UNAUTHORISED = "not authenticated: log in at /api/v1/token and send the bearer token"

# what each role may read; national users (force `national`) see every force's data
READERS = frozenset(
    {Role.ANALYST, Role.INVESTIGATOR, Role.SAFEGUARDING_LEAD, Role.TASKING_COORDINATOR}
)
SAFEGUARDING_READERS = frozenset({Role.SAFEGUARDING_LEAD, Role.TASKING_COORDINATOR})
EXPORTERS = frozenset({Role.ANALYST, Role.INVESTIGATOR, Role.TASKING_COORDINATOR})
AUDITORS = frozenset({Role.ADMIN})


def service(request: Request) -> tuple[Store, ServiceSettings]:
    return request.app.state.store, request.app.state.settings


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@dataclass(frozen=True)
class Ctx:
    request: Request
    store: Store
    user: User
    client: str

    @property
    def scope(self) -> Scope:
        return Scope(None if self.user.national else self.user.force)

    @property
    def justification(self) -> str:
        return str(getattr(self.request.state, "justification", ""))

    def touching(self, kind: str, entity_id: str) -> None:
        """Say what the request is about, for the audit entry of its outcome."""
        self.request.state.entity = (kind, entity_id)

    def log(self, operation: str, kind: str, entity_id: str, detail: str = "") -> None:
        audit.append(
            self.store,
            audit.Entry(
                operation=operation,
                username=self.user.username,
                force=self.user.force,
                client=self.client,
                entity_kind=kind,
                entity_id=entity_id,
                justification=self.justification,
                detail=detail,
            ),
        )

    def not_found(self, kind: str, entity_id: str) -> HTTPException:
        """404 for out of scope and for absent alike; logged as a refused attempt."""
        self.touching(kind, entity_id)
        return HTTPException(status_code=404, detail=NOT_FOUND)


def _refuse_401(request: Request, why: str) -> HTTPException:
    request.state.refusal = why
    return HTTPException(
        status_code=401, detail=UNAUTHORISED, headers={"WWW-Authenticate": "Bearer"}
    )


@dataclass(frozen=True)
class Caller:
    """A request whose token verified, its user not read yet. The busiest routes read the
    user in the same worker-thread call as their data (`ctx`): one hand-off between the
    event loop and a thread, not two (each costs a wake-up either way, ~0.2-0.5 ms of CPU
    on a busy machine). A refusal raised before that (a malformed parameter or
    justification) first reads the user in app.py, so a disabled user still gets the 401
    `current` gives, and before anything else."""

    request: Request
    store: Store
    username: str
    client: str

    def ctx(self, roles: frozenset[Role], conn: Connection | None = None) -> Ctx:
        """The user read and checked as `current` does (401), then the role (403); call in
        a worker thread. `conn`: read the user on it (the connection the route reads its
        data on next: one checkout, and on PostgreSQL one liveness ping, not two)."""
        state = self.request.state
        state.caller = None  # read once, whatever the outcome
        user = (
            get_user(self.store, self.username) if conn is None else read_user(conn, self.username)
        )
        if user is None or user.disabled:
            state.username = self.username
            # as `current`'s: refused before any justification was read
            state.justification = ""
            raise _refuse_401(self.request, "user unknown or disabled")
        state.user = user
        ctx = Ctx(self.request, self.store, user, self.client)
        role_in(ctx, roles)
        return ctx


async def caller(request: Request, token: Annotated[str | None, Depends(oauth2)]) -> Caller:
    """The token checked (401 when missing, forged or expired), on the event loop."""
    store, settings = service(request)
    if not token:
        raise _refuse_401(request, "no token")
    try:
        username = tokens.subject(token, settings.secret_key)
    except tokens.BadToken as exc:
        raise _refuse_401(request, f"bad token ({exc})") from None
    found = Caller(request, store, username, client_of(request))
    request.state.caller = found
    return found


async def current(request: Request, token: Annotated[str | None, Depends(oauth2)]) -> Ctx:
    found = await caller(request, token)
    request.state.caller = None
    user = await run_in_threadpool(get_user, found.store, found.username)
    if user is None or user.disabled:
        request.state.username = found.username
        raise _refuse_401(request, "user unknown or disabled")
    request.state.user = user
    return Ctx(request, found.store, user, found.client)


def unread_caller(request: Request) -> Caller | None:
    """The request's Caller when its user has not been read yet (a refusal came first)."""
    found: Caller | None = getattr(request.state, "caller", None)
    return found


Current = Annotated[Ctx, Depends(current)]
Calling = Annotated[Caller, Depends(caller)]


def role_in(ctx: Ctx, roles: frozenset[Role]) -> None:
    if ctx.user.role not in roles:
        ctx.request.state.refusal = f"role {ctx.user.role} may not"
        raise HTTPException(status_code=403, detail=f"the {ctx.user.role} role may not do this")


async def justified(
    request: Request,
    x_justification: Annotated[
        str,
        Header(
            alias=JUSTIFICATION,
            description=JUSTIFICATION_HELP,
            pattern=JUSTIFICATION_PATTERN,
            json_schema_extra={"example": "OP-KESTREL/12: reviewing the line before tasking"},
        ),
    ],
) -> str:
    """The request's justification. Declared required with its pattern, so the spec says
    what is needed; app.py answers a missing or malformed one with 400 and this text.
    Async though it awaits nothing: FastAPI runs a plain function on the thread pool,
    a hand-off (and its CPU) for one regex match."""
    if not _JUSTIFICATION_RE.fullmatch(x_justification):
        request.state.refusal = "no usable justification"
        raise HTTPException(status_code=400, detail=JUSTIFICATION_HELP)
    request.state.justification = x_justification
    return x_justification


Justified = Annotated[str, Depends(justified)]
