"""The peer implementation for the benchmark: the line-register analysis written the plain
way, in pandas with a networkx graph for roles, reading the dataset's Parquet files.

It follows crossline.analyse step by step with the same LinesConfig thresholds: texts less
than burst_gap_s apart are a session, a session reaching burst_min_recipients distinct
recipients is a broadcast burst; per-number features; the same five deal-line tests;
customer lists; hand-over by customer overlap; associates, a networkx graph per line, the
controller by (line phones joined, betweenness, least seen in the importer area) and runners.
Only the point-in-polygon of cells to force areas reuses crossline's geography (shapely over
a few thousand cells, not part of the comparison). Numbers are normalised to E.164 the way
the simulator's three providers write them (+44…, 44…, 0…: the last ten digits)."""

from __future__ import annotations

import glob
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa

from crossline.analyse.geography import cell_forces
from crossline.analyse.lines.config import LinesConfig


def _e164(col: pd.Series) -> pd.Series:
    return "+44" + col.str[-10:]


def load(data_dir: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    parts = sorted(glob.glob(str(data_dir / "comms" / "*.parquet")))
    cols = ["start_time", "source", "target", "kind", "duration_s", "source_cell", "target_cell"]
    df = pd.concat([pd.read_parquet(p, columns=cols) for p in parts], ignore_index=True)
    df["source"] = _e164(df["source"])
    df["target"] = _e164(df["target"])
    df["t"] = df["start_time"].dt.tz_convert(None)
    df = df.drop(columns="start_time")
    cells = pd.read_parquet(data_dir / "cells.parquet")
    forces = cell_forces(
        pa.table(
            {
                "cell_id": cells["cell_id"].astype(str),
                "lat": cells["lat"].astype(float),
                "lon": cells["lon"].astype(float),
            }
        )
    )
    force_of = dict(
        zip(forces.column("cell_id").to_pylist(), forces.column("force").to_pylist(), strict=True)
    )
    return df, force_of


def sessions(sms: pd.DataFrame, cfg: LinesConfig) -> pd.DataFrame:
    """(num, rcpt, t, sid, burst): outgoing texts with a global session id."""
    s = sms[["source", "target", "t"]].sort_values(["source", "t"], kind="stable")
    s = s.rename(columns={"source": "num", "target": "rcpt"}).reset_index(drop=True)
    gap = s["t"].diff().dt.total_seconds()
    new = (s["num"] != s["num"].shift()) | ~(gap <= cfg.burst_gap_s)
    s["sid"] = new.cumsum()
    size = s.groupby("sid")["rcpt"].nunique()
    s["burst"] = s["sid"].map(size >= cfg.burst_min_recipients)
    return s


def features(df: pd.DataFrame, cfg: LinesConfig) -> pd.DataFrame:
    sms = df[df["kind"] == "sms"]
    n_rcpt = sms.groupby("source")["target"].nunique()
    senders = n_rcpt.index[n_rcpt >= cfg.burst_min_recipients]
    sess = sessions(sms[sms["source"].isin(senders)], cfg)
    b = sess[sess["burst"]]
    bursts = b.groupby(["num", "sid"]).agg(t0=("t", "min"), n_rcpt=("rcpt", "nunique"))
    bursts = bursts.reset_index()
    bursts["day"] = bursts["t0"].dt.date
    h = bursts["t0"].dt.hour
    bursts["night"] = ((h >= 22) | (h < 7)).astype(int)
    f = bursts.groupby("num").agg(
        bursts=("sid", "size"),
        burst_days=("day", "nunique"),
        night_bursts=("night", "sum"),
        mean_burst_size=("n_rcpt", "mean"),
    )
    nums = f.index
    rcpt = b[["num", "rcpt"]].drop_duplicates()
    f["burst_recipients"] = rcpt.groupby("num").size()

    act = pd.concat(
        [
            df.loc[df["source"].isin(nums), ["source", "t"]].rename(columns={"source": "num"}),
            df.loc[df["target"].isin(nums), ["target", "t"]].rename(columns={"target": "num"}),
        ]
    )
    act["day"] = act["t"].dt.date
    a = act.groupby("num").agg(
        first_seen=("t", "min"), last_seen=("t", "max"), active_days=("day", "nunique")
    )
    f = f.join(a)

    inn = df[df["target"].isin(nums)].copy()
    inn["short"] = ((inn["kind"] == "sms") | (inn["duration_s"] <= cfg.order_max_call_s)).astype(
        int
    )
    per = inn.groupby(["target", "source"]).agg(n=("short", "size"), n_short=("short", "sum"))
    per = per.reset_index().rename(columns={"target": "num", "source": "caller"})
    per = per.merge(
        rcpt.rename(columns={"rcpt": "caller"}).assign(reached=1), on=["num", "caller"], how="left"
    )
    per["reached"] = per["reached"].fillna(0).astype(int)
    per["n_reached"] = per["n"] * per["reached"]
    i = per.groupby("num").agg(
        in_contacts=("n", "sum"),
        in_short=("n_short", "sum"),
        in_distinct=("caller", "size"),
        orderers_reached=("reached", "sum"),
        orders_from_reached=("n_reached", "sum"),
    )
    f = f.join(i).fillna(
        {
            k: 0
            for k in (
                "in_contacts",
                "in_short",
                "in_distinct",
                "orderers_reached",
                "orders_from_reached",
            )
        }
    )
    return f.reset_index()


def classify(f: pd.DataFrame, cfg: LinesConfig) -> pd.DataFrame:
    def ratio(a: pd.Series, b: pd.Series) -> pd.Series:
        return (a / b.where(b != 0)).fillna(0.0)

    span = (f["last_seen"].dt.normalize() - f["first_seen"].dt.normalize()).dt.days + 1
    checks = [
        (ratio(f["bursts"], span), cfg.min_burst_rate),
        (f["in_distinct"].astype(float), float(cfg.min_orderers)),
        (ratio(f["in_short"], f["in_contacts"]), cfg.min_short_share),
        (ratio(f["orderers_reached"], f["burst_recipients"]), cfg.min_reciprocity),
        (
            ratio(ratio(f["orders_from_reached"], f["burst_recipients"]), span),
            cfg.min_orders_per_recipient_day,
        ),
    ]
    ok = np.logical_and.reduce([v >= thr for v, thr in checks])
    strength = sum((v / (2 * thr)).clip(upper=1.0) for v, thr in checks)
    night = (f["night_bursts"] > 0).astype(float)
    confidence = (0.5 + 0.45 * (strength + night) / 6).round(3)
    return f.assign(span_days=span, confidence=confidence).loc[ok].reset_index(drop=True)


def customer_sets(rc: pd.DataFrame, key: str, cfg: LinesConfig) -> dict[str, set[str]]:
    g = rc.groupby([key, "rcpt"])[["bursts_received", "texts_received"]].sum().reset_index()
    g = g[
        (g["bursts_received"] >= 1)
        & (g["bursts_received"] >= cfg.customer_min_burst_share * g["texts_received"])
    ]
    return {k: set(v) for k, v in g.groupby(key)["rcpt"]}


def handovers(deals: pd.DataFrame, cust: dict[str, set[str]], cfg: LinesConfig) -> dict[str, str]:
    x = deals[["num", "first_seen", "last_seen"]]
    pairs = x.merge(x, how="cross", suffixes=("_a", "_b"))
    gap = (pairs["first_seen_b"] - pairs["last_seen_a"]).dt.total_seconds() / 86_400
    overlap_days = (pairs["last_seen_a"] - pairs["first_seen_b"]).dt.days
    keep = (
        (pairs["num_a"] != pairs["num_b"])
        & (pairs["first_seen_b"] > pairs["first_seen_a"])
        & (gap <= cfg.handover_max_gap_days)
        & (gap >= -cfg.handover_max_overlap_days)
        & (overlap_days <= cfg.handover_max_overlap_days)
    )
    cands = []
    for a, b, g in zip(pairs["num_a"][keep], pairs["num_b"][keep], gap[keep], strict=True):
        ca = cust.get(a, set())
        if ca:
            share = len(ca & cust.get(b, set())) / len(ca)
            if share >= cfg.handover_min_share:
                cands.append((-round(share, 3), abs(round(g, 1)), a, b))
    nxt: dict[str, str] = {}
    taken_new: set[str] = set()
    for _, _, a, b in sorted(cands):
        if a not in nxt and b not in taken_new:
            nxt[a] = b
            taken_new.add(b)
    return nxt


def pair_counts(df: pd.DataFrame, nums: set[str]) -> pd.DataFrame:
    """(num, other, n, other_cells) for every contact of the numbers in `nums`."""
    out = df.loc[df["source"].isin(nums), ["source", "target", "target_cell"]]
    inn = df.loc[df["target"].isin(nums), ["target", "source", "source_cell"]]
    cols = ["num", "other", "other_cell"]
    both = pd.concat([out.set_axis(cols, axis=1), inn.set_axis(cols, axis=1)])
    return both


def roles(
    deals: set[str],
    custs: set[str],
    deal_pairs: pd.DataFrame,
    assoc_n: pd.DataFrame,
    share: dict[str, float],
    cfg: LinesConfig,
) -> tuple[str | None, list[str]]:
    mine = deal_pairs[
        deal_pairs["num"].isin(deals)
        & ~deal_pairs["other"].isin(custs)
        & ~deal_pairs["other"].isin(deals)
    ]
    cnt = mine.groupby("other")["n"].sum()
    assoc = set(cnt.index[cnt >= cfg.runner_min_contacts])
    g = nx.Graph()
    for r in mine[mine["other"].isin(assoc)].itertuples():
        if r.n > 0:
            w = g.get_edge_data(r.num, r.other, {"weight": 0})["weight"]
            g.add_edge(r.num, r.other, weight=w + r.n)
    ap = assoc_n[
        assoc_n["num"].isin(assoc)
        & ~assoc_n["other"].isin(custs)
        & (assoc_n["n"] >= cfg.runner_min_contacts)
    ]
    for r in ap.itertuples():
        if r.num != r.other:
            w = g.get_edge_data(r.num, r.other, {"weight": 0})["weight"]
            g.add_edge(r.num, r.other, weight=w + r.n)
    if g.number_of_nodes() == 0:
        return None, []
    between = nx.betweenness_centrality(g, normalized=False)
    in_imp = {v for v in g if v not in deals and share.get(v, 0.0) >= cfg.runner_min_importer_share}
    line_phones = (deals & set(g)) | in_imp

    def score(v: str) -> tuple[int, float, float, int]:
        return (
            len(set(g[v]) & line_phones),
            between[v],
            -share.get(v, 0.0),
            int(g.degree(v, weight="weight")),
        )

    cands = [v for v in sorted(g) if v not in deals and share.get(v, 0.0) < 0.5]
    cands = cands or [v for v in sorted(g) if v not in deals]
    if not cands:
        return None, []
    ctrl = max(cands, key=score)
    hubs = {ctrl} | (deals & set(g))
    runners = [
        v
        for v in sorted(in_imp - {ctrl})
        if sum(g[v][h]["weight"] for h in hubs if g.has_edge(v, h)) >= cfg.runner_min_contacts
    ]
    return ctrl, runners


def build_register(data_dir: Path, cfg: LinesConfig | None = None) -> dict[str, Any]:
    cfg = cfg or LinesConfig()
    df, force_of = load(data_dir)
    f = features(df, cfg)
    deals = classify(f, cfg)
    nums = set(deals["num"])

    # burst recipients of the deal numbers: bursts received and texts received per pair
    sms = df[(df["kind"] == "sms") & df["source"].isin(nums)]
    sess = sessions(sms, cfg)
    rc = sess.groupby(["num", "rcpt"]).size().rename("texts_received").to_frame()
    bsess = sess[sess["burst"]]
    rc["bursts_received"] = bsess.groupby(["num", "rcpt"])["sid"].nunique()
    rc = rc.fillna({"bursts_received": 0}).reset_index()
    rc = rc[rc["bursts_received"] > 0]
    nxt = handovers(deals, customer_sets(rc, "num", cfg), cfg)
    has_prev = set(nxt.values())
    order = deals.sort_values(["first_seen", "num"])["num"]
    chains = []
    for n in order:
        if n in has_prev:
            continue
        chain = [n]
        while chain[-1] in nxt:
            chain.append(nxt[chain[-1]])
        chains.append(chain)
    group_of = {n: c[0] for c in chains for n in c}
    line_cust = customer_sets(rc.assign(line=rc["num"].map(group_of)), "line", cfg)

    contacts = pair_counts(df, nums)
    deal_pairs = contacts.groupby(["num", "other"]).size().rename("n").reset_index()
    assoc_all: set[str] = set()
    for c in chains:
        custs = line_cust.get(c[0], set())
        m = deal_pairs[deal_pairs["num"].isin(c) & ~deal_pairs["other"].isin(custs | set(c))]
        s = m.groupby("other")["n"].sum()
        assoc_all |= set(s.index[s >= cfg.runner_min_contacts])
    assoc_n = pair_counts(df, assoc_all).groupby(["num", "other"]).size().rename("n")
    assoc_n = assoc_n.reset_index()
    hood = assoc_all | set(assoc_n.loc[assoc_n["n"] >= cfg.runner_min_contacts, "other"])
    own = pd.concat(
        [
            df.loc[df["source"].isin(hood), ["source", "source_cell"]].set_axis(
                ["num", "cell"], axis=1
            ),
            df.loc[df["target"].isin(hood), ["target", "target_cell"]].set_axis(
                ["num", "cell"], axis=1
            ),
        ]
    ).dropna()
    own["force"] = own["cell"].map(force_of)
    seen = own.dropna(subset=["force"]).groupby(["num", "force"]).size()
    seen_tot = seen.groupby(level="num").sum()

    cust_cells = contacts.dropna(subset=["other_cell"])
    cust_cells = cust_cells.assign(force=cust_cells["other_cell"].map(force_of)).dropna(
        subset=["force"]
    )
    conf = dict(zip(deals["num"], deals["confidence"], strict=True))
    register = []
    for c in chains:
        custs = line_cust.get(c[0], set())
        cc = cust_cells[cust_cells["num"].isin(c) & cust_cells["other"].isin(custs)]
        importer = Counter(cc["force"]).most_common(1)[0][0] if len(cc) else ""
        imp_seen = (
            seen.xs(importer, level="force") if importer and len(seen) else pd.Series(dtype=int)
        )
        share = (imp_seen / seen_tot).reindex(seen_tot.index).fillna(0.0).to_dict()
        ctrl, runners = roles(set(c), custs, deal_pairs, assoc_n, share, cfg)
        register.append(
            {
                "deal_numbers": c,
                "controller": ctrl,
                "runners": runners,
                "customer_count": len(custs),
                "importer_force": importer,
                "confidence": max(conf[n] for n in c),
            }
        )
    return {"lines": register, "deal_numbers": sorted(nums)}
