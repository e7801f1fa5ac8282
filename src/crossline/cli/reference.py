"""docs/cli.md is generated from the commands' own help, so the reference never drifts:
`python -m crossline.cli.reference > docs/cli.md` (a test checks it is current)."""

from __future__ import annotations

from typer.testing import CliRunner

from crossline.cli.app import app

COMMANDS = (
    "simulate",
    "ingest",
    "status",
    "analyse",
    "export",
    "evaluate",
    "demo",
    "serve",
    "users add",
    "users list",
    "users disable",
    "audit",
    "audit verify",
)
ENV = {"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}


def _help(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env=ENV, color=False, prog_name="crossline")
    return "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())


def reference() -> str:
    parts = [
        "# Command reference",
        "",
        "Generated from the commands' own `--help` "
        "(`python -m crossline.cli.reference > docs/cli.md`).",
        "",
        "```",
        _help(),
        "```",
    ]
    for name in COMMANDS:
        parts += ["", f"## `crossline {name}`", "", "```", _help(*name.split()), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
