"""The command-line face of Crossline (Typer + Rich). Commands translate arguments into
library calls and render results; no analysis logic lives here."""

from crossline.cli import disrupt as _disrupt  # noqa: F401  (registers the command)
from crossline.cli.app import app

__all__ = ["app"]
