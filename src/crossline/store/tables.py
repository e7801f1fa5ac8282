"""The store's tables. The published results take their columns from the output specs in
`crossline.model.outputs` (and the intelligence table from the input contract), so a
column is declared once; each row also carries the run that published it.

Derived tables (`line_numbers`, `person_lines`) exist for scoping: a force's view of a
phone or a person is a join on them, not a scan of list-valued text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.model.outputs import OutKind, OutputSpec

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    }
)

_TYPES: dict[OutKind, type[TypeEngine[Any]]] = {
    OutKind.TEXT: Text,
    OutKind.INT: BigInteger,
    OutKind.FLOAT: Float,
    OutKind.LIST: Text,
    OutKind.TIME: Text,
    OutKind.JSON: Text,
}
KEYS = 120  # length of key columns: ids, numbers, forces (indexable on every backend)
RUN_ID = "run_id"


def _published(name: str, spec: OutputSpec, key: tuple[str, ...]) -> Table:
    cols = [
        Column(c.name, String(KEYS), primary_key=True)
        if c.name in key
        else Column(c.name, _TYPES[c.kind]())
        for c in spec.columns
    ]
    return Table(name, metadata, *cols, Column(RUN_ID, Integer, nullable=False))


runs = Table(
    "runs",
    metadata,
    Column(RUN_ID, Integer, primary_key=True, autoincrement=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=False),
    Column("version", String(40), nullable=False),
    Column("config_hash", String(64), nullable=False),
    Column("published_at", DateTime, nullable=False),
)

lines = _published("lines", o.LINE_REGISTER, ("line_id",))
Index(None, lines.c.exporter_force)
Index(None, lines.c.importer_force)

persons = _published("person_records", o.PERSONS, (o.PERSON_ID, s.FORCE, s.RECORD_ID))
Index(None, persons.c[s.FORCE])

phone_links = _published("phone_links", o.PHONE_PERSONS, (s.NUMBER, o.PERSON_ID, "source"))
Index(None, phone_links.c[o.PERSON_ID])

safeguarding = _published("safeguarding", o.SAFEGUARDING, (o.PERSON_ID,))

# every number of a line with its role there (deal, controller, runner) and its place in
# the line's order of use
line_numbers = Table(
    "line_numbers",
    metadata,
    Column("line_id", String(KEYS), primary_key=True),
    Column(s.NUMBER, String(KEYS), primary_key=True),
    Column("role", String(20), primary_key=True),
    Column("position", Integer, nullable=False),
    Column(RUN_ID, Integer, nullable=False),
)
Index(None, line_numbers.c[s.NUMBER])

# which persons are linked to which lines, and how (holder, safeguarding, phone)
person_lines = Table(
    "person_lines",
    metadata,
    Column(o.PERSON_ID, String(KEYS), primary_key=True),
    Column("line_id", String(KEYS), primary_key=True),
    Column("via", String(20), primary_key=True),
    Column(RUN_ID, Integer, nullable=False),
)
Index(None, person_lines.c.line_id)

aliases = Table(
    "id_aliases",
    metadata,
    Column("kind", String(10), primary_key=True),
    Column("alias", String(KEYS), primary_key=True),
    Column("id", String(KEYS), nullable=False),
    Column("since", Text),
    Column(RUN_ID, Integer, nullable=False),
)

# the ingested intelligence as the contract declares it; `subject_key` is the subject in
# the form the other tables use (E.164 for a phone)
intelligence = Table(
    "intelligence",
    metadata,
    *(
        Column(c.name, String(KEYS), primary_key=True)
        if c.name in s.INTELLIGENCE.key
        else Column(c.name, Text)
        for c in s.INTELLIGENCE.columns
    ),
    Column("subject_key", String(KEYS)),
    Column(RUN_ID, Integer, nullable=False),
)
Index(None, intelligence.c.subject_key)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("force", String(KEYS), nullable=False),
    Column("role", String(32), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime),
    Column("created_at", DateTime, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("operation", String(20), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("username", String(64), nullable=False),
    Column("force", String(KEYS), nullable=False),
    Column("client", String(64), nullable=False),
    Column("entity_kind", String(20), nullable=False),
    Column("entity_id", Text, nullable=False),
    Column("justification", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # how `hash` was computed: 1 over the whole entry, 2 chaining its fields' digest (v0005)
    Column("digest", SmallInteger, nullable=False, server_default="1"),
)
Index(None, audit_log.c.username)
Index(None, audit_log.c.entity_kind, audit_log.c.entity_id)
Index(None, audit_log.c.at)

PUBLISHED: tuple[Table, ...] = (
    lines,
    line_numbers,
    persons,
    person_lines,
    phone_links,
    safeguarding,
    aliases,
    intelligence,
)

# the acting-together tables share this metadata (declared in their own module)
from crossline.store import tables_act  # noqa: E402, F401
