"""A person reported missing at home whom the police of a line's importer area record for
drug supply: "repeatedly going missing from home and being found in other areas" is the
sign forces and schools are told to look for, and a record for supply in the town a line
sells in, far from the carers who report the child missing, is how it shows in police
systems. Unlike `missing, placed in the area` it needs no position and no time within
the episode: a stop three days before the report (carers report late) or a record with
no located event still counts, because the record says what the child was doing there.

Asked of the data: the person's records in force Y carry the drugs_supply flag; Y is not
a force that reported them missing; a line sells in Y (by its customers' cells or, with
no cells, their registered addresses: areas.importers) and was active during or near one
of their episodes. The lines named are those whose runner phones are theirs, else those
the data says are run from the reporting force, else every such line."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from crossline.analyse.safeguard.areas import importers
from crossline.analyse.safeguard.findings import Finding
from crossline.analyse.safeguard.people import Context
from crossline.model.evidence import Factor
from crossline.model.vocab import NominalFlag, SafeguardReason

NAME = "missing, recorded where a line sells"


def rule(ctx: Context) -> list[Finding]:
    sells = importers(ctx)
    if not sells or not ctx.windows:
        return []
    episodes: dict[str, list[tuple[str, datetime, datetime]]] = defaultdict(list)
    for pid, force, t0, t1 in ctx.windows:
        episodes[pid].append((force, t0, t1))
    supply = NominalFlag.DRUGS_SUPPLY.value
    out: list[Finding] = []
    for pid in sorted(episodes):
        person = ctx.people.get(pid)
        if person is None:
            continue
        reporting = {force for force, _, _ in episodes[pid]}
        for force in sorted(person.force_flags):
            if force in reporting or supply not in person.force_flags[force]:
                continue
            active = [
                ln
                for ln in ctx.lines
                if ln.line_id in sells
                and sells[ln.line_id].force == force
                and ln.deals
                and any(
                    t0 <= max(d.last_seen for d in ln.deals)
                    and min(d.first_seen for d in ln.deals) <= t1
                    for _, t0, t1 in episodes[pid]
                )
            ]
            if not active:
                continue
            phones = ctx.phones.get(pid, set())
            mine = [ln for ln in active if set(ln.runners) & phones]
            from_home = [ln for ln in active if ln.exporter_force in reporting]
            lines = sorted(ln.line_id for ln in (mine or from_home or active))
            records = sorted(r for f, r in person.records if f == force)
            how = Factor(
                "supply_record_where_line_sells",
                force,
                f"recorded by {force} for drug supply ({', '.join(records)}), where "
                f"{', '.join(lines)} sell(s), while {', '.join(sorted(reporting))} reported "
                f"them missing {len(episodes[pid])} time(s)",
                subject=lines[0] if len(lines) == 1 else None,
            )
            basis = tuple(f for lid in lines if (f := sells[lid].factor) is not None)
            out.append(
                Finding(
                    NAME,
                    pid,
                    SafeguardReason.MISSING_EPISODE_LINKED.value,
                    frozenset(lines),
                    (how, *basis),
                )
            )
    return out
