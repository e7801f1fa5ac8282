"""Users of the service: a force (or `national`), one role, an Argon2 password hash, and
the lockout state that makes guessing passwords slow. Passwords never leave this module
in any form but their hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from crossline.store.db import Store
from crossline.store.tables import users

NATIONAL = "national"
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 12
_hasher = PasswordHasher()
# verified against when the user does not exist, so a wrong name costs as long as a
# wrong password and timing does not tell which names exist
_DUMMY = _hasher.hash("not a password of anyone's")


class Role(StrEnum):
    ANALYST = "analyst"
    INVESTIGATOR = "investigator"
    SAFEGUARDING_LEAD = "safeguarding_lead"
    TASKING_COORDINATOR = "tasking_coordinator"
    ADMIN = "admin"


NATIONAL_ROLES = frozenset({Role.TASKING_COORDINATOR})


class UserError(ValueError):
    """A user that cannot be created or changed as asked: said in one line."""


@dataclass(frozen=True)
class User:
    username: str
    force: str
    role: Role
    disabled: bool

    @property
    def national(self) -> bool:
        """Sees every force's data."""
        return self.force == NATIONAL


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def add_user(store: Store, username: str, force: str, role: str, password: str) -> User:
    if not USERNAME_RE.fullmatch(username):
        raise UserError("username: 2-64 of a-z 0-9 . _ -, starting with a letter or digit")
    try:
        r = Role(role)
    except ValueError:
        raise UserError(f"role must be one of {', '.join(Role)}") from None
    if r in NATIONAL_ROLES and force != NATIONAL:
        raise UserError(f"a {r} is a national role: use --force {NATIONAL}")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must be at least {MIN_PASSWORD} characters")
    try:
        with store.write() as conn:
            conn.execute(
                insert(users).values(
                    username=username,
                    force=force,
                    role=r.value,
                    password_hash=hash_password(password),
                    disabled=False,
                    failed_logins=0,
                    created_at=_now(),
                )
            )
    except IntegrityError:
        raise UserError(f"user {username} already exists") from None
    return User(username, force, r, False)


def _user(row: object) -> User:
    return User(
        str(row.username),  # type: ignore[attr-defined]
        str(row.force),  # type: ignore[attr-defined]
        Role(row.role),  # type: ignore[attr-defined]
        bool(row.disabled),  # type: ignore[attr-defined]
    )


# every API request reads its user (a disabled user is refused at once): built once
_GET_USER = select(users.c.username, users.c.force, users.c.role, users.c.disabled).where(
    users.c.username == bindparam("username")
)


def get_user(store: Store, username: str) -> User | None:
    with store.read() as conn:
        return read_user(conn, username)


def read_user(conn: Connection, username: str) -> User | None:
    """`get_user` on a connection the caller holds (and reads its data on next)."""
    row = conn.execute(_GET_USER, {"username": username}).first()
    return None if row is None else _user(row)


def list_users(store: Store) -> list[User]:
    with store.read() as conn:
        return [_user(r) for r in conn.execute(select(users).order_by(users.c.username))]


def set_disabled(store: Store, username: str, disabled: bool = True) -> User:
    with store.write() as conn:
        done = conn.execute(
            update(users).where(users.c.username == username).values(disabled=disabled)
        )
    if done.rowcount == 0:
        raise UserError(f"no user {username}")
    user = get_user(store, username)
    assert user is not None
    return user


@dataclass(frozen=True)
class Lockout:
    attempts: int = 5  # consecutive failures that lock an account
    minutes: int = 15  # for how long


def authenticate(
    store: Store, username: str, password: str, lockout: Lockout
) -> tuple[User | None, str]:
    """(the user, "ok") when name and password match an enabled, unlocked account, else
    (None, why): the why is for the audit log only, never for the client."""
    now = _now()
    if not USERNAME_RE.fullmatch(username):
        _verify(_DUMMY, password)
        return None, "malformed username"
    with store.write() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
        if row is None:
            _verify(_DUMMY, password)
            return None, "unknown user"
        if row.locked_until is not None and row.locked_until > now:
            _verify(_DUMMY, password)
            return None, "account locked"
        if not _verify(str(row.password_hash), password):
            failed = int(row.failed_logins) + 1
            locked = (
                now + timedelta(minutes=lockout.minutes) if failed >= lockout.attempts else None
            )
            conn.execute(
                update(users)
                .where(users.c.username == username)
                .values(failed_logins=0 if locked else failed, locked_until=locked)
            )
            return None, "account locked after repeated failures" if locked else "wrong password"
        if row.disabled:
            return None, "account disabled"
        if row.failed_logins or row.locked_until is not None:
            conn.execute(
                update(users)
                .where(users.c.username == username)
                .values(failed_logins=0, locked_until=None)
            )
        return _user(row), "ok"


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False
