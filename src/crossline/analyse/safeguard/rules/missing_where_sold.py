"""A person reported missing whose own phone, during or near the episode, is served by
cells it is never served by otherwise, and those cells also serve a line's customers
when they contact its deal phones: the child was taken to where the line sells.

This reads cell identities, not positions. A provider's call records name the serving
cell; the list of where each cell stands (cells.csv) is acquired separately and often
missing, and then no analysis can say which force area a cell is in. Two phones served by
the same cell are in the same place whatever its coordinates, and a line's customers live
where it sells (they are local users; the line travels to them). The rule asks two more
things, so it does not list a child who merely went somewhere new:
- the cells are new to the phone: never serving it outside its episodes (a child's home,
  school and friends are seen there every week; a trap house far away is not);
- the line does not sell where the child lives: the cell serving the child's phone most
  outside its episodes is not one of the line's selling cells (a line selling in the
  child's own town would match wherever the child went in town).
Where several lines sell at those cells (a county town several lines supply), the entry
names the lines sharing the most of them."""

from __future__ import annotations

from crossline.analyse.contacts import sightings_sql
from crossline.analyse.safeguard.areas import selling_cells
from crossline.analyse.safeguard.findings import Finding
from crossline.analyse.safeguard.people import Context
from crossline.analyse.safeguard.rules.episodes import phones_while_missing
from crossline.model.evidence import Factor
from crossline.model.vocab import SafeguardReason

NAME = "missing, served where a line sells"


def episode_cells(ctx: Context) -> dict[str, tuple[dict[str, int], dict[str, int]]]:
    """person -> (cell -> sightings inside their episodes, cell -> sightings outside), for
    every person reported missing with a phone linked to them."""
    with phones_while_missing(ctx, ctx.windows) as phones:
        if phones is None:
            return {}
        seen = ctx.engine.query(f"""
            WITH mine AS (
                SELECT DISTINCT pid, num FROM {phones}
            ), sighted AS (
                SELECT m.pid, c.t, c.cell,
                       max(CASE WHEN c.t BETWEEN e.t0 AND e.t1 THEN 1 ELSE 0 END) AS inside
                FROM mine m
                JOIN {sightings_sql()} c ON c.num = m.num
                JOIN {phones} e ON e.pid = m.pid AND e.num = m.num
                WHERE c.cell IS NOT NULL
                GROUP BY m.pid, c.num, c.t, c.cell
            )
            SELECT pid, cell, CAST(sum(inside) AS BIGINT) AS n_in,
                   CAST(sum(1 - inside) AS BIGINT) AS n_out
            FROM sighted GROUP BY pid, cell
        """).to_pylist()
    out: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
    for r in seen:
        inside, outside = out.setdefault(r["pid"], ({}, {}))
        if r["n_in"]:
            inside[r["cell"]] = int(r["n_in"])
        if r["n_out"]:
            outside[r["cell"]] = int(r["n_out"])
    return out


def rule(ctx: Context) -> list[Finding]:
    if not ctx.lines or not ctx.windows:
        return []
    selling = selling_cells(ctx)
    if not selling:
        return []
    out: list[Finding] = []
    for pid, (inside, outside) in sorted(episode_cells(ctx).items()):
        new = {c for c in inside if c not in outside}
        if not new:
            continue
        home = max(outside.items(), key=lambda kv: (kv[1], kv[0]))[0] if outside else None
        shared = {
            lid: new & cells for lid, cells in selling.items() if new & cells and home not in cells
        }
        if not shared:
            continue
        most = max(len(c) for c in shared.values())
        lines = sorted(lid for lid, c in shared.items() if len(c) == most)
        cells = sorted(set().union(*(shared[lid] for lid in lines)))
        factor = Factor(
            "phone_where_line_sells",
            len(cells),
            f"while reported missing their phone was served by {len(cells)} cell(s) "
            f"({', '.join(cells)}) that never serve it otherwise and serve the customers of "
            f"{', '.join(lines)}",
            threshold=ctx.cfg.dwell_min,
            subject=lines[0] if len(lines) == 1 else None,
        )
        out.append(
            Finding(
                NAME,
                pid,
                SafeguardReason.MISSING_EPISODE_LINKED.value,
                frozenset(lines),
                (factor,),
            )
        )
    return out
