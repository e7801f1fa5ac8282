"""Schemathesis over the whole OpenAPI spec, as a national coordinator, a force analyst
and an admin, on both stores: any 5xx, or any response the spec does not describe,
fails the build. The spec is read from the app itself (it does not depend on the store);
each case is then sent to the app over the published test world, in a store of its own
(the cases record taskings, orders and outcomes, which other tests must not meet).

Acting together's changes (POST, tagged acting or referrals) apply rules no schema can
state: a DDTRO's applicant rank, a date after another, a first responder's organisation.
A schema-valid body can break them, and is answered 422 with the rule, so the check
that schema-valid data is accepted is left out for those operations only; every other
check (no 5xx, responses as the spec says) holds for them too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from crossline.api.app import create_app
from crossline.api.settings import ServiceSettings
from crossline.store import Store, open_store
from tests.store import world
from tests.store.backends import BACKENDS, database

from .conftest import SECRET, Api, make_api

USERS = ("coord", "ana-a", "admin")
SPEC = create_app(Store("sqlite://"), ServiceSettings("sqlite://", SECRET)).openapi()
schema = schemathesis.openapi.from_dict(SPEC)
RULED = ("acting", "referrals")


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    with database(request.param, tmp_path_factory.mktemp("fuzz")) as url:
        store = open_store(url)
        world.publish_world(store)
        world.add_users(store)
        try:
            yield make_api(store)
        finally:
            store.close()


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_spec(case: schemathesis.Case, fuzz_api: Api) -> None:
    op = case.operation.definition.raw
    ruled = case.method == "POST" and any(t in RULED for t in op.get("tags", []))
    excluded = [positive_data_acceptance] if ruled else []
    for who in USERS:  # the generated X-Justification is kept: it is under test too
        case.call_and_validate(
            app=fuzz_api.client.app, headers=fuzz_api.auth(who), excluded_checks=excluded
        )
