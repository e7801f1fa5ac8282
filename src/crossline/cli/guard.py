"""The last line of defence: no traceback reaches a user.

Known failures already answer in one line (errors.py). Anything else is a fault of
Crossline's, not of the user's input: the user gets one line that says so and where the
details are, and the traceback goes to a file a developer can read, never the terminal.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

EXIT_INTERNAL = 70  # EX_SOFTWARE (sysexits.h): an internal error


def error_log() -> Path:
    """Where internal errors are written: $CROSSLINE_ERROR_LOG, else the temp folder."""
    return Path(
        os.environ.get("CROSSLINE_ERROR_LOG")
        or Path(tempfile.gettempdir()) / "crossline-errors.log"
    )


def run(app: object) -> None:
    """Run the Typer app; an unexpected exception becomes one line and exit code 70."""
    try:
        app()  # type: ignore[operator]
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # every other fault: one line, details to the log
        path = error_log()
        try:
            with path.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {datetime.now(UTC).isoformat()} crossline {sys.argv[1:]}\n")
                fh.write("".join(traceback.format_exception(exc)))
            where = f"details in {path}"
        except OSError:
            where = "details could not be written"
        print(
            f"crossline: internal error ({exc.__class__.__name__}: {exc}); {where}",
            file=sys.stderr,
        )
        sys.exit(EXIT_INTERNAL)
