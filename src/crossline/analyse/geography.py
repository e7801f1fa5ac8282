"""Which force area a place is in, by point-in-polygon on the official force-area
boundaries (ONS, Open Government Licence; shipped in analyse/data).

A nearest-representative-point rule misattributes everything near a border; polygons do
not. The shipped outlines are generalised to about 200 m, so a point within ~200 m of a
border can still fall on the wrong side, and coastal cells can fall just outside every
polygon: those take the nearest polygon (method 'nearest')."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import numpy as np
import pyarrow as pa
import shapely
from shapely.strtree import STRtree

ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data (c) Crown copyright and database right 2023."
)


@cache
def _areas() -> tuple[list[str], STRtree, list[object]]:
    raw = resources.files("crossline.analyse").joinpath("data/police_force_areas.geojson")
    doc = json.loads(raw.read_text("utf-8"))
    ids = [f["properties"]["force_id"] for f in doc["features"]]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in doc["features"]]
    for g in geoms:
        shapely.prepare(g)
    return ids, STRtree(geoms), geoms


def force_at(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Force id and method ('within' | 'nearest' | '') for each point."""
    ids, tree, _ = _areas()
    n = len(lat)
    out = np.full(n, "", dtype=object)
    method = np.full(n, "", dtype=object)
    ok = ~(np.isnan(lat) | np.isnan(lon))
    if not ok.any():
        return out, method
    pts = shapely.points(lon[ok], lat[ok])
    idx_ok = np.flatnonzero(ok)
    pt_i, geom_i = tree.query(pts, predicate="within")
    found = np.zeros(len(pts), dtype=bool)
    for p, g in zip(pt_i, geom_i, strict=True):
        if not found[p]:
            out[idx_ok[p]] = ids[g]
            method[idx_ok[p]] = "within"
            found[p] = True
    missing = np.flatnonzero(~found)
    if len(missing):
        near_pt, near_geom = tree.query_nearest(pts[missing], return_distance=False)
        for p, g in zip(near_pt, near_geom, strict=True):
            j = idx_ok[missing[p]]
            if not method[j]:
                out[j] = ids[g]
                method[j] = "nearest"
    return out, method


def cell_forces(cells: pa.Table) -> pa.Table:
    """cells(cell_id, lat, lon) -> (cell_id, force, method)."""
    lat = np.asarray(cells.column("lat").to_numpy(zero_copy_only=False), dtype=float)
    lon = np.asarray(cells.column("lon").to_numpy(zero_copy_only=False), dtype=float)
    force, method = force_at(lat, lon)
    return pa.table(
        {
            "cell_id": cells.column("cell_id"),
            "force": pa.array(force.tolist(), pa.string()),
            "method": pa.array(method.tolist(), pa.string()),
        }
    )
