"""`crossline audit` (recent entries, filtered) and `crossline audit verify` (the hash
chain, entry by entry: exit 1 naming the first entry that was altered or removed)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from crossline.cli.operational import operational
from crossline.cli.results import fail
from crossline.store import audit

audit_app = typer.Typer(help="The audit log: who did what to which record, when, and why.")
console = Console()


@audit_app.callback(invoke_without_command=True)
def show(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option(help="Only this user's entries.")] = None,
    entity: Annotated[
        str | None, typer.Option(help="Only entries touching this id (a line, person ...).")
    ] = None,
    since: Annotated[
        datetime | None, typer.Option(help="Only entries at or after this time (UTC).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
) -> None:
    """Show the newest audit entries (or run `crossline audit verify`)."""
    if ctx.invoked_subcommand is not None:
        return
    with operational(ctx) as store:
        rows, total = audit.search(store, username=user, entity_id=entity, since=since, limit=limit)
    table = Table(title=f"{len(rows)} of {total} audit entries")
    for col in ("seq", "at", "operation", "outcome", "user", "force", "client", "entity", "why"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["seq"]),
            r["at"].isoformat(timespec="seconds"),
            r["operation"],
            r["outcome"],
            r["username"],
            r["force"],
            r["client"],
            f"{r['entity_kind']} {r['entity_id']}".strip(),
            r["justification"],
        )
    console.print(table)


@audit_app.command()
def verify(ctx: typer.Context) -> None:
    """Check every entry's hash and its link to the one before; exit 1 at the first break."""
    with operational(ctx) as store:
        checked, broken = audit.verify(store)
    if broken is not None:
        raise fail(f"audit log broken at entry {broken.seq}: {broken.reason}", 1)
    console.print(f"Audit log intact: {checked} entries, each linked to the one before.")
