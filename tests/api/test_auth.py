"""Logging in and tokens: a wrong password, a forged, expired or malformed token and a
disabled user all get 401; repeated failures lock the account for a while."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import jwt

from crossline.api import tokens
from crossline.store.users import set_disabled
from tests.store import world as w

from .conftest import SECRET, Api


def get(api: Api, token: str) -> int:
    r = api.client.get("/api/v1/lines", headers={"Authorization": f"Bearer {token}"})
    return r.status_code


def test_token_is_a_short_lived_bearer(api: Api) -> None:
    r = api.client.post("/api/v1/token", data={"username": "ana-a", "password": w.PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 300
    assert get(api, body["access_token"]) == 200


def test_wrong_password_and_unknown_user_answer_alike(api: Api) -> None:
    wrong = api.client.post("/api/v1/token", data={"username": "coord", "password": "nope"})
    unknown = api.client.post("/api/v1/token", data={"username": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.headers["www-authenticate"] == "Bearer"


def test_no_forged_expired_or_malformed_token_gets_in(api: Api) -> None:
    now = datetime.now(UTC)
    forged = tokens.issue("coord", "another key that is long enough to sign with", 5)
    expired = tokens.issue("coord", SECRET, 5, now=now - timedelta(hours=1))
    claims = {"sub": "coord", "iss": "crossline", "iat": now, "exp": now + timedelta(minutes=5)}
    unsigned = jwt.encode(claims, None, algorithm="none")
    no_exp = jwt.encode({"sub": "coord", "iss": "crossline", "iat": now}, SECRET, algorithm="HS256")
    for bad in (forged, expired, unsigned, no_exp, "not-a-token", "", "a.b.c"):
        assert get(api, bad) == 401, bad
    assert api.client.get("/api/v1/lines").status_code == 401


def test_disabled_user_is_refused_at_once(fresh_api: Callable[[], Api]) -> None:
    api = fresh_api()
    token = api.login("ana-b")
    assert get(api, token) == 200
    set_disabled(api.store, "ana-b")
    assert get(api, token) == 401
    r = api.client.post("/api/v1/token", data={"username": "ana-b", "password": w.PASSWORD})
    assert r.status_code == 401


def test_repeated_failures_lock_the_account(fresh_api: Callable[[], Api]) -> None:
    api = fresh_api()
    for _ in range(api.settings.lockout.attempts):
        bad = api.client.post("/api/v1/token", data={"username": "ana-a", "password": "guess"})
        assert bad.status_code == 401
    # now even the right password is refused, with the same answer
    r = api.client.post("/api/v1/token", data={"username": "ana-a", "password": w.PASSWORD})
    assert r.status_code == 401 and r.json() == bad.json()
    # another account is untouched
    assert (
        api.client.post(
            "/api/v1/token", data={"username": "ana-b", "password": w.PASSWORD}
        ).status_code
        == 200
    )
