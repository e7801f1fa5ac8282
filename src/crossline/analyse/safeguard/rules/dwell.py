"""Where each line's deal and runner phones dwell: the cells serving them at least
`dwell_min` times and `dwell_share` of their located contacts. Read by the two cuckooing
rules; `near` answers "which lines dwell within r km of here" through a spatial index, so
a national run (thousands of lines, many thousands of vulnerable adults) does not measure
every pair."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from shapely import STRtree, box
from shapely.geometry import Point

from crossline.analyse.contacts import cell_table, own_cells
from crossline.analyse.safeguard.people import Context


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = (lat2 - lat1) * 111.0
    dx = (lon2 - lon1) * 111.0 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


@dataclass
class Dwell:
    points: list[tuple[str, str, float, float]]  # (line_id, cell, lat, lon)
    cells: dict[str, tuple[float, float]]
    force_of: dict[str, str]
    tree: STRtree = field(init=False)

    def __post_init__(self) -> None:
        self.tree = STRtree([Point(lon, lat) for _, _, lat, lon in self.points])

    def near(self, lat: float, lon: float, radius: float, importer_of: dict[str, str]) -> set[str]:
        """Lines with a dwelling point within `radius` km; with `importer_of`, only points
        in the line's importer force area (where the line works, not where its runners
        live)."""
        dlat = radius / 111.0
        dlon = radius / (111.0 * max(math.cos(math.radians(lat)), 0.01))
        hits = self.tree.query(box(lon - dlon, lat - dlat, lon + dlon, lat + dlat))
        out = set()
        for i in hits:
            line_id, cell, a, b = self.points[int(i)]
            if importer_of and self.force_of.get(cell) != importer_of.get(line_id):
                continue
            if km(lat, lon, a, b) <= radius:
                out.add(line_id)
        return out


def dwell(ctx: Context) -> Dwell:
    """The context's dwelling points, found once however many rules ask."""
    found = ctx.memo.get("dwell")
    if not isinstance(found, Dwell):
        found = ctx.memo["dwell"] = _dwell(ctx)
    return found


def _dwell(ctx: Context) -> Dwell:
    phone_line = {n: ln.line_id for ln in ctx.lines for n in ln.runners}
    phone_line.update({d.number: ln.line_id for ln in ctx.lines for d in ln.deals})
    cells = {r["cell_id"]: (r["lat"], r["lon"]) for r in cell_table(ctx.engine).to_pylist()}
    points: list[tuple[str, str, float, float]] = []
    if phone_line:
        served = own_cells(ctx.engine, sorted(phone_line)).to_pylist()
        total: dict[str, int] = defaultdict(int)
        for r in served:
            total[r["num"]] += int(r["n"])
        for r in served:
            if (
                r["cell"] in cells
                and r["n"] >= ctx.cfg.dwell_min
                and r["n"] >= ctx.cfg.dwell_share * total[r["num"]]
            ):
                points.append((phone_line[r["num"]], r["cell"], *cells[r["cell"]]))
    return Dwell(points, cells, ctx.force_of)
