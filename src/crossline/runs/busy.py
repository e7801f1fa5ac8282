"""A workspace has one writer at a time. The ingest marks the workspace while it runs
(`ingest.lock`: its PID and start time), so a second writer can say who holds it and
since when, in one line, instead of the engine's lock error."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

EXIT_BUSY = 75  # EX_TEMPFAIL: try again later
LOCK_FILE = "ingest.lock"
_PID_RE = re.compile(r"\(PID (\d+)\)")


def is_busy(exc: BaseException) -> bool:
    """Whether an engine error says another process holds the store's lock."""
    return "Could not set lock on file" in str(exc) or "Conflicting lock" in str(exc)


def busy_message(exc: BaseException, workspace: Path) -> str:
    m = _PID_RE.search(str(exc))
    pid = int(m.group(1)) if m else None
    marker = workspace / LOCK_FILE
    try:
        info = json.loads(marker.read_text("utf-8"))
        since = datetime.fromisoformat(info["started"]).strftime("%H:%M")
        if pid is None or int(info["pid"]) == pid:
            return (
                f"workspace busy: an ingest has been running since {since} "
                f"(PID {info['pid']}); try again when it ends"
            )
    except (OSError, ValueError, KeyError, TypeError):
        pass
    who = f" (PID {pid})" if pid is not None else ""
    return f"workspace busy: another crossline command{who} is using it; try again when it ends"


@contextmanager
def ingest_marker(workspace: Path) -> Iterator[None]:
    """Mark the workspace as being loaded by this process, for as long as it is."""
    workspace.mkdir(parents=True, exist_ok=True)
    marker = workspace / LOCK_FILE
    marker.write_text(
        json.dumps({"pid": os.getpid(), "started": datetime.now().isoformat()}), "utf-8"
    )
    try:
        yield
    finally:
        marker.unlink(missing_ok=True)
