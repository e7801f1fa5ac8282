"""Every analysis built so far, in dependency order, as one pure call.

The faces (CLI, later the API) store and show what this returns; nothing here writes.
Stable identities are the run service's business (they need the workspace's memory of
earlier runs), so it hands in hooks that rename lines and persons as soon as they are
built: every later analysis, and the evidence it writes, then names the stable ids."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import pyarrow as pa

from crossline.analyse.contacts import cell_force_map
from crossline.analyse.disrupt.targets import Targeting, targeting
from crossline.analyse.events import EVENTS, DataQuality, comms_events
from crossline.analyse.lines.attribution import exporter_from_holders
from crossline.analyse.lines.build import Line, build_lines, register_table
from crossline.analyse.lines.config import LinesConfig
from crossline.analyse.lines.registration import exporter_from_registration
from crossline.analyse.persons.config import PersonsConfig
from crossline.analyse.persons.phones import phone_persons
from crossline.analyse.persons.resolve import resolve_persons
from crossline.analyse.risk import RiskConfig, assess
from crossline.analyse.safeguard import safeguarding, with_safeguarding
from crossline.analyse.safeguard.config import SafeguardingConfig
from crossline.analyse.safeguard.people import load_people
from crossline.analyse.supply import SupplyConfig, supply
from crossline.analyse.supply.transactions import supply_table
from crossline.engine.base import Engine

Step = Callable[[str], None]  # told the name of each step as it starts

STEPS = (
    "line register",
    "persons",
    "phones to persons",
    "safeguarding",
    "supply",
    "risk",
    "targets",
)


class IdentityHooks(Protocol):
    """Renames what an analysis found to the ids the workspace already knows it by."""

    def lines(self, lines: list[Line]) -> list[Line]: ...

    def persons(self, persons: pa.Table) -> pa.Table: ...


@dataclass
class Results:
    lines: list[Line]
    register: pa.Table  # lines.csv columns, holders filled, child runners flagged
    persons: pa.Table  # persons.csv columns
    phone_persons: pa.Table  # number, person_id, source, evidence
    safeguarding: pa.Table  # safeguarding.csv columns
    supply: pa.Table  # supply.csv columns: per line and day
    risk: pa.Table  # per line and risk component, with rationale and weights version
    targets: Targeting  # whom to target first (children to safeguard instead)
    data_quality: DataQuality | None = None  # what the delivery held and lacked


def _register_order(line: Line) -> tuple[float, int, str]:
    # build_lines' own order; ties fall to the id, so a renamed line sorts by its new id
    return (-line.confidence, -len(line.customers), line.line_id)


def run_all(
    engine: Engine,
    step: Step | None = None,
    lines_cfg: LinesConfig | None = None,
    persons_cfg: PersonsConfig | None = None,
    safeguard_cfg: SafeguardingConfig | None = None,
    ids: IdentityHooks | None = None,
    supply_cfg: SupplyConfig | None = None,
    risk_cfg: RiskConfig | None = None,
) -> Results:
    say = step or (lambda _name: None)
    say(STEPS[0])
    window = (lines_cfg or LinesConfig()).duplicate_window_s
    with comms_events(engine, window) as quality:
        lines = build_lines(engine, lines_cfg, EVENTS)
    if ids is not None:
        lines = sorted(ids.lines(lines), key=_register_order)
    say(STEPS[1])
    persons = resolve_persons(engine, persons_cfg)
    if ids is not None:
        persons = ids.persons(persons)
    say(STEPS[2])
    phones = phone_persons(engine, persons)
    say(STEPS[3])
    known = load_people(engine, persons)  # read once: the list and the register's holders
    listed = safeguarding(engine, lines, persons, phones, cfg=safeguard_cfg, known=known)
    register = with_safeguarding(register_table(lines), listed, phones, known[0])
    register = exporter_from_holders(register, known[0])
    register = exporter_from_registration(engine, register)
    say(STEPS[4])
    sold = supply(engine, lines, cell_force_map(engine) if lines else {}, supply_cfg)
    say(STEPS[5])
    register, risk = assess(engine, register, listed, persons, phones, sold, risk_cfg, supply_cfg)
    say(STEPS[6])
    targets = targeting(lines, phones, listed)
    return Results(
        lines,
        register,
        persons,
        phones,
        listed,
        supply_table(sold, supply_cfg),
        risk,
        targets,
        quality,
    )
