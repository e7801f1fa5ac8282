"""Which force areas a line runs between: the importer is where its customers are served
(the modal force area of the customer contacts' cells), the exporter where its controller
is (the modal force area of the controller's own cells). Each comes with its share, so an
officer sees how clear-cut the attribution is, and says so when the data cannot locate
either end."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import pyarrow as pa

from crossline.analyse.contacts import own_cells
from crossline.analyse.lines.roles import Pair
from crossline.engine.base import Engine
from crossline.model import evidence as ev
from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.model.evidence import Factor


@dataclass(frozen=True)
class Area:
    force: str  # "" when not known
    share: float  # of the located contacts that point there


def modal(counter: Counter[str]) -> Area:
    if not counter:
        return Area("", 0.0)
    (top, n), total = counter.most_common(1)[0], sum(counter.values())
    return Area(top, n / total)


def importer(deal_pairs: list[Pair], customers: set[str]) -> Area:
    """The modal force area of the line's customers' contacts with its deal numbers."""
    forces: Counter[str] = Counter()
    for p in deal_pairs:
        if p.other in customers:
            for force, n in p.other_forces.items():
                forces[force] += n
    return modal(forces)


def sightings(
    engine: Engine, numbers: set[str], force_of: dict[str, str], comms: str
) -> dict[str, Counter[str]]:
    """number -> how often each force area's cells served it."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    if not numbers:
        return seen
    for r in own_cells(engine, sorted(numbers), comms).to_pylist():
        f = force_of.get(r["cell"])
        if f:
            seen[r["num"]][f] += r["n"]
    return seen


def exporter(
    seen: dict[str, Counter[str]], controller: str | None, deals: set[str], importer: Area
) -> Area:
    """Where the line is run from: where its controller is served; without a controller
    in the data, where the deal phone is served when that is away from its customers (the
    holder keeps it in his own area and relays orders). A deal phone served where its
    customers are may be a runner's in a county line or the dealer's in a local one: the
    data cannot say, and the exporter stays empty."""
    if controller:
        return modal(seen[controller])
    at: Counter[str] = Counter()
    for d in deals:
        at.update(seen.get(d, Counter()))
    area = modal(at)
    if area.force and area.force != importer.force and area.share >= 0.5:
        return Area(area.force, area.share)
    return Area("", 0.0)


def shares_in(seen: dict[str, Counter[str]], force: str, numbers: set[str]) -> dict[str, float]:
    """number -> the share of its located records in `force`, for the numbers some record
    locates. A number no cell places (cells.csv withheld, its network supplied nothing) is
    left out: where it is is unknown, not outside the area; read as 0.0 it made every
    controller "located away from the importer area", and roles then went by location
    that no record gave (no runner named on 22 of 30 lines of a world without cells)."""
    out: dict[str, float] = {}
    for v in numbers:
        total = sum(seen[v].values()) if v in seen else 0
        if total:
            out[v] = seen[v][force] / total
    return out


def importer_text(area: Area) -> str | None:
    return f"{area.share:.0%} of customer contacts in {area.force}" if area.force else None


def exporter_text(exporter: Area, importer: Area) -> str | None:
    if exporter.force and exporter.force != importer.force:
        return f"controller operates from {exporter.force} ({exporter.share:.0%})"
    return None


def factors(importer: Area, exporter: Area) -> list[Factor]:
    return [
        Factor(
            "importer_concentration",
            round(importer.share, 4),
            f"{importer.share:.0%} of customer contacts in {importer.force}"
            if importer.force
            else "no customer contact is located: the importer area is not known",
            subject=importer.force or None,
        ),
        Factor(
            "exporter_concentration",
            round(exporter.share, 4),
            f"controller operates from {exporter.force} ({exporter.share:.0%} of its located "
            "records)"
            if exporter.force
            else "the controller is not located: the exporter area is not known",
            subject=exporter.force or None,
        ),
    ]


def scope(exporter: str, importer: str) -> str:
    """county: run across a force boundary; local: sold where it is run; empty when either
    end is not known (the data cannot say)."""
    if not exporter or not importer:
        return ""
    return "local" if exporter == importer else "county"


class Known(Protocol):
    """A resolved person as far as this needs: which forces' records they are on."""

    records: set[tuple[str, str]]


def exporter_from_holders(register: pa.Table, people: Mapping[str, Known]) -> pa.Table:
    """Where a line is run from when no cell locates its controller (a network that
    supplied nothing, records without a cell): the force that holds most of its named
    holders' nominal records, when one holds a clear majority. A holder is known to the
    police where he lives and offends; a county holder arrested once in the town he
    supplies has records in both forces, and then no majority and no claim. Lines whose
    controller a cell locates, or with no named holder, are left as they are."""
    rows = register.to_pylist()
    for row in rows:
        holders = [p for p in str(row["holder_nominal_ids"] or "").split(s.LIST_SEP) if p]
        if row["exporter_force"] or not holders:
            continue
        forces = Counter(f for pid in holders if pid in people for f, _ in people[pid].records)
        area = modal(forces)
        if not area.force or area.share <= 0.5:
            continue
        n, total = forces[area.force], sum(forces.values())
        text = (
            f"the controller is not located by any cell; {area.force} holds {n} of the "
            f"{total} nominal record(s) of the line's holder: run from there"
        )
        row["exporter_force"] = area.force
        row["line_scope"] = scope(area.force, str(row["importer_force"] or ""))
        factors = ev.from_json(row[o.EVIDENCE_FACTORS.name])
        factors.append(
            Factor("exporter_from_holder_records", round(area.share, 4), text, subject=area.force)
        )
        row[o.EVIDENCE_FACTORS.name] = ev.to_json(factors)
        row["evidence"] = f"{row['evidence']}; {text}" if row["evidence"] else text
    return pa.Table.from_pylist(rows, schema=register.schema)
