"""The data contract's files and columns, declared once as data.

Ingest validators, store tables, the simulator's writers and the exports all iterate over
these declarations instead of naming columns themselves (the followthemoney habit: the
schema is data, behaviour is derived from it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from crossline.model import vocab


class Kind(StrEnum):
    """How a column's raw text is cleaned and checked."""

    TEXT = "text"  # stored verbatim, surrounding whitespace of names trimmed
    NAME = "name"  # a person's name: trimmed, inner whitespace collapsed
    PHONE = "phone"  # one number, stored as E.164
    # one number, stored as the digits of its E.164 form in a 64-bit integer: the comms
    # table's two hot columns, which integer keys group, sort, join and store about twice
    # as fast as text (see number_key / number_text)
    PHONE_DIGITS = "phone_digits"
    PHONES = "phones"  # ';'-separated numbers, each stored as E.164
    TIME = "time"  # ISO 8601; naive = Europe/London; stored as UTC
    DATE = "date"  # YYYY-MM-DD
    PARTIAL_DATE = "partial_date"  # YYYY, YYYY-MM or YYYY-MM-DD
    INT = "int"
    DURATION = "duration"  # seconds, or MM:SS / HH:MM:SS; stored as whole seconds
    FLOAT = "float"
    LAT = "lat"
    LON = "lon"
    ENUM = "enum"  # one of Column.values
    FLAGS = "flags"  # ';'-separated members of Column.values
    FORCE = "force"  # a force_id of forces.csv


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    values: tuple[str, ...] = ()
    non_negative: bool = False
    # other words for `values` (lower-case word -> value), e.g. `male` for `M`
    words: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FileSpec:
    """One contract file. `key` is the identity used for idempotent reloads."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    doc: str = ""
    # groups of optional columns of which a row needs at least one (a nominal's names)
    one_of: tuple[tuple[str, ...], ...] = ()

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def number_key(e164: str) -> int:
    """A stored PHONE_DIGITS value: an E.164 number ('+' and at most 15 digits, the first
    not 0) without its '+', which loses nothing."""
    return int(e164[1:])


def number_text(key: int) -> str:
    """The E.164 form of a stored PHONE_DIGITS value."""
    return f"+{key}"


def _values(e: type[StrEnum]) -> tuple[str, ...]:
    return tuple(m.value for m in e)


def _words(words: dict[str, vocab.Sex]) -> tuple[tuple[str, str], ...]:
    return tuple((w, v.value) for w, v in words.items())


# Column names. Each contract column name is spelled here and nowhere else.
RECORD_ID = "record_id"
START_TIME = "start_time"
SOURCE = "source"
TARGET = "target"
KIND = "kind"
DURATION_S = "duration_s"
SOURCE_CELL = "source_cell"
TARGET_CELL = "target_cell"
PROVIDER = "provider"
CELL_ID = "cell_id"
LAT = "lat"
LON = "lon"
AZIMUTH = "azimuth"
NUMBER = "number"
IMEI = "imei"
IMSI = "imsi"
REGISTERED_NAME = "registered_name"
REGISTERED_ADDRESS = "registered_address"
POSTCODE = "postcode"
ACTIVATED_ON = "activated_on"
FORCE = "force"
FAMILY_NAME = "family_name"
GIVEN_NAMES = "given_names"
DATE_OF_BIRTH = "date_of_birth"
SEX = "sex"
ADDRESS = "address"
PHONE_NUMBERS = "phone_numbers"
FLAGS = "flags"
EVENT_ID = "event_id"
EVENT_TYPE = "event_type"
OCCURRED_AT = "occurred_at"
NOMINAL_RECORD_ID = "nominal_record_id"
PHONE_NUMBER = "phone_number"
VALUE_GBP = "value_gbp"
QUANTITY = "quantity"
DETAIL = "detail"
INTEL_ID = "intel_id"
SUBMITTED_AT = "submitted_at"
SUBJECT_KIND = "subject_kind"
SUBJECT_REF = "subject_ref"
TEXT = "text"
SOURCE_EVALUATION = "source_evaluation"
INTELLIGENCE_ASSESSMENT = "intelligence_assessment"
HANDLING_CODE = "handling_code"
HANDLING_CONDITIONS = "handling_conditions"

# Providers are optional in comms; rows without one share this key space.
UNKNOWN_PROVIDER = ""

COMMS = FileSpec(
    name="comms",
    doc="communications events (call data records, message logs, handset downloads)",
    key=(PROVIDER, RECORD_ID),
    columns=(
        Column(RECORD_ID, Kind.TEXT, required=True),
        Column(START_TIME, Kind.TIME, required=True),
        Column(SOURCE, Kind.PHONE_DIGITS, required=True),
        Column(TARGET, Kind.PHONE_DIGITS, required=True),
        Column(KIND, Kind.ENUM, required=True, values=_values(vocab.CommsKind)),
        Column(DURATION_S, Kind.DURATION, non_negative=True),
        Column(SOURCE_CELL, Kind.TEXT),
        Column(TARGET_CELL, Kind.TEXT),
        Column(PROVIDER, Kind.TEXT),
    ),
)

CELLS = FileSpec(
    name="cells",
    doc="cell sites",
    key=(CELL_ID,),
    columns=(
        Column(CELL_ID, Kind.TEXT, required=True),
        Column(LAT, Kind.LAT, required=True),
        Column(LON, Kind.LON, required=True),
        Column(AZIMUTH, Kind.FLOAT),
    ),
)

SUBSCRIBERS = FileSpec(
    name="subscribers",
    doc="what is known of a number",
    key=(NUMBER,),
    columns=(
        Column(NUMBER, Kind.PHONE, required=True),
        Column(IMEI, Kind.TEXT),
        Column(IMSI, Kind.TEXT),
        Column(REGISTERED_NAME, Kind.NAME),
        Column(REGISTERED_ADDRESS, Kind.TEXT),
        Column(POSTCODE, Kind.TEXT),
        Column(ACTIVATED_ON, Kind.DATE),
    ),
)

NOMINALS = FileSpec(
    name="nominals",
    doc="person records held by a force",
    key=(FORCE, RECORD_ID),
    one_of=((FAMILY_NAME, GIVEN_NAMES),),
    columns=(
        Column(RECORD_ID, Kind.TEXT, required=True),
        Column(FORCE, Kind.FORCE, required=True),
        Column(FAMILY_NAME, Kind.NAME),
        Column(GIVEN_NAMES, Kind.NAME),
        Column(DATE_OF_BIRTH, Kind.PARTIAL_DATE),
        Column(SEX, Kind.ENUM, values=_values(vocab.Sex), words=_words(vocab.SEX_WORDS)),
        Column(ADDRESS, Kind.TEXT),
        Column(POSTCODE, Kind.TEXT),
        Column(PHONE_NUMBERS, Kind.PHONES),
        Column(FLAGS, Kind.FLAGS, values=_values(vocab.NominalFlag)),
    ),
)

EVENTS = FileSpec(
    name="events",
    doc="things that happened, recorded by a force",
    key=(FORCE, EVENT_ID),
    columns=(
        Column(EVENT_ID, Kind.TEXT, required=True),
        Column(FORCE, Kind.FORCE, required=True),
        Column(EVENT_TYPE, Kind.ENUM, required=True, values=_values(vocab.EventType)),
        Column(OCCURRED_AT, Kind.TIME, required=True),
        Column(NOMINAL_RECORD_ID, Kind.TEXT),
        Column(PHONE_NUMBER, Kind.PHONE),
        Column(LAT, Kind.LAT),
        Column(LON, Kind.LON),
        Column(POSTCODE, Kind.TEXT),
        Column(VALUE_GBP, Kind.FLOAT, non_negative=True),
        Column(QUANTITY, Kind.FLOAT, non_negative=True),
        Column(DETAIL, Kind.TEXT),
    ),
)

INTELLIGENCE = FileSpec(
    name="intelligence",
    doc="graded intelligence reports (3x5x2)",
    key=(FORCE, INTEL_ID),
    columns=(
        Column(INTEL_ID, Kind.TEXT, required=True),
        Column(FORCE, Kind.FORCE, required=True),
        Column(SUBMITTED_AT, Kind.TIME, required=True),
        Column(SUBJECT_KIND, Kind.ENUM, required=True, values=_values(vocab.SubjectKind)),
        Column(SUBJECT_REF, Kind.TEXT, required=True),
        Column(TEXT, Kind.TEXT, required=True),
        Column(
            SOURCE_EVALUATION,
            Kind.ENUM,
            required=True,
            values=_values(vocab.SourceEvaluation),
        ),
        Column(
            INTELLIGENCE_ASSESSMENT,
            Kind.ENUM,
            required=True,
            values=_values(vocab.IntelligenceAssessment),
        ),
        Column(HANDLING_CODE, Kind.ENUM, required=True, values=_values(vocab.HandlingCode)),
        Column(HANDLING_CONDITIONS, Kind.TEXT),
    ),
)

INPUT_FILES: tuple[FileSpec, ...] = (COMMS, CELLS, SUBSCRIBERS, NOMINALS, EVENTS, INTELLIGENCE)
INPUT_BY_NAME: dict[str, FileSpec] = {f.name: f for f in INPUT_FILES}

# Export column lists (the contract's outputs): declared in model/outputs.py.
# Quarantine files: one per input file, same columns everywhere. `kind` is `row` (the row
# was not loaded), `conflict` (its key was already loaded with other contents) or `note`
# (the row loaded; `column`'s `value` was invalid and left empty).
QUARANTINE_COLUMNS: tuple[str, ...] = (
    "source_file",
    "line_number",
    "reason",
    "raw_row",
    "kind",
    "column",
    "value",
    "source_path",
    "load_id",
)

# Separator of multi-valued fields (phone_numbers, flags, deal_numbers ...).
LIST_SEP = ";"
