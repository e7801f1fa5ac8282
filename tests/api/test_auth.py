"""Logging in and tokens: a wrong password, a forged, expired or malformed token and a
disabled user all get 401; repeated failures lock the account for a while."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import jwt

from crossline.api import tokens
from crossline.store import audit
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


def test_disabled_user_is_refused_before_any_other_check(fresh_api: Callable[[], Api]) -> None:
    """The busiest routes read the user with their data, after FastAPI's own checks of
    the parameters: a disabled user must still get 401 first, logged as by `current`."""
    api = fresh_api()
    token = {"Authorization": f"Bearer {api.login('ana-b')}"}
    why = {**token, "X-Justification": "OP-TEST/1: checking the order of refusals"}
    assert api.client.get("/api/v1/phones/07700900123", headers=token).status_code == 400
    assert api.client.get("/api/v1/lines?limit=0", headers=token).status_code == 422
    set_disabled(api.store, "ana-b")
    for path, headers in (
        ("/api/v1/phones/07700900123", token),  # no justification
        ("/api/v1/phones/07700900123", why),
        ("/api/v1/lines?limit=0", token),  # malformed
        ("/api/v1/lines", token),
        ("/api/v1/lines/L1", token),
    ):
        r = api.client.get(path, headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", path
    entries, _ = audit.search(api.store, username="ana-b", limit=5)
    assert all(e["outcome"] == "refused" and e["detail"].startswith("401") for e in entries)
    assert all("user unknown or disabled" in e["detail"] for e in entries)
    assert all(e["justification"] == "" for e in entries)


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
