"""The service's settings: where its store is, and the key that signs its tokens.

The key comes from CROSSLINE_SECRET_KEY, else from the workspace's `secret_key` file,
which is generated (mode 600) the first time a workspace serves: never from the
repository, and never the same on two machines by accident.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from crossline.settings import ConfigError, Settings
from crossline.store import sqlite_url
from crossline.store.users import Lockout

SECRET_FILE = "secret_key"
SECRET_ENV = "CROSSLINE_SECRET_KEY"
MIN_SECRET = 32


@dataclass(frozen=True)
class ServiceSettings:
    database_url: str
    secret_key: str = field(repr=False)
    token_minutes: int = 15
    lockout: Lockout = field(default_factory=Lockout)


def workspace_secret(workspace: Path) -> str:
    """The workspace's signing key, created with mode 600 when absent."""
    path = workspace / SECRET_FILE
    if not path.exists():
        workspace.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text("utf-8").strip()


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise ConfigError(f"{name} must be at least 1")
    return value


def service_settings(workspace: Path | None = None) -> ServiceSettings:
    st = Settings.for_workspace(workspace)
    secret = os.environ.get(SECRET_ENV) or workspace_secret(st.workspace)
    if len(secret) < MIN_SECRET:
        raise ConfigError(f"{SECRET_ENV} must be at least {MIN_SECRET} characters")
    return ServiceSettings(
        database_url=st.database_url or sqlite_url(st.workspace),
        secret_key=secret,
        token_minutes=_int_env("CROSSLINE_TOKEN_MINUTES", 15),
        lockout=Lockout(
            attempts=_int_env("CROSSLINE_LOCKOUT_ATTEMPTS", 5),
            minutes=_int_env("CROSSLINE_LOCKOUT_MINUTES", 15),
        ),
    )
