"""Which resolved persons use which phone numbers, and on what evidence.

The line register names the person behind a controller number from three kinds of
record, from strongest to weakest:

- nominal: a force recorded the number on the person's own nominal record;
- event: a force event names both the person (nominal_record_id) and the number (a
  handset seized on arrest, a number given at a stop);
- subscriber: the number is registered to a name and postcode (or address) that matches
  exactly one resolved person. Conservative on purpose: names are shared, so the
  subscriber's name must agree exactly with one of the person's records (first given
  name and family name) and so must the postcode or address, and no other person may fit.

One row per (number, person_id, source), with the records behind it as evidence.
"""

from __future__ import annotations

import pyarrow as pa

from crossline.engine.base import Engine
from crossline.model import schema as s

PERSON_ID = s.PERSONS_COLUMNS[0]
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
        given = _norm_name(f"split_part(trim(n.{s.GIVEN_NAMES}), ' ', 1)")
        family = _norm_name(f"n.{s.FAMILY_NAME}")
        reg = f"trim(sb.{s.REGISTERED_NAME})"
        reg_given = _norm_name(f"split_part({reg}, ' ', 1)")
        reg_family = _norm_name(f"regexp_extract({reg}, '([^ ]+)$', 1)")
        parts.append(
            f"""
            SELECT {s.NUMBER}, {PERSON_ID}, 'subscriber', ev FROM (
                SELECT sb.{s.NUMBER}, p.{PERSON_ID},
                       'subscriber registered to ' || sb.{s.REGISTERED_NAME}
                       || coalesce(', ' || sb.{s.POSTCODE}, '')
                       || ' (as on ' || min(n.{s.FORCE} || '/' || n.{s.RECORD_ID}) || ')' AS ev,
                       count(DISTINCT p.{PERSON_ID})
                           OVER (PARTITION BY sb.{s.NUMBER}) AS candidates
                FROM {sub} sb
                JOIN {n} n
                  ON {given} = {reg_given} AND {family} = {reg_family}
                 AND ({_norm_pc("n." + s.POSTCODE)} = {_norm_pc("sb." + s.POSTCODE)}
                      OR {_norm_addr("n." + s.ADDRESS)}
                         = {_norm_addr("sb." + s.REGISTERED_ADDRESS)})
                JOIN {_PERSONS} p USING ({s.FORCE}, {s.RECORD_ID})
                WHERE nullif({reg}, '') IS NOT NULL
                GROUP BY sb.{s.NUMBER}, p.{PERSON_ID}, sb.{s.REGISTERED_NAME}, sb.{s.POSTCODE}
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
        return engine.query(_sql(engine)).select(list(PHONE_PERSONS_COLUMNS))
    finally:
        engine.unregister(_PERSONS)
