"""Force attribution by polygon, where a nearest-representative-point rule goes wrong."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from crossline.analyse.geography import cell_forces, force_at
from crossline.model.forces import forces


@pytest.mark.parametrize(
    ("lat", "lon", "force", "nearest_point_force"),
    [
        (51.1537, -0.1821, "sussex", "surrey"),  # Gatwick: nearest point is Guildford's
        (53.0466, -2.9925, "north-wales", "cheshire"),  # Wrexham: nearest point is Chester's
        (51.4700, -0.4543, "metropolitan", "btp"),  # Heathrow
    ],
)
def test_border_points_get_their_polygon_not_the_nearest_point(
    lat: float, lon: float, force: str, nearest_point_force: str
) -> None:
    got, method = force_at(np.array([lat]), np.array([lon]))
    assert (got[0], method[0]) == (force, "within")
    nearest = min(
        forces().values(),
        key=lambda f: (f.lat - lat) ** 2 + ((f.lon - lon) * np.cos(np.radians(lat))) ** 2,
    )
    assert nearest.force_id == nearest_point_force  # the rule this replaces would be wrong


def test_every_force_point_is_in_its_own_area() -> None:
    fs = [f for f in forces().values() if f.force_id not in ("btp", "city-of-london")]
    got, _ = force_at(np.array([f.lat for f in fs]), np.array([f.lon for f in fs]))
    assert list(got) == [f.force_id for f in fs]


def test_offshore_cell_falls_back_to_nearest_polygon_and_missing_stays_empty() -> None:
    got, method = force_at(np.array([50.05, np.nan]), np.array([-5.75, 0.0]))
    assert (got[0], method[0]) == ("devon-and-cornwall", "nearest")  # off Land's End
    assert (got[1], method[1]) == ("", "")


def test_cell_forces_table() -> None:
    t = cell_forces(pa.table({"cell_id": ["a"], "lat": [53.4084], "lon": [-2.9916]}))
    assert t.to_pylist() == [{"cell_id": "a", "force": "merseyside", "method": "within"}]
