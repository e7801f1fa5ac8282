"""`crossline users add|list|disable`: the service's accounts. A password is read from
standard input only (`--password-stdin`), never from the command line, where it would
sit in the shell's history and the process list."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from crossline.cli.operational import log_admin, operational
from crossline.cli.results import fail
from crossline.store import audit
from crossline.store.users import NATIONAL, Role, UserError, add_user, list_users, set_disabled

users_app = typer.Typer(no_args_is_help=True, help="Accounts of the shared service.")
console = Console()


@users_app.command("add")
def add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="2-64 of a-z 0-9 . _ -")],
    force: Annotated[
        str,
        typer.Option(
            help=f"A force id (forces.csv), {NATIONAL}, or an organisation of `orgs add`."
        ),
    ],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(Role)}.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a user of a force with one role; the password is read from standard input."""
    from crossline.act.organisations import known

    if not password_stdin:
        raise fail("give the password on standard input with --password-stdin", 2)
    password = sys.stdin.readline().rstrip("\r\n")
    with operational(ctx) as store:
        if not known(store, force):
            raise fail(
                f"unknown force {force!r}: use a force id of forces.csv, {NATIONAL}, "
                "or an organisation registered with `crossline orgs add`",
                2,
            )
        try:
            user = add_user(store, username, force, role, password)
        except UserError as exc:
            raise fail(str(exc), 2) from exc
        log_admin(store, audit.Operation.ALTERATION, "user", username, f"added: {force} {role}")
    console.print(f"Added {user.username} ({user.role}, {user.force})")


@users_app.command("list")
def list_(ctx: typer.Context) -> None:
    """Every user, with force, role and whether disabled."""
    with operational(ctx) as store:
        rows = list_users(store)
    table = Table(title=f"{len(rows)} users")
    for col in ("username", "force", "role", "status"):
        table.add_column(col)
    for u in rows:
        table.add_row(u.username, u.force, u.role.value, "disabled" if u.disabled else "active")
    console.print(table)


@users_app.command("disable")
def disable(
    ctx: typer.Context, username: Annotated[str, typer.Argument(help="The user to disable.")]
) -> None:
    """Disable a user: their tokens stop working at once."""
    with operational(ctx) as store:
        try:
            set_disabled(store, username)
        except UserError as exc:
            raise fail(str(exc), 1) from exc
        log_admin(store, audit.Operation.ALTERATION, "user", username, "disabled")
    console.print(f"Disabled {username}")
