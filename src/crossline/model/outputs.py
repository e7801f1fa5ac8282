"""The analyses' outputs, declared once: each result table's columns with their kinds,
which of them the data contract exports (docs/data-contract.md, "Exports"), and how the
store orders them. The analyses build their tables from these specs, the exports write
them, and the tests hold both to docs/data-contract.md.

Stored tables carry more than the contract exports: the evidence as factors (JSON) and the
register's safeguarding flags, which the API and the UI read as data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from crossline.model import schema as s


class OutKind(StrEnum):
    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    LIST = "list"  # values joined with schema.LIST_SEP
    TIME = "time"  # ISO 8601 UTC text
    JSON = "json"  # structured data as JSON text (evidence factors, flags)


@dataclass(frozen=True)
class OutColumn:
    name: str
    kind: OutKind
    doc: str
    exported: bool = True  # False: kept in the store, not in the contract's CSV


@dataclass(frozen=True)
class OutputSpec:
    name: str  # what `crossline export NAME` calls it
    table: str  # the store's table
    file: str  # the contract's file name
    doc: str
    columns: tuple[OutColumn, ...]
    order_by: tuple[str, ...]  # how the store reads it back (`-name`: descending)

    @property
    def export_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.exported)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def order_sql(self) -> str:
        """ORDER BY terms in the house dialect (identifiers quoted)."""
        return ", ".join(
            f'"{c[1:]}" DESC' if c.startswith("-") else f'"{c}"' for c in self.order_by
        )

    def kind(self, name: str) -> OutKind:
        return next(c.kind for c in self.columns if c.name == name)


TXT, INT, FLT, LST, TIM, JSN = (
    OutKind.TEXT, OutKind.INT, OutKind.FLOAT, OutKind.LIST, OutKind.TIME, OutKind.JSON
)  # fmt: skip

EVIDENCE_FACTORS = OutColumn(
    "evidence_factors", JSN, "the evidence as typed factors (name, value, threshold, text)", False
)
PERSON_ID = "person_id"

LINE_REGISTER = OutputSpec(
    name="lines",
    table="line_register",
    file="lines.csv",
    doc="one row per detected county line",
    columns=(
        OutColumn("line_id", TXT, "stable id"),
        OutColumn("deal_numbers", LST, "numbers, in order of use"),
        OutColumn("first_seen", TIM, "start of the activity window"),
        OutColumn("last_seen", TIM, "end of the activity window"),
        OutColumn("controller_number", TXT, "the number judged to control the line"),
        OutColumn("holder_nominal_ids", LST, "resolved person ids believed to hold the line"),
        OutColumn("runner_numbers", LST, "numbers judged to be runners' phones"),
        OutColumn("customer_count", INT, "distinct customers over the window"),
        OutColumn("exporter_force", TXT, "force area the line is run from"),
        OutColumn("importer_force", TXT, "force area where the drugs are sold"),
        OutColumn("line_scope", TXT, "county or local"),
        OutColumn("thr_score", FLT, "threat, harm and risk score, 0-100"),
        OutColumn("priority_rank", INT, "1 = act first"),
        OutColumn("confidence", FLT, "0-1 that this is a county line"),
        OutColumn("evidence", TXT, "short human-readable reasons"),
        EVIDENCE_FACTORS,
        OutColumn(
            "safeguarding_flags",
            JSN,
            "runners to safeguard: number, person_id, flag, referral",
            False,
        ),
    ),
    order_by=("priority_rank", "-confidence", "line_id"),
)

PERSONS = OutputSpec(
    name="persons",
    table="persons",
    file="persons.csv",
    doc="one row per input nominal record",
    columns=(
        OutColumn(PERSON_ID, TXT, "the resolved person"),
        OutColumn(s.FORCE, TXT, "force holding the record"),
        OutColumn(s.RECORD_ID, TXT, "the record's id in that force"),
        OutColumn("match_probability", FLT, "strongest link to the rest of its person"),
        EVIDENCE_FACTORS,
    ),
    order_by=(PERSON_ID, s.FORCE, s.RECORD_ID),
)

SAFEGUARDING = OutputSpec(
    name="safeguarding",
    table="safeguarding",
    file="safeguarding.csv",
    doc="one row per person to safeguard",
    columns=(
        OutColumn(PERSON_ID, TXT, "the resolved person"),
        OutColumn("age_at_last_event", INT, "age at the last event seen"),
        OutColumn("reasons", LST, "why they are listed"),
        OutColumn("line_ids", LST, "the lines they are listed against"),
        OutColumn("forces", LST, "forces holding a record of them"),
        OutColumn("record_ids", LST, "force:record_id of each of their records, to find them by"),
        OutColumn("recommended_referral", TXT, "nrm, statutory_safeguarding or both"),
        OutColumn("support", TXT, "strong, or weak: a lead to check before acting"),
        EVIDENCE_FACTORS,
    ),
    order_by=(PERSON_ID,),
)

PHONE_PERSONS = OutputSpec(
    name="phone_persons",
    table="phone_persons",
    file="phone_persons.csv",
    doc="which resolved persons use which numbers, and on what records",
    columns=(
        OutColumn(s.NUMBER, TXT, "the number, E.164"),
        OutColumn(PERSON_ID, TXT, "the person using it"),
        OutColumn("source", TXT, "nominal, event or subscriber"),
        OutColumn("evidence", TXT, "the records behind the link"),
        EVIDENCE_FACTORS,
    ),
    order_by=(s.NUMBER, PERSON_ID, "source"),
)

TARGETS = OutputSpec(
    name="targets",
    table="targets",
    file="targets.csv",
    doc="whom to target first, and the children to safeguard instead",
    columns=(
        OutColumn("rank", INT, "1 = act first; empty for a person to safeguard"),
        OutColumn("entity", TXT, "a resolved person id, or a phone on no one's record"),
        OutColumn("kind", TXT, "person, phone, or safeguard (a child: never a target)"),
        OutColumn("line_ids", LST, "the lines the entity works for"),
        OutColumn("expected_effect", FLT, "share of the lines' customers cut from a controller"),
        OutColumn("reasons", TXT, "what the entity does and what removing it does"),
    ),
    order_by=("rank", "entity"),
)

SUPPLY = OutputSpec(
    name="supply",
    table="supply",
    file="supply.csv",
    doc="one row per line and day it took orders (Atha, EWJ 62, 2025)",
    columns=(
        OutColumn("line_id", TXT, "the line"),
        OutColumn("day", TXT, "the day, YYYY-MM-DD, London time"),
        OutColumn(
            "potential_transactions", INT, "distinct bulk-text recipients who contacted the line"
        ),
        OutColumn(
            "confirmed_transactions",
            INT,
            "of those, contacted back by the line or a runner within the window that day",
        ),
        OutColumn("confirm_window_s", INT, "the window, in seconds"),
        EVIDENCE_FACTORS,
    ),
    order_by=("line_id", "day"),
)

# what a list of lines leaves to each line's own detail: its evidence, prose and factors
LINE_LIST_OMITS = frozenset({"evidence", EVIDENCE_FACTORS.name})

RISK = OutputSpec(
    name="risk",
    table="risk",
    file="risk.csv",
    doc="one row per line and risk component (MoRiLE-style), with its rationale",
    columns=(
        OutColumn("line_id", TXT, "the line"),
        OutColumn("component", TXT, "harm, supply, likelihood, reach or organisation"),
        OutColumn("score", FLT, "points added (multiplier for likelihood)"),
        OutColumn("rationale", TXT, "the component's reasons, as an officer reads them"),
        OutColumn("weights_version", TXT, "the weights that made the score"),
        EVIDENCE_FACTORS,
    ),
    order_by=("line_id", "component"),
)

# every stored result, by name
RESULTS: dict[str, OutputSpec] = {
    o.name: o for o in (LINE_REGISTER, PERSONS, SAFEGUARDING, PHONE_PERSONS, SUPPLY, RISK, TARGETS)
}
# the contract's exports, by the name `crossline export` takes
EXPORTS: dict[str, OutputSpec] = {
    o.name: o for o in (LINE_REGISTER, PERSONS, SAFEGUARDING, SUPPLY, TARGETS)
}
