"""Where each line sells and where it is run from, for the rules that ask, when no cell
position says so.

The register takes a line's importer from the cells serving its customers, and leaves it
empty when cells.csv is withheld (cell-site data is acquired separately and often missing).
The customers still say where the line sells: they are local users, and a provider's
subscriber records give many of their numbers a registered address. Which force area an
address lies in is read from the forces' own nominal records, as the register does for a
controller's registration (lines.registration). The area is claimed only when a clear
majority of at least `importer_min_customers` registered customers lie in one force area;
the evidence says it came from registrations, which may be false. The exporter, likewise,
is the force holding a clear majority of the controller's holders' nominal records (as
lines.attribution.exporter_from_holders reads it for the register).

And without positions the cell ids still say which cells a line sells at: those serving
its customers when they contact its deal phones (`selling_cells`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from crossline.analyse.contacts import partner_cells
from crossline.analyse.lines.attribution import modal
from crossline.analyse.lines.registration import record_areas, registered_area, registrations
from crossline.analyse.safeguard.people import Context
from crossline.model import schema as s
from crossline.model.evidence import Factor


@dataclass(frozen=True)
class Sells:
    """Where a line sells, and on what evidence (None: the register's own, from cells)."""

    force: str
    factor: Factor | None = None


def _once(ctx: Context, key: str, build: Callable[[Context], dict[str, Sells]]) -> dict[str, Sells]:
    """What several rules read, built for the first of them and kept in the run's memo."""
    found = ctx.memo.get(key)
    if not isinstance(found, dict):
        found = ctx.memo[key] = build(ctx)
    return found


def importers(ctx: Context) -> dict[str, Sells]:
    """line -> where it sells, for every line the data places; computed once per run."""
    return _once(ctx, "importers", _importers)


def _importers(ctx: Context) -> dict[str, Sells]:
    out = {ln.line_id: Sells(ln.importer_force) for ln in ctx.lines if ln.importer_force}
    todo = [ln for ln in ctx.lines if not ln.importer_force and ln.customers]
    engine = ctx.engine
    if not todo or not all(engine.has_table(x.name) for x in (s.SUBSCRIBERS, s.NOMINALS)):
        return out
    regs = registrations(engine, sorted({c for ln in todo for c in ln.customers}))
    if not regs:
        return out
    areas = record_areas(engine)
    force_of = {n: place[0] for n, reg in regs.items() if (place := registered_area(reg, areas))}
    for line in todo:
        counts = Counter(force_of[c] for c in line.customers if c in force_of)
        area = modal(counts)
        n = counts[area.force] if area.force else 0
        if n < ctx.cfg.importer_min_customers or area.share <= 0.5:
            continue
        text = (
            f"no cell locates the customers of {line.line_id}; {n} of the "
            f"{sum(counts.values())} customers with a registered address live in "
            f"{area.force}: it sells there (a registration may be false)"
        )
        factor = Factor(
            "importer_from_customer_registrations",
            round(area.share, 4),
            text,
            threshold=ctx.cfg.importer_min_customers,
            subject=line.line_id,
        )
        out[line.line_id] = Sells(area.force, factor)
    return out


def exporters(ctx: Context) -> dict[str, Sells]:
    """line -> where it is run from: the register's (from cells), else the force holding a
    clear majority of the nominal records of the persons the controller number is
    linked to; computed once per run."""
    return _once(ctx, "exporters", _exporters)


def _exporters(ctx: Context) -> dict[str, Sells]:
    out = {ln.line_id: Sells(ln.exporter_force) for ln in ctx.lines if ln.exporter_force}
    for line in ctx.lines:
        if line.exporter_force or not line.controller:
            continue
        holders = ctx.persons_of_phone.get(line.controller, set())
        counts = Counter(
            f for pid in holders if pid in ctx.people for f, _ in ctx.people[pid].records
        )
        area = modal(counts)
        if not area.force or area.share <= 0.5:
            continue
        text = (
            f"no cell locates the controller of {line.line_id}; {area.force} holds "
            f"{counts[area.force]} of the {sum(counts.values())} nominal record(s) of its "
            "holder(s): run from there"
        )
        factor = Factor(
            "exporter_from_holder_records", round(area.share, 4), text, subject=line.line_id
        )
        out[line.line_id] = Sells(area.force, factor)
    return out


def selling_cells(ctx: Context) -> dict[str, set[str]]:
    """line -> the cells serving its customers at least `dwell_min` times in contact with
    its deal phones (a customer seen once at a cell passed through it); computed once."""
    found = ctx.memo.get("selling_cells")
    if not isinstance(found, dict):
        found = ctx.memo["selling_cells"] = _selling_cells(ctx)
    return found


def _selling_cells(ctx: Context) -> dict[str, set[str]]:
    deal_line = {d.number: ln.line_id for ln in ctx.lines for d in ln.deals}
    customers = sorted({c for ln in ctx.lines for c in ln.customers})
    if not deal_line or not customers:
        return {}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in partner_cells(ctx.engine, sorted(deal_line), customers).to_pylist():
        counts[deal_line[r["num"]]][r["cell"]] += int(r["n"])
    least = ctx.cfg.dwell_min
    return {lid: {c for c, n in cells.items() if n >= least} for lid, cells in counts.items()}
