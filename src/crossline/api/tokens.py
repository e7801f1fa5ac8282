"""Short-lived signed bearer tokens (HS256 JWTs). A token names its user only: force and
role are read from the store on every request, so disabling a user or changing a role
takes effect at once, not when the token expires.

A token is verified once: the signature, issuer and required claims of a given token
with a given key cannot change, so after the first check only its expiry is checked
again (PyJWT's own verification, in pure Python, cost more CPU than the rest of a
request's authentication). Only tokens that verified are remembered."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt

ALGORITHM = "HS256"  # fixed here, never read from the token (RFC 8725 s.2.1)
ISSUER = "crossline"


class BadToken(Exception):
    pass


def issue(username: str, key: str, minutes: int, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    claims = {
        "sub": username,
        "iss": ISSUER,
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def subject(token: str, key: str) -> str:
    """The username a valid token names; BadToken when forged, expired or malformed."""
    sub, expires = _verified(token, key)
    if time.time() >= expires:  # as PyJWT: expired once `exp` is reached
        raise BadToken("ExpiredSignatureError")
    return sub


@lru_cache(maxsize=4096)  # tokens remembered, least recently used first out
def _verified(token: str, key: str) -> tuple[str, float]:
    """(subject, expiry as a POSIX time) of a token that verifies with `key` now;
    BadToken (not remembered) otherwise."""
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.InvalidTokenError as exc:
        raise BadToken(type(exc).__name__) from exc
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise BadToken("no subject")
    return sub, float(claims["exp"])
