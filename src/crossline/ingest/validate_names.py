"""The names validation's SQL shares: its views and tables, their bookkeeping columns and
the staged relation's description. Kept apart so the per-column SQL (column_checks) and
the views that assemble it (validate) do not import each other."""

from __future__ import annotations

from dataclasses import dataclass, field

from crossline.ingest.sql import ident

CLEAN_VIEW = "_ingest_clean"
VALID_VIEW = "_ingest_valid"
PHONE_TABLE = "_ingest_phones"  # raw -> e164 | reason, filled by crossline.ingest.phones

REASON = "_reason"
RAW = "_raw"  # the raw row, for bad rows only
RAW_ANY = "_raw_any"  # the raw row of any row (a conflict's), computed only when asked for
NOTES = "_notes"  # list of {column, value, reason} for invalid optional values
VIA_MAP = "_via_map"  # some number of the row was normalised through PHONE_TABLE
PATH = "_path"
LINE = "_line"

_MAX_SHOWN = 60


@dataclass(frozen=True)
class Typed:
    """A contract column the staging reads already typed. `value` is the stored value (NULL
    when the input is NULL or unusable), `text` the input's text form (for reasons only)
    and `present` the test that the input is not NULL; all are SQL over the relation's
    columns, unqualified. `value` must equal what the text path gives for `text`."""

    value: str
    text: str
    present: str


@dataclass(frozen=True)
class Staged:
    """A staged file as SQL: `relation` (FROM-able, aliased r) holding `_path` and `_line`;
    `values` maps each contract column present to a VARCHAR expression over r; `raw` is the
    raw-row expression over r's columns and `err` the structural-error expression. `typed`
    holds the columns that skip the text path (see Typed)."""

    relation: str
    values: dict[str, str]
    raw: str
    err: str
    typed: dict[str, Typed] = field(default_factory=dict)


def cleaned(col: str) -> str:
    return ident(f"__c_{col}")


def typed_col(col: str) -> str:
    return ident(f"__t_{col}")


def typed_value(col: str) -> str:
    """The clean view's column holding a typed-staged column's value (see Typed)."""
    return ident(f"__v_{col}")


def shown(expr: str) -> str:
    """A value quoted for a reason, cut short when long."""
    return (
        f"('''' || CASE WHEN length({expr}) > {_MAX_SHOWN} THEN left({expr}, {_MAX_SHOWN}) "
        f"|| '…' ELSE {expr} END || '''')"
    )
