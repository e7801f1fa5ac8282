"""A person reported missing who is placed in a line's importer area, away from the force
that reported them, during or near the episode: by a stop, arrest or other located event,
or by their own phone served by cells there. The lines put against them are those whose
runner phones are theirs, else every line selling in that area (where no cell says where
a line sells, its customers' registered addresses may: areas.importers)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from crossline.analyse.geography import force_at
from crossline.analyse.lines.build import Line
from crossline.analyse.safeguard.areas import importers
from crossline.analyse.safeguard.findings import Finding
from crossline.analyse.safeguard.people import Context
from crossline.analyse.safeguard.rules.episodes import cells_while_missing
from crossline.model import schema as s
from crossline.model.evidence import Factor
from crossline.model.vocab import SafeguardReason

NAME = "missing, placed in the area"


def rule(ctx: Context) -> list[Finding]:
    sells = importers(ctx)
    by_importer: dict[str, list[Line]] = defaultdict(list)
    for line in ctx.lines:
        if line.line_id in sells:
            by_importer[sells[line.line_id].force].append(line)
    if not by_importer or not ctx.windows:
        return []
    out: list[Finding] = []

    def flag(pid: str, force: str, how: Factor) -> None:
        mine = [ln for ln in by_importer[force] if set(ln.runners) & ctx.phones.get(pid, set())]
        lines = frozenset(ln.line_id for ln in (mine or by_importer[force]))
        basis = tuple(f for lid in sorted(lines) if (f := sells[lid].factor) is not None)
        out.append(
            Finding(NAME, pid, SafeguardReason.MISSING_EPISODE_LINKED.value, lines, (how, *basis))
        )

    located = [e for e in ctx.events if e[s.LAT] is not None and e[s.LON] is not None]
    if located:
        where, _ = force_at(
            np.array([float(str(e[s.LAT])) for e in located]),
            np.array([float(str(e[s.LON])) for e in located]),
        )
        for e, force in zip(located, where, strict=True):
            pid = ctx.person_of_event(e)
            if not pid or force not in by_importer:
                continue
            when = e[s.OCCURRED_AT]
            for epid, rep_force, t0, t1 in ctx.windows:
                if epid == pid and force != rep_force and t0 <= when <= t1:
                    how = Factor(
                        "located_event_in_importer_area",
                        str(force),
                        f"a {e[s.EVENT_TYPE]} recorded by {e[s.FORCE]} places them in "
                        f"{force}, where a line sells, while reported missing by {rep_force}",
                        subject=str(force),
                    )
                    flag(pid, str(force), how)
    cells: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for i, served_by in cells_while_missing(ctx, ctx.windows).items():
        pid, rep, _, _ = ctx.windows[i]
        for cell in served_by:
            cell_force = ctx.force_of.get(cell)
            if cell_force and cell_force in by_importer and cell_force != rep:
                cells[(pid, cell_force, rep)].add(cell)
    for (pid, cell_force, rep), served in sorted(cells.items()):
        how = Factor(
            "phone_in_importer_area",
            len(served),
            f"their phone was served by {len(served)} cell(s) in {cell_force}, where a line "
            f"sells, while reported missing by {rep}",
            subject=cell_force,
        )
        flag(pid, cell_force, how)
    return out
