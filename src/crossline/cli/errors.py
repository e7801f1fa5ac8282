"""Known failures as one line each, so that no traceback reaches a user.

A second writer on a workspace, a dataset path that is a file, a mapping or settings file
that does not parse: each is something the user can fix, and a traceback hides the fix.
The ingest command marks the workspace while it runs (`ingest.lock`: its PID and start
time), so a second writer can say who holds it and since when.
"""

from __future__ import annotations

from pathlib import Path

from crossline.runs.busy import (  # noqa: F401  (the CLI's names for them)
    EXIT_BUSY,
    LOCK_FILE,
    busy_message,
    ingest_marker,
    is_busy,
)


def dataset_problem(path: Path) -> str | None:
    """Why `path` cannot be read as a dataset folder, or None when it can."""
    if path.is_file():
        return f"{path} is a file: give the folder that holds it (a dataset is a folder)"
    if not path.exists():
        return f"No such dataset folder: {path}"
    if not path.is_dir():
        return f"{path} is not a folder"
    return None
