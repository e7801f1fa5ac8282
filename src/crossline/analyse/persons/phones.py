"""Which resolved persons use which phone numbers, and on what evidence.

The line register names the person behind a controller number from three kinds of
record, from strongest to weakest:

- nominal: a force recorded the number on the person's own nominal record;
- event: a force event names both the person (nominal_record_id) and the number (a
  handset seized on arrest, a number given at a stop);
- subscriber: the number is registered to a name and postcode (or address) that matches
  exactly one resolved person. Conservative on purpose: names are shared, so the
  subscriber's name must agree with one of the person's records (first given name and
  family name, exactly or with one of them a single letter off, as registrations and
  records are both typed by hand) and so must the postcode or address, and no other
  person may fit.

One row per (number, person_id, source), with the records behind it as evidence.
"""

from __future__ import annotations

import pyarrow as pa

from crossline.analyse.persons.evidence import phone_factors
from crossline.engine.base import Engine
from crossline.model import outputs as o
from crossline.model import schema as s

PERSON_ID = o.PERSON_ID
SOURCE_COL = "source"
EVIDENCE = "evidence"
PHONE_PERSONS_COLUMNS: tuple[str, ...] = (s.NUMBER, PERSON_ID, SOURCE_COL, EVIDENCE)

_PERSONS = "__crossline_persons"

_NAME = "regexp_replace(lower({x}), '[^a-z ]+', '', 'g')"


def _norm_name(x: str) -> str:
    return _NAME.format(x=x)


def _norm_pc(x: str) -> str:
    return f"nullif(upper(regexp_replace({x}, '\\s+', '', 'g')), '')"


def _norm_addr(x: str) -> str:
    return f"nullif(trim(regexp_replace(lower({x}), '[^a-z0-9]+', ' ', 'g')), '')"


def _sql(engine: Engine) -> str:
    n, e, sub = s.NOMINALS.name, s.EVENTS.name, s.SUBSCRIBERS.name
    parts = [
        f"""
        SELECT ph AS {s.NUMBER}, p.{PERSON_ID}, 'nominal' AS {SOURCE_COL},
               'on nominal record ' || n.{s.FORCE} || '/' || n.{s.RECORD_ID} AS {EVIDENCE}
        FROM (SELECT {s.FORCE}, {s.RECORD_ID}, unnest({s.PHONE_NUMBERS}) AS ph FROM {n}) n
        JOIN {_PERSONS} p USING ({s.FORCE}, {s.RECORD_ID})
        """
    ]
    if engine.has_table(e):
        parts.append(
            f"""
            SELECT ev.{s.PHONE_NUMBER}, p.{PERSON_ID}, 'event',
                   ev.{s.EVENT_TYPE} || ' ' || ev.{s.FORCE} || '/' || ev.{s.EVENT_ID}
                   || ' on ' || CAST(CAST(ev.{s.OCCURRED_AT} AS DATE) AS VARCHAR)
            FROM {e} ev
            JOIN {_PERSONS} p
              ON p.{s.FORCE} = ev.{s.FORCE} AND p.{s.RECORD_ID} = ev.{s.NOMINAL_RECORD_ID}
            WHERE ev.{s.PHONE_NUMBER} IS NOT NULL
            """
        )
    if engine.has_table(sub):
        reg = f"trim({s.REGISTERED_NAME})"
        sb = f"""
            SELECT {s.NUMBER}, {s.REGISTERED_NAME}, {s.POSTCODE} AS reg_postcode,
                   {_norm_name(f"split_part({reg}, ' ', 1)")} AS g,
                   {_norm_name(f"regexp_extract({reg}, '([^ ]+)$', 1)")} AS f,
                   {_norm_pc(s.POSTCODE)} AS pc, {_norm_addr(s.REGISTERED_ADDRESS)} AS addr
            FROM {sub} WHERE nullif({reg}, '') IS NOT NULL
        """
        nm = f"""
            SELECT {s.FORCE}, {s.RECORD_ID},
                   {_norm_name(f"split_part(trim({s.GIVEN_NAMES}), ' ', 1)")} AS g,
                   {_norm_name(s.FAMILY_NAME)} AS f,
                   {_norm_pc(s.POSTCODE)} AS pc, {_norm_addr(s.ADDRESS)} AS addr
            FROM {n}
        """
        # the same person, one name typed a letter off on one side (Murphy / Marphy):
        # never a short given name, where one letter makes another person (Kai / Kay)
        names_ok = (
            "((sb.g = n.g AND (sb.f = n.f"
            " OR (length(n.f) >= 4 AND damerau_levenshtein(sb.f, n.f) <= 1)))"
            " OR (sb.f = n.f AND length(n.g) >= 5 AND damerau_levenshtein(sb.g, n.g) <= 1))"
        )
        # two equi-joins (postcode, address), not one join on either: an OR in a join
        # condition compares every subscriber with every record; both read the names
        # cleaned once (the CTEs)
        matches = f"WITH sb AS ({sb}), n AS ({nm})\n" + "\nUNION\n".join(
            f"""
            SELECT sb.{s.NUMBER}, sb.{s.REGISTERED_NAME}, sb.reg_postcode,
                   n.{s.FORCE}, n.{s.RECORD_ID}
            FROM sb JOIN n ON sb.{key} = n.{key}
            WHERE {names_ok}
            """
            for key in ("pc", "addr")
        )
        parts.append(
            f"""
            SELECT {s.NUMBER}, {PERSON_ID}, 'subscriber', ev FROM (
                SELECT sb.{s.NUMBER}, p.{PERSON_ID},
                       'subscriber registered to ' || sb.{s.REGISTERED_NAME}
                       || coalesce(', ' || sb.reg_postcode, '')
                       || ' (as on ' || min(sb.{s.FORCE} || '/' || sb.{s.RECORD_ID}) || ')' AS ev,
                       count(DISTINCT p.{PERSON_ID})
                           OVER (PARTITION BY sb.{s.NUMBER}) AS candidates
                FROM ({matches}) sb
                JOIN {_PERSONS} p USING ({s.FORCE}, {s.RECORD_ID})
                GROUP BY sb.{s.NUMBER}, p.{PERSON_ID}, sb.{s.REGISTERED_NAME}, sb.reg_postcode
            ) WHERE candidates = 1
            """
        )
    union = "\nUNION ALL\n".join(parts)
    return f"""
        SELECT {s.NUMBER}, {PERSON_ID}, {SOURCE_COL},
               string_agg(DISTINCT {EVIDENCE}, '; ' ORDER BY {EVIDENCE}) AS {EVIDENCE}
        FROM ({union}) x
        WHERE {s.NUMBER} IS NOT NULL
        GROUP BY ALL
        ORDER BY {s.NUMBER}, {PERSON_ID}, {SOURCE_COL}
    """


def phone_persons(engine: Engine, persons: pa.Table) -> pa.Table:
    """number, person_id, source ('nominal' | 'event' | 'subscriber'), evidence."""
    engine.register(_PERSONS, persons.select([PERSON_ID, s.FORCE, s.RECORD_ID]))
    try:
        return phone_factors(engine.query(_sql(engine)).select(list(PHONE_PERSONS_COLUMNS)))
    finally:
        engine.unregister(_PERSONS)
