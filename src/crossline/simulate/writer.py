"""Write a world as a dataset in the data contract's format, plus its ground truth.

Comms are streamed day by day into CSV or Parquet parts, so a 100M-row world never sits in
memory. Providers deliver in their own habits: one sends E.164, one international digits
without the plus, one national numbers with naive London local times (as UK CDRs often do).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from crossline.model import schema as s
from crossline.simulate.acquire import Acquisition, acquired_table
from crossline.simulate.config import WorldConfig
from crossline.simulate.records import Records, build_records, e164
from crossline.simulate.traffic import DayTraffic, generate_days
from crossline.simulate.truth import write_truth
from crossline.simulate.world import World, build_world

PROVIDERS = ("provider-a", "provider-b", "provider-c")
# how each provider writes a number (prefix before the 10 national digits) and its times
NUMBER_PREFIX = ("+44", "44", "0")
NAIVE_LOCAL = (False, False, True)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _comms_table(w: World, tr: DayTraffic, first_seq: int, parquet: bool) -> pa.Table:
    n = len(tr)
    rng = np.random.default_rng([w.cfg.seed, 4, first_seq])
    prov = (tr.src % 3).astype(np.int64)
    seq = np.arange(first_seq, first_seq + n, dtype=np.int64)
    record_id = pc.binary_join_element_wise(
        pc.take(pa.array(["A", "B", "C"]), pa.array(prov)), pa.array(seq).cast(pa.string()), ""
    )
    prefix = pc.take(pa.array(list(NUMBER_PREFIX)), pa.array(prov))

    def fmt(nums: np.ndarray) -> pa.Array:
        return pc.binary_join_element_wise(prefix, pa.array(nums).cast(pa.string()), "")

    ts = pa.array(tr.t).cast(pa.timestamp("s", tz="UTC"))
    start: pa.Array
    if parquet:
        start = ts
    else:
        utc = pc.strftime(ts, format="%Y-%m-%dT%H:%M:%SZ")
        local = pc.strftime(
            ts.cast(pa.timestamp("s", tz="Europe/London")), format="%Y-%m-%dT%H:%M:%S"
        )
        naive = pc.take(pa.array(list(NAIVE_LOCAL)), pa.array(prov))
        start = pc.if_else(naive, local, utc)
    cell_ids = pa.array(w.cells.ids)

    def cells(idx: np.ndarray, missing: float) -> pa.Array:
        mask = (idx < 0) | (rng.random(n) < missing)
        return pc.take(cell_ids, pa.array(np.where(mask, 0, idx), mask=mask))

    dur = pa.array(tr.dur, mask=tr.sms)
    return pa.table(
        {
            s.RECORD_ID: record_id,
            s.START_TIME: start,
            s.SOURCE: fmt(tr.src),
            s.TARGET: fmt(tr.tgt),
            s.KIND: pc.if_else(pa.array(tr.sms), "sms", "call"),
            s.DURATION_S: dur,
            s.SOURCE_CELL: cells(tr.scell, 0.03),
            s.TARGET_CELL: cells(tr.tcell, 0.4),
            s.PROVIDER: pc.take(pa.array(list(PROVIDERS)), pa.array(prov)),
        }
    )


def _write_rows(
    path_base: Path, rows: Sequence[Mapping[str, object]], columns: tuple[str, ...], parquet: bool
) -> None:
    table = pa.table({c: pa.array([str(r.get(c, "")) for r in rows], pa.string()) for c in columns})
    if parquet:
        pq.write_table(table, path_base.with_suffix(".parquet"))
    else:
        with path_base.with_suffix(".csv").open("w", newline="", encoding="utf-8") as fh:
            wr = csv.DictWriter(fh, fieldnames=list(columns))
            wr.writeheader()
            for r in rows:
                wr.writerow({c: r.get(c, "") for c in columns})


def write_world(
    cfg: WorldConfig, out: Path, fmt: str = "auto", progress: Progress | None = None
) -> World:
    """Simulate `cfg` into `out` (dataset files + truth/). Returns the world's plan."""
    parquet = fmt == "parquet" or (fmt == "auto" and cfg.people > 50_000)
    out.mkdir(parents=True, exist_ok=True)
    world = build_world(cfg)
    rec: Records = build_records(world)
    realistic = cfg.style == "realistic"
    acq = Acquisition(world) if realistic else None
    if realistic:
        _handsets(world, rec)

    # cells
    cells_rows = [
        {
            s.CELL_ID: cid,
            s.LAT: f"{world.cells.lat[i]:.5f}",
            s.LON: f"{world.cells.lon[i]:.5f}",
            s.AZIMUTH: str((i * 120) % 360),
        }
        for i, cid in enumerate(world.cells.ids)
    ]
    if realistic:  # a cells list from another date: some serving cells are not on it
        keep = np.random.default_rng([cfg.seed, 7]).random(len(cells_rows)) >= 0.03
        cells_rows = [r for r, k in zip(cells_rows, keep, strict=True) if k]
    if cfg.cells_file:
        _write_rows(out / "cells", cells_rows, s.CELLS.names, parquet)
    _write_rows(out / "nominals", rec.nominals, s.NOMINALS.names, parquet)
    _write_rows(out / "events", rec.events, s.EVENTS.names, parquet)
    _write_rows(out / "intelligence", rec.intelligence, s.INTELLIGENCE.names, parquet)
    _write_rows(out / "subscribers", rec.subscribers, s.SUBSCRIBERS.names, parquet)

    seq = 0
    part = 0
    pending: list[pa.Table] = []
    pending_rows = 0
    csv_writer: pacsv.CSVWriter | None = None
    comms_dir = out / "comms"
    if parquet:
        comms_dir.mkdir(exist_ok=True)

    def flush() -> None:
        nonlocal part, pending, pending_rows
        if not pending:
            return
        table = pa.concat_tables(pending)
        pq.write_table(table, comms_dir / f"part-{part:05d}.parquet", compression="zstd")
        part += 1
        pending, pending_rows = [], 0

    try:
        for day, tr in generate_days(world):
            if acq is not None:
                table = acquired_table(acq, tr, seq, parquet)
            else:
                table = _comms_table(world, tr, seq, parquet)
            seq += table.num_rows
            if parquet:
                pending.append(table)
                pending_rows += table.num_rows
                if pending_rows >= cfg.rows_per_part:
                    flush()
            else:
                if csv_writer is None:
                    csv_writer = pacsv.CSVWriter(str(out / "comms.csv"), table.schema)
                csv_writer.write_table(table)
            if progress:
                progress("comms", day + 1, cfg.days)
        if parquet:
            flush()
    finally:
        if csv_writer is not None:
            csv_writer.close()

    write_truth(world, rec, out / "truth", acq.controller_contacts if acq else None)
    return world


def _handsets(world: World, rec: Records) -> None:
    """The realistic style's handsets in the subscriber data: a deal number keeps its
    handset's IMEI on a routine change of SIM (the records' own draw is replaced by the
    plan's), and a person who changed number did so in the same handset."""
    imei_of = {d.number: d.imei for line in world.lines for d in line.deals}
    by_number: dict[str, dict[str, object]] = {}
    for row in rec.subscribers:
        num = str(row[s.NUMBER])
        by_number[num] = row
        deal_imei = imei_of.get(int(num[3:])) if num.startswith("+44") else None
        if deal_imei:
            row[s.IMEI] = deal_imei
    for p in np.flatnonzero(world.new_number):
        old = by_number.get(e164(int(world.number[p])))
        if old is not None and old.get(s.IMEI):
            rec.subscribers.append(
                {**old, s.NUMBER: e164(int(world.new_number[p])), s.ACTIVATED_ON: ""}
            )
