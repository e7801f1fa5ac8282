"""A person reported missing whose phone is in touch with a line's deal phone or
controller during or near the episode: a line calling a child who has just gone missing is
how a trip begins, even when the phone is never placed in the importer area (a phone
seldom used, or served by no recorded cell). Most of the phone's contact with the line
must fall in its episodes: a friend or relative of the holder talks to him missing or not,
so the contact must come with the episodes, not merely fall in them."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from crossline.analyse.contacts import contacts_between
from crossline.analyse.safeguard.findings import Finding
from crossline.analyse.safeguard.people import Context, line_numbers, owners
from crossline.model.evidence import Factor
from crossline.model.vocab import SafeguardReason

NAME = "missing, in touch"


def rule(ctx: Context) -> list[Finding]:
    line_of = line_numbers(ctx.lines)
    if not line_of or not ctx.windows:
        return []
    windows: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for pid, _, t0, t1 in ctx.windows:
        windows[pid].append((t0, t1))
    owner = owners(ctx.phones, windows, exclude=set(line_of))
    # a line's customers call its deal phone every day, missing or not: only a phone that
    # is not one of the line's customers counts (and any phone the controller calls)
    controllers = {ln.controller for ln in ctx.lines if ln.controller}
    customers = {ln.line_id: set(ln.customers) for ln in ctx.lines}
    out: list[Finding] = []
    for r in contacts_between(ctx.engine, sorted(owner), sorted(line_of)).to_pylist():
        linked = {
            lid
            for lid in line_of[r["other"]]
            if r["other"] in controllers or r["num"] not in customers[lid]
        }
        if not linked:
            continue
        for pid in owner[r["num"]]:
            inside = sum(any(t0 <= t <= t1 for t0, t1 in windows[pid]) for t in r["times"])
            if inside and inside >= len(r["times"]) - inside:
                factor = Factor(
                    "contacts_while_missing",
                    inside,
                    f"{inside} of {len(r['times'])} contacts between their phone {r['num']} "
                    f"and the line's phone {r['other']} fell during or near a missing "
                    "episode",
                    threshold=len(r["times"]) - inside,
                    subject=r["other"],
                )
                out.append(
                    Finding(
                        NAME,
                        pid,
                        SafeguardReason.MISSING_EPISODE_LINKED.value,
                        frozenset(linked),
                        (factor,),
                    )
                )
    return out
