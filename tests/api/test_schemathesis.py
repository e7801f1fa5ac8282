"""Schemathesis over the whole OpenAPI spec, as a national coordinator, a force analyst
and an admin, on both stores: any 5xx, or any response the spec does not describe,
fails the build. The spec is read from the app itself (it does not depend on the store);
each case is then sent to the app over the published test world."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from crossline.api.app import create_app
from crossline.api.settings import ServiceSettings
from crossline.store import Store

from .conftest import SECRET, Api

USERS = ("coord", "ana-a", "admin")
SPEC = create_app(Store("sqlite://"), ServiceSettings("sqlite://", SECRET)).openapi()
schema = schemathesis.openapi.from_dict(SPEC)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_spec(case: schemathesis.Case, api: Api) -> None:
    for who in USERS:  # the generated X-Justification is kept: it is under test too
        case.call_and_validate(app=api.client.app, headers=api.auth(who))
