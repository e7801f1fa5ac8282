"""Where a line is run from, from the address its controller's number is registered at.

The last resort for the exporter, after the controller's cells (build) and the holders'
nominal records (attribution.exporter_from_holders): a provider's subscriber record
gives the controller number's registered address and postcode. A pay-as-you-go deal
phone is seldom registered, or registered falsely; a controller's own phone often is, to
where he lives. Which force area an address lies in is read from the forces' own records,
not a gazetteer (none ships): the force that holds most nominal records with the same
postcode district (outward code), or else the same post town, when it holds a clear
majority of at least `MIN_RECORDS` of them. The claim is marked weak in its evidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pyarrow as pa

from crossline.analyse.lines.attribution import modal, scope
from crossline.engine.base import Engine
from crossline.engine.dialect import quote as q
from crossline.model import evidence as ev
from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.model.evidence import Factor

MIN_RECORDS = 3  # nominal records of a district or town before its force is read from them

_PC = "upper(replace({x}, ' ', ''))"
_TOWN = "lower(trim(regexp_extract({x}, '([^,]+)$', 1)))"


def _district(pc: str) -> str:
    return pc[:-3] if len(pc) >= 5 else ""


def record_areas(engine: Engine) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """Per postcode district and per post town, how many nominal records each force holds."""
    pc, town = _PC.format(x=q(s.POSTCODE)), _TOWN.format(x=q(s.ADDRESS))
    rows = engine.query(
        f"""
        SELECT {q(s.FORCE)} AS force, {pc} AS pc,
               CASE WHEN {q(s.ADDRESS)} LIKE '%,%' THEN {town} END AS town, count(*) AS n
        FROM {s.NOMINALS.name}
        GROUP BY 1, 2, 3
        """
    ).to_pylist()
    by_district: dict[str, Counter[str]] = defaultdict(Counter)
    by_town: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        if r["pc"] and _district(str(r["pc"])):
            by_district[_district(str(r["pc"]))][str(r["force"])] += int(r["n"])
        if r["town"]:
            by_town[str(r["town"])][str(r["force"])] += int(r["n"])
    return by_district, by_town


def registrations(engine: Engine, numbers: list[str]) -> dict[str, tuple[str, str]]:
    """number -> (postcode district, post town) of its registration, where one is given."""
    listed = ", ".join("'" + n.replace("'", "") + "'" for n in numbers)
    pc, town = _PC.format(x=q(s.POSTCODE)), _TOWN.format(x=q(s.REGISTERED_ADDRESS))
    rows = engine.query(
        f"""
        SELECT {q(s.NUMBER)} AS number, {pc} AS pc,
               CASE WHEN {q(s.REGISTERED_ADDRESS)} LIKE '%,%' THEN {town} END AS town
        FROM {s.SUBSCRIBERS.name} WHERE {q(s.NUMBER)} IN ({listed})
        """
    ).to_pylist()
    return {str(r["number"]): (_district(str(r["pc"] or "")), str(r["town"] or "")) for r in rows}


def exporter_from_registration(engine: Engine, register: pa.Table) -> pa.Table:
    """The register with the exporter filled, where nothing else located the line, from
    the force area of the controller number's registered address."""
    rows = register.to_pylist()
    todo = [r for r in rows if not r["exporter_force"] and r["controller_number"]]
    if not todo or not all(engine.has_table(x.name) for x in (s.SUBSCRIBERS, s.NOMINALS)):
        return register
    regs = registrations(engine, sorted({str(r["controller_number"]) for r in todo}))
    if not regs:
        return register
    areas = record_areas(engine)
    for row in todo:
        place = registered_area(regs.get(str(row["controller_number"]), ("", "")), areas)
        if place is not None:
            _claim(row, *place)
    return pa.Table.from_pylist(rows, schema=register.schema)


Areas = tuple[dict[str, Counter[str]], dict[str, Counter[str]]]


def registered_area(
    reg: tuple[str, str], areas: Areas
) -> tuple[str, float, str, str, Counter[str]] | None:
    """(force, share, kind, key, counts): the force area a registration (postcode
    district, post town) lies in, by the postcode district first, else the town, when the
    force holds a clear majority of at least MIN_RECORDS nominal records there."""
    by_district, by_town = areas
    district, town = reg
    for kind, key, counts in (
        ("postcode district", district, by_district.get(district)),
        ("town", town, by_town.get(town)),
    ):
        if not key or not counts or sum(counts.values()) < MIN_RECORDS:
            continue
        area = modal(counts)
        if area.share > 0.5:
            return area.force, area.share, kind, key, counts
    return None


def _claim(
    row: dict[str, object], force: str, share: float, kind: str, key: str, counts: Counter[str]
) -> None:
    text = (
        f"no cell locates the controller and no holder's records say where; its number is "
        f"registered in {kind} {key.upper() if kind.startswith('postcode') else key.title()}, "
        f"where {force} holds {counts[force]} of {sum(counts.values())} nominal records: "
        "run from there (weak: a registration may be false)"
    )
    row["exporter_force"] = force
    row["line_scope"] = scope(force, str(row["importer_force"] or ""))
    factors = ev.from_json(str(row[o.EVIDENCE_FACTORS.name]))
    factors.append(Factor("exporter_from_registration", round(share, 4), text, subject=force))
    row[o.EVIDENCE_FACTORS.name] = ev.to_json(factors)
    row["evidence"] = f"{row['evidence']}; {text}" if row["evidence"] else text
