"""The realistic style delivers comms as acquired: every network its own subscribers' legs
(so cross-network events twice, each copy with one side's cell), truth with each line's
scope and whether its controller can be observed; the own style stays as it was."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pyarrow.csv as pacsv

from crossline.simulate.config import PRESETS, WorldConfig
from crossline.simulate.writer import write_world


def test_realistic_world_has_copies_and_scoped_truth(tmp_path: Path) -> None:
    cfg = WorldConfig(lines=4, people=1500, days=10, seed=3, style="realistic")
    write_world(cfg, tmp_path, fmt="csv")
    comms = pacsv.read_csv(tmp_path / "comms.csv").to_pylist()
    providers = {r["provider"] for r in comms}
    assert {"provider-a", "provider-b", "provider-c", "provider-d"} <= providers
    # each copy carries its own subscriber's cell only: rarely both ends
    both = sum(1 for r in comms if r["source_cell"] and r["target_cell"])
    assert both < 0.5 * len(comms)
    with (tmp_path / "truth" / "lines.csv").open() as fh:
        truth = list(csv.DictReader(fh))
    assert {t["line_scope"] for t in truth} <= {"county", "local"}
    assert {t["controller_observable"] for t in truth} <= {"true", "false"}


def test_presets_medium_and_large_are_realistic() -> None:
    assert PRESETS["medium"].style == PRESETS["large"].style == "realistic"
    assert PRESETS["small"].style == "own"
    assert replace(PRESETS["medium"], style="own").style == "own"


def test_world_without_cells_file(tmp_path: Path) -> None:
    cfg = WorldConfig(lines=2, people=800, days=7, seed=5, style="realistic", cells_file=False)
    write_world(cfg, tmp_path, fmt="csv")
    assert not (tmp_path / "cells.csv").exists()
