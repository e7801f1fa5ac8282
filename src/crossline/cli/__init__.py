"""The command-line face of Crossline (Typer + Rich). Commands translate arguments into
library calls and render results; no analysis logic lives here."""

from crossline.cli import disrupt as _disrupt  # noqa: F401  (registers the command)
from crossline.cli.app import app
from crossline.cli.guard import run


def main() -> None:
    """The `crossline` command: the app behind the guard that keeps tracebacks off the
    terminal."""
    run(app)


__all__ = ["app", "main"]
