"""The API's response shapes, for OpenAPI and for response validation. Published rows
are modelled from the output specs in `crossline.model.outputs` (the columns are declared
there, once); the shapes around them are declared here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema, create_model

from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.model.outputs import OutKind, OutputSpec

_PY: dict[OutKind, Any] = {
    OutKind.TEXT: str | None,
    OutKind.INT: int | None,
    OutKind.FLOAT: float | None,
    OutKind.LIST: list[str],
    OutKind.TIME: str | None,
    OutKind.JSON: list[dict[str, Any]],
}


def model_of(
    name: str, spec: OutputSpec, without: frozenset[str] = frozenset(), **extra: Any
) -> type[BaseModel]:
    fields: dict[str, Any] = {
        c.name: (_PY[c.kind], Field(description=c.doc))
        for c in spec.columns
        if c.name not in without
    }
    fields["run_id"] = (int, Field(description="the run that published it"))
    fields.update(extra)
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


def _utc(t: datetime) -> str:
    return (t if t.tzinfo else t.replace(tzinfo=UTC)).isoformat().replace("+00:00", "Z")


# the store keeps naive UTC; the API says so (RFC 3339, with Z)
UtcTime = Annotated[
    datetime,
    PlainSerializer(_utc, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class Error(BaseModel):
    detail: str | list[dict[str, Any]]


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class Health(BaseModel):
    status: str
    database: str
    run_id: int | None


class NumberRole(BaseModel):
    number: str
    role: str
    position: int


class LinkedPerson(BaseModel):
    person_id: str
    links: list[str]


class LinkedLine(BaseModel):
    line_id: str
    links: list[str]


class LineRole(BaseModel):
    line_id: str
    role: str


class Provenance(BaseModel):
    run_id: int
    started_at: UtcTime
    finished_at: UtcTime
    version: str
    config_hash: str
    published_at: UtcTime


# a list of lines carries every register column but the evidence (some 5 kB a line, most of
# a list's weight); the safeguarding flags stay, so no list shows a child only as a runner
Line = model_of("Line", o.LINE_REGISTER, without=o.LINE_LIST_OMITS)
LineDetail = model_of(
    "LineDetail",
    o.LINE_REGISTER,
    numbers=(list[NumberRole], Field(description="every number, in order of use")),
    persons=(list[LinkedPerson], Field(description="persons in scope linked to the line")),
    aliases=(list[str], Field(description="retired ids that resolve to this line")),
    provenance=(Provenance | None, Field(description="the run the store holds")),
    tasking=(
        dict[str, Any],
        Field(description="lead and supporting forces, status, and every change"),
    ),
)
PersonRecord = model_of("PersonRecord", o.PERSONS)
PhoneLink = model_of("PhoneLink", o.PHONE_PERSONS)
Safeguarding = model_of(
    "Safeguarding",
    o.SAFEGUARDING,
    records_elsewhere=(
        int | None,
        Field(None, description="records held by other forces (their names withheld)"),
    ),
)


class Person(BaseModel):
    person_id: str
    records: list[PersonRecord]  # type: ignore[valid-type]
    records_elsewhere: int
    phones: list[PhoneLink]  # type: ignore[valid-type]
    lines: list[LinkedLine]
    flags: list[str]
    safeguarding: Safeguarding | None  # type: ignore[valid-type]
    aliases: list[str]


class Phone(BaseModel):
    number: str
    lines: list[LineRole]
    persons: list[PhoneLink]  # type: ignore[valid-type]


Intelligence = create_model(
    "Intelligence",
    **{c.name: (str | None, None) for c in s.INTELLIGENCE.columns},  # type: ignore[call-overload]
)


class AuditEntry(BaseModel):
    seq: int
    at: UtcTime
    operation: str
    outcome: str
    username: str
    force: str
    client: str
    entity_kind: str
    entity_id: str
    justification: str
    detail: str
    prev_hash: str
    hash: str


def page_of(name: str, item: type[BaseModel]) -> type[BaseModel]:
    return create_model(name, items=(list[item], ...), total=(int, ...))  # type: ignore[valid-type]


LinePage = page_of("LinePage", Line)
SafeguardingPage = page_of("SafeguardingPage", Safeguarding)
IntelligencePage = page_of("IntelligencePage", Intelligence)
AuditPage = page_of("AuditPage", AuditEntry)
