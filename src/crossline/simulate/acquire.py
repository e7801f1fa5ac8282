"""Communications data as police acquire it (the realistic style).

Each network supplies its own subscribers' records; a network that supplied nothing
leaves its customers visible only where they called a supplied network. A call or text
between two supplied networks therefore arrives twice, once from each, under two record
ids, with start times seconds apart (each switch stamps its own leg; a text is logged
again on delivery) and durations rounded each network's way. Each network reports only its
own subscriber's serving cell, and a tenth to a quarter of its records have none. Seized
deal handsets are downloaded and their logs arrive as comms rows too (no cells, exact
times). Landlines are on fixed networks, whose records were not acquired."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crossline.model import schema as s
from crossline.simulate.traffic import DayTraffic
from crossline.simulate.world import World

NETWORKS = ("provider-a", "provider-b", "provider-c", "provider-d")
NETWORK_SHARE = (0.34, 0.27, 0.23, 0.16)
PREFIX = ("+44", "44", "0", "+44")
NAIVE_LOCAL = (False, False, True, False)
ID_PREFIX = ("A", "B", "C", "D")
DOWNLOAD = "handset-download"
SILENT = len(NETWORKS)  # the network index of a number whose network supplied nothing
MOBILE_FLOOR = 7_000_000_000  # national digits from here up are mobile numbers


@dataclass
class Acquisition:
    """Per world: who is on which network, each network's habits, the seized handsets,
    and (filled while writing) the controller contacts the data holds, per line."""

    world: World
    missing_cell: np.ndarray = field(init=False)
    seized: dict[int, tuple[int, int]] = field(init=False)  # deal number -> (first, last day)
    controller_contacts: Counter[str] = field(default_factory=Counter)
    _ctrl: dict[int, tuple[str, frozenset[int]]] = field(init=False)

    def __post_init__(self) -> None:
        w = self.world
        rng = np.random.default_rng([w.cfg.seed, 5])
        self.missing_cell = rng.uniform(0.10, 0.25, len(NETWORKS))
        self.seized = {
            d.number: (d.first_day, d.last_day)
            for line in w.lines
            for d in line.deals
            if d.end_reason == "arrest"
        }
        self._ctrl = {}
        for line in w.lines:
            phones = {d.number for d in line.deals} | {r.phone or 0 for r in line.runners}
            self._ctrl[int(w.number[line.holder])] = (line.line_id, frozenset(phones - {0}))

    def network(self, numbers: np.ndarray) -> np.ndarray:
        """A stable network per number (a hash of it); SILENT for the share whose network
        supplied nothing, and for landlines."""
        h = (numbers * 2654435761 + self.world.cfg.seed * 97) % 1_000_003 / 1_000_003
        share = self.world.cfg.silent_network_share
        cuts = share + np.cumsum(np.array(NETWORK_SHARE)) * (1 - share)
        net = np.searchsorted(cuts, h, side="right")
        net = np.where(h < share, SILENT, np.minimum(net, len(NETWORKS) - 1))
        out: np.ndarray = np.where(numbers < MOBILE_FLOOR, SILENT, net)
        return out

    def count_controllers(self, tr: DayTraffic, observed: np.ndarray) -> None:
        ctrl = np.array(list(self._ctrl), dtype=np.int64)
        hit = observed & (np.isin(tr.src, ctrl) | np.isin(tr.tgt, ctrl))
        for a, b in zip(tr.src[hit].tolist(), tr.tgt[hit].tolist(), strict=True):
            for c, o in ((a, b), (b, a)):
                entry = self._ctrl.get(c)
                if entry is not None and o in entry[1]:
                    self.controller_contacts[entry[0]] += 1


def _round(dur: np.ndarray, net: int) -> np.ndarray:
    """Each network's own rounding of a call's duration."""
    if net == 1:
        out: np.ndarray = np.where(dur > 0, (dur + 59) // 60 * 60, 0)  # billed minutes
        return out
    if net == 2:
        return np.where(dur > 0, dur + 1, 0)  # rounded up from milliseconds
    return dur


def acquired_table(acq: Acquisition, tr: DayTraffic, first_seq: int, parquet: bool) -> pa.Table:
    w = acq.world
    rng = np.random.default_rng([w.cfg.seed, 6, first_seq])
    ns, nt = acq.network(tr.src), acq.network(tr.tgt)
    parts: list[dict[str, np.ndarray]] = []
    for net in range(len(NETWORKS)):
        for origin in (True, False):
            sel = (ns == net) if origin else ((nt == net) & (ns != net))
            if not sel.any():
                continue
            k = int(sel.sum())
            miss = rng.random(k) < acq.missing_cell[net]
            own_cell = np.where(miss, -1, (tr.scell if origin else tr.tcell)[sel])
            on_net = (nt if origin else ns)[sel] == net
            other = np.where(on_net, (tr.tcell if origin else tr.scell)[sel], -1)
            sms = tr.sms[sel]
            shift = 0 if origin else np.where(sms, rng.integers(1, 25, k), rng.integers(-2, 5, k))
            parts.append(
                {
                    "net": np.full(k, net),
                    "src": tr.src[sel],
                    "tgt": tr.tgt[sel],
                    "t": tr.t[sel] + shift,
                    "sms": sms,
                    "dur": np.where(sms, -1, _round(tr.dur[sel], net)),
                    "scell": own_cell if origin else other,
                    "tcell": other if origin else own_cell,
                }
            )
    observed = (ns != SILENT) | (nt != SILENT)
    seized = np.array(list(acq.seized), dtype=np.int64)
    if len(seized):
        day = int((int(tr.t[0]) - _epoch(w)) // 86_400) if len(tr) else 0
        live = [n for n, (a, b) in acq.seized.items() if a <= day <= b]
        dl = np.isin(tr.src, live) | np.isin(tr.tgt, live)
        observed |= dl
        k = int(dl.sum())
        parts.append(
            {
                "net": np.full(k, len(NETWORKS)),
                "src": tr.src[dl],
                "tgt": tr.tgt[dl],
                "t": tr.t[dl],
                "sms": tr.sms[dl],
                "dur": tr.dur[dl],
                "scell": np.full(k, -1),
                "tcell": np.full(k, -1),
            }
        )
    acq.count_controllers(tr, observed)
    cols = {
        c: np.concatenate([p[c] for p in parts]) if parts else np.zeros(0)
        for c in ("net", "src", "tgt", "t", "sms", "dur", "scell", "tcell")
    }
    order = np.argsort(cols["t"], kind="stable")
    cols = {c: v[order] for c, v in cols.items()}
    return _table(w, cols, first_seq, parquet)


def _epoch(w: World) -> int:
    return int(np.datetime64(w.cfg.start.isoformat(), "s").astype(np.int64))


def _table(w: World, c: dict[str, np.ndarray], first_seq: int, parquet: bool) -> pa.Table:
    n = len(c["t"])
    net = pa.array(c["net"].astype(np.int64))
    providers = pa.array([*NETWORKS, DOWNLOAD])
    seq = pa.array(np.arange(first_seq, first_seq + n, dtype=np.int64)).cast(pa.string())
    record_id = pc.binary_join_element_wise(pc.take(pa.array([*ID_PREFIX, "HD"]), net), seq, "")
    prefix = pc.take(pa.array([*PREFIX, "+44"]), net)

    def fmt(nums: np.ndarray) -> pa.Array:
        text = pa.array(nums.astype(np.int64)).cast(pa.string())
        return pc.binary_join_element_wise(prefix, text, "")

    ts = pa.array(c["t"].astype(np.int64)).cast(pa.timestamp("s", tz="UTC"))
    start: pa.Array = ts
    if not parquet:
        utc = pc.strftime(ts, format="%Y-%m-%dT%H:%M:%SZ")
        london = ts.cast(pa.timestamp("s", tz="Europe/London"))
        local = pc.strftime(london, format="%Y-%m-%dT%H:%M:%S")
        start = pc.if_else(pc.take(pa.array([*NAIVE_LOCAL, False]), net), local, utc)
    cell_ids = pa.array(w.cells.ids)

    def cells(idx: np.ndarray) -> pa.Array:
        mask = idx < 0
        return pc.take(cell_ids, pa.array(np.where(mask, 0, idx).astype(np.int64), mask=mask))

    sms = c["sms"].astype(bool)
    return pa.table(
        {
            s.RECORD_ID: record_id,
            s.START_TIME: start,
            s.SOURCE: fmt(c["src"]),
            s.TARGET: fmt(c["tgt"]),
            s.KIND: pc.if_else(pa.array(sms), "sms", "call"),
            s.DURATION_S: pa.array(c["dur"].astype(np.int64), mask=sms),
            s.SOURCE_CELL: cells(c["scell"].astype(np.int64)),
            s.TARGET_CELL: cells(c["tcell"].astype(np.int64)),
            s.PROVIDER: pc.take(providers, net),
        }
    )
