"""`crossline performance` (the acting-together figures, management information) and
`crossline orgs add|list` (organisations other than police forces: the NCA, local
authorities, others, whose kind decides who is an NRM first responder).

The command line is the operator's, who reads the store whole (as `crossline audit`
does); each use is in the audit log under the operator's name."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from crossline.act.common import Actor
from crossline.act.organisations import OrgError, OrgKind, add_organisation, list_organisations
from crossline.act.performance import LEVELS, NOTICE, Period, figures
from crossline.cli.operational import log_admin, operational
from crossline.cli.results import fail
from crossline.runs.publish import actor
from crossline.store import audit
from crossline.store.users import NATIONAL, Role, User

orgs_app = typer.Typer(
    no_args_is_help=True, help="Organisations other than police forces (NCA, local authorities)."
)
console = Console()


def performance(
    ctx: typer.Context,
    period: Annotated[
        Period, typer.Option(help="quarter, or financial_year (April to March).")
    ] = Period.QUARTER,
    force: Annotated[str | None, typer.Option(help="Only this force's rows.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Every figure, as JSON.")] = False,
) -> None:
    """Closures by type, arrests, charges, safeguarding and NRM referrals, disruptions by
    level and seizures, per force and period. Management information."""
    operator = Actor(User(actor()[:64], NATIONAL, Role.TASKING_COORDINATOR, False), "cli")
    with operational(ctx) as store:
        done = figures(store, operator, period, force)
        log_admin(
            store,
            audit.Operation.CONSULTATION,
            "performance",
            period.value,
            f"{done['total']} rows",
        )
    if as_json:
        print(json.dumps(done, indent=2, default=str))
        return
    table = Table(title=f"Performance by {period.value} — {NOTICE}", title_justify="left")
    for col in (
        "force",
        "period",
        "closures T1/T2",
        "arrests",
        "charges",
        "referrals sg/NRM/DtN",
        "disruptions " + "/".join(LEVELS),
        "seizures",
        "drugs g",
        "cash £",
        "weapons",
    ):
        table.add_column(col, overflow="fold")
    for r in done["items"]:
        charges = r["charges_drugs_supply"] + r["charges_modern_slavery"] + r["charges_other"]
        table.add_row(
            r["force"],
            r["period"],
            f"{r['closures_type1']}/{r['closures_type2']}",
            str(r["arrests"]),
            str(charges),
            f"{r['safeguarding_referrals']}/{r['nrm_referrals']}/{r['duty_to_notify']}",
            "/".join(str(r[f"disruptions_{lv}"]) for lv in LEVELS),
            str(r["seizures"]),
            f"{r['drugs_grams']:g}",
            f"{r['cash_gbp']:g}",
            str(r["weapons"]),
        )
    console.print(table)


@orgs_app.command("add")
def add(
    ctx: typer.Context,
    org_id: Annotated[str, typer.Argument(help="2-64 of a-z 0-9 . _ -")],
    name: Annotated[str, typer.Option(help="The organisation's name.")],
    kind: Annotated[
        str, typer.Option(help="nca, local_authority or other (police forces are forces.csv).")
    ],
) -> None:
    """Register an organisation whose users may then be added (`users add --force ID`)."""
    with operational(ctx) as store:
        try:
            org = add_organisation(store, org_id, name, kind)
        except OrgError as exc:
            raise fail(str(exc), 2) from exc
        log_admin(store, audit.Operation.ALTERATION, "organisation", org_id, f"added: {kind}")
    console.print(f"Added {org.org_id} ({org.kind.value}): {org.name}")


@orgs_app.command("list")
def list_(ctx: typer.Context) -> None:
    """Every registered organisation, with its kind."""
    with operational(ctx) as store:
        rows = list_organisations(store)
    table = Table(title=f"{len(rows)} organisations")
    for col in ("org_id", "kind", "first responder", "name"):
        table.add_column(col)
    for o in rows:
        first = o.kind in (OrgKind.NCA, OrgKind.LOCAL_AUTHORITY)
        table.add_row(o.org_id, o.kind.value, "yes" if first else "no", o.name)
    console.print(table)
