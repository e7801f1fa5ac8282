"""Publishing the hand-built world again as a later run, with the deal numbers' activity
it should carry, then the checks every publish runs (as runs/publish.py does)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crossline.act.checks import Checked, after_publish
from crossline.store import Store
from crossline.store.publish import RunInfo, publish
from tests.store import world


def activity(line_id: str, number: str, first: str, last: str) -> dict[str, Any]:
    return {
        "line_id": line_id,
        "number": number,
        "first_seen": datetime.fromisoformat(first),
        "last_seen": datetime.fromisoformat(last),
    }


def republish(
    store: Store,
    run_id: int,
    acts: list[dict[str, Any]],
    results: dict[str, list[dict[str, Any]]] | None = None,
    handsets: list[dict[str, Any]] | None = None,
) -> Checked:
    run = RunInfo(run_id, datetime(2026, 5, run_id), datetime(2026, 5, run_id), "test", "0" * 16)
    publish(
        store,
        run,
        results or world.results(),
        world.ALIASES,
        world.INTELLIGENCE,
        "tests",
        acts,
        handsets,
    )
    return after_publish(store, run_id)
