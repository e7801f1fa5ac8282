"""The command-line face of Crossline (Typer + Rich). Commands translate arguments into
library calls and render results; no analysis logic lives here."""

from crossline.cli.app import app

__all__ = ["app"]
