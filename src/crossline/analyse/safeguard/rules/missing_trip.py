"""A person reported missing from a line's exporter area whose episode is one of the
line's runner trips: a runner number no record attributes to anyone arrives in the
importer area when the child goes missing and leaves it when the child is found, each
within `trip_match` of the sightings that bound the arrival and the departure (a phone used
now and then is seen a day or more after it arrives, or before it leaves). Both ends must
agree (an open episode gives only one). This is how an analyst ties a child who went
missing without a phone on record to an unidentified runner number; it lists the child for
a lead to check, it does not give them the number. A person whose own phone is already one
of a line's runners has their trips on that number: another line's unidentified number
travelling on the same days (children from one city go missing together) is not theirs."""

from __future__ import annotations

from crossline.analyse.safeguard.findings import Finding
from crossline.analyse.safeguard.people import Context
from crossline.analyse.safeguard.rules.trips import trips
from crossline.model.evidence import Factor
from crossline.model.vocab import SafeguardReason

NAME = "missing, a runner trip"


def rule(ctx: Context) -> list[Finding]:
    known = {n for numbers in ctx.phones.values() for n in numbers}
    runner_numbers = {n for ln in ctx.lines for n in ln.runners}
    unknown = {
        n: ln.importer_force
        for ln in ctx.lines
        if ln.importer_force and ln.importer_force != ln.exporter_force
        for n in ln.runners
        if n not in known
    }
    if not ctx.found or not unknown:
        return []
    cfg = ctx.cfg
    by_number = trips(ctx.engine, unknown, ctx.force_of, cfg.trip_match, cfg.trip_gap_max)
    out: list[Finding] = []
    for pid, force, missing_at, found_at in ctx.found:
        if ctx.phones.get(pid, set()) & runner_numbers:
            continue
        for line in ctx.lines:
            if line.exporter_force != force or line.importer_force == force:
                continue
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
                    f"runner number {match}, on no one's record, arrived in "
                    f"{line.importer_force} when they went missing from {force} and left "
                    "when they were found",
                    subject=line.line_id,
                )
                out.append(
                    Finding(
                        NAME,
                        pid,
                        SafeguardReason.MISSING_EPISODE_LINKED.value,
                        frozenset({line.line_id}),
                        (factor,),
                    )
                )
    return out
