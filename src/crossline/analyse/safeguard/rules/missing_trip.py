"""A person reported missing from a line's exporter area whose episode is one of the
line's runner trips: a runner number no record attributes to anyone arrives in the
importer area when the child goes missing and leaves it when the child is found, each
within `trip_match` of the sightings that bound the arrival and the departure (a phone used
now and then is seen a day or more after it arrives, or before it leaves). Both ends must
agree (an open episode gives only one). This is how an analyst ties a child who went
missing without a phone on record to an unidentified runner number; it lists the child for
a lead to check, it does not give them the number. A person whose own phone is already one
of a line's runners has their trips on that number: another line's unidentified number
travelling on the same days (children from one city go missing together) is not theirs.
Nor is a trip to an area their own phone was never served in while they were missing
(on any episode), when it was served elsewhere: the phone in their pocket says where they
go.

Where no cell has a position (cells.csv withheld), the importer area is the cells serving
the line's customers (areas.selling_cells), which the call records name by id, and the
areas come from the customers' registrations and the holders' records (areas.importers,
areas.exporters), which the entry's evidence then gives."""

from __future__ import annotations

from collections import defaultdict

from crossline.analyse.contacts import own_cells
from crossline.analyse.safeguard.areas import exporters, importers, selling_cells
from crossline.analyse.safeguard.findings import Finding
from crossline.analyse.safeguard.people import Context
from crossline.analyse.safeguard.rules.episodes import cells_while_missing
from crossline.analyse.safeguard.rules.trips import trips
from crossline.model.evidence import Factor
from crossline.model.vocab import SafeguardReason

NAME = "missing, a runner trip"


def rule(ctx: Context) -> list[Finding]:
    known = {n for numbers in ctx.phones.values() for n in numbers}
    runner_numbers = {n for ln in ctx.lines for n in ln.runners}
    sells, runs_from, selling = importers(ctx), exporters(ctx), selling_cells(ctx)
    in_force: dict[str, set[str]] = defaultdict(set)
    for cell, force_area in ctx.force_of.items():
        in_force[force_area].add(cell)
    # line -> (importer, exporter, the cells counted in the importer area, the basis)
    areas: dict[str, tuple[str, str, set[str], tuple[Factor, ...]]] = {}
    for ln in ctx.lines:
        imp, exp = sells.get(ln.line_id), runs_from.get(ln.line_id)
        if imp is None or exp is None or imp.force == exp.force:
            continue
        # with positions, the importer's cells; without, the cells its customers use
        cells = in_force[imp.force] if ln.importer_force else selling.get(ln.line_id, set())
        if cells:
            basis = tuple(f for f in (imp.factor, exp.factor) if f is not None)
            areas[ln.line_id] = (imp.force, exp.force, cells, basis)
    unknown = {
        n: areas[ln.line_id][2]
        for ln in ctx.lines
        if ln.line_id in areas
        for n in ln.runners
        if n not in known
    }
    if not ctx.found or not unknown:
        return []
    cfg = ctx.cfg
    by_number = trips(
        ctx.engine, unknown, cfg.trip_match, cfg.trip_gap_max, _home_cells(ctx, unknown)
    )
    out: list[Finding] = []
    placed = _own_phone_areas(ctx)
    for pid, force, missing_at, found_at in ctx.found:
        if ctx.phones.get(pid, set()) & runner_numbers:
            continue
        for line in ctx.lines:
            if line.line_id not in areas:
                continue
            importer, exporter, _, basis = areas[line.line_id]
            if exporter != force or importer == force:
                continue
            if pid in placed and importer not in placed[pid]:
                continue  # their own phone was elsewhere while missing: not their trip
            match = next(
                (
                    n
                    for n in line.runners
                    if n in unknown
                    for trip in by_number.get(n, [])
                    if trip.arrived_near(missing_at) and trip.left_near(found_at)
                ),
                None,
            )
            if match is not None:
                factor = Factor(
                    "runner_trip_matches_episode",
                    match,
                    f"runner number {match}, on no one's record, arrived in {importer}"
                    + ("" if line.importer_force else " (at the cells serving its customers)")
                    + f" when they went missing from {force} and left when they were found",
                    subject=line.line_id,
                )
                out.append(
                    Finding(
                        NAME,
                        pid,
                        SafeguardReason.MISSING_EPISODE_LINKED.value,
                        frozenset({line.line_id}),
                        (factor, *basis),
                    )
                )
    return out


def _own_phone_areas(ctx: Context) -> dict[str, set[str]]:
    """Person -> the force areas their own phones were served in while they were missing
    (any episode), where a cell position says: a child whose phone is in Surrey on five
    episodes is not placed in Durham on the sixth by a trip some other child made (none
    without positions: then a trip is not weighed against their phone)."""
    if not ctx.force_of:
        return {}
    out: dict[str, set[str]] = defaultdict(set)
    for i, cells in cells_while_missing(ctx, ctx.found).items():
        out[ctx.found[i][0]].update(ctx.force_of[c] for c in cells if c in ctx.force_of)
    return {pid: areas for pid, areas in out.items() if areas}


def _home_cells(ctx: Context, unknown: dict[str, set[str]]) -> dict[str, set[str]]:
    """runner number -> the cells where its line's controller dwells, for the lines no
    cell position places: a runner number served there is back where the line is run
    from. (Where positions are known, any cell outside the importer area ends a trip.)"""
    lines = [ln for ln in ctx.lines if not ln.importer_force and ln.controller]
    controllers = sorted({ln.controller for ln in lines if ln.controller})
    if not controllers:
        return {}
    dwell: dict[str, set[str]] = defaultdict(set)
    for r in own_cells(ctx.engine, controllers).to_pylist():
        if r["n"] >= ctx.cfg.dwell_min:
            dwell[r["num"]].add(r["cell"])
    return {
        n: dwell[ln.controller] for ln in lines if ln.controller for n in ln.runners if n in unknown
    }
