"""`crossline orgs add|list` and `crossline performance` (management information), and
`users add` for a registered organisation's user, on the workspace's SQLite store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from crossline.act import outcomes
from crossline.act.common import Actor
from crossline.store import audit, open_store, sqlite_url
from crossline.store.users import get_user
from tests.api.test_cli_service import PW, cli
from tests.store import world


def test_orgs_users_and_performance_at_the_command_line(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    code, out = cli(
        ws,
        "orgs",
        "add",
        "cheshire-east-council",
        "--name",
        "Cheshire East Council",
        "--kind",
        "local_authority",
    )
    assert code == 0, out
    assert cli(ws, "orgs", "add", "cheshire", "--name", "x", "--kind", "other")[0] == 2
    assert "local_authority" in cli(ws, "orgs", "list")[1]
    code, out = cli(
        ws,
        "users",
        "add",
        "la",
        "--force",
        "cheshire-east-council",
        "--role",
        "safeguarding_lead",
        "--password-stdin",
        stdin=PW,
    )
    assert code == 0, out

    store = open_store(sqlite_url(ws))
    try:
        world.publish_world(store)
        world.add_users(store)
        coord = Actor(get_user(store, "coord"))  # type: ignore[arg-type]
        outcomes.record(
            store,
            coord,
            {"line_id": world.L1, "kind": "arrest", "occurred_on": date(2026, 4, 2), "count": 3},
        )
    finally:
        store.close()
    code, out = cli(ws, "performance", "--period", "financial_year")
    assert code == 0, out
    assert "Management information" in out and "2026-27" in out and "merseyside" in out
    code, out = cli(ws, "performance", "--json")
    doc = json.loads(out)
    assert doc["management_information"] is True
    assert [(r["force"], r["period"], r["arrests"]) for r in doc["items"]] == [
        ("merseyside", "2026-27 Q1", 3)
    ]
    store = open_store(sqlite_url(ws))
    try:
        kinds = [e["entity_kind"] for e in audit.all_entries(store)]
        assert kinds.count("performance") == 2 and "organisation" in kinds
        assert audit.verify(store)[1] is None
    finally:
        store.close()
