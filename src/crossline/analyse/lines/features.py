"""Per-number behaviour from communications metadata only (no message text exists in real
call data records): broadcast bursts, inbound ordering contacts, who replies, activity span.

One SQL statement in the house dialect (DuckDB), run through the engine interface; it uses
only window functions and aggregates that every engine has, so it transpiles for Spark."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pyarrow as pa

from crossline.analyse.lines.config import LinesConfig
from crossline.analyse.numbers import e164_sql
from crossline.engine.base import Engine
from crossline.engine.dialect import quote as q
from crossline.model import schema as s

COMMS = s.COMMS.name

FEATURES_SQL = """
WITH bursts AS (SELECT * FROM {BURSTS_TABLE}),
sessions AS (SELECT * FROM {SESSIONS_TABLE}),
burst_stats AS (
    SELECT num, count(*) AS bursts,
           count(DISTINCT CAST(t0 AS DATE)) AS burst_days,
           sum(CASE WHEN hour({LOCAL_T0}) >= 22 OR hour({LOCAL_T0}) < 7
                    THEN 1 ELSE 0 END) AS night_bursts,
           avg(n_rcpt) AS mean_burst_size
    FROM bursts GROUP BY num
),
burst_rcpt AS (
    SELECT DISTINCT s.num, s.rcpt
    FROM sessions s JOIN bursts b ON s.num = b.num AND s.sid = b.sid
),
activity AS (
    SELECT num, min(t) AS first_seen, max(t) AS last_seen,
           count(DISTINCT CAST(t AS DATE)) AS active_days
    FROM (
        SELECT {SOURCE} AS num, {START_TIME} AS t FROM {COMMS}
        WHERE {SOURCE} IN (SELECT num FROM burst_stats)
        UNION ALL
        SELECT {TARGET} AS num, {START_TIME} AS t FROM {COMMS}
        WHERE {TARGET} IN (SELECT num FROM burst_stats)
    ) a GROUP BY num
),
inbound AS (
    SELECT c.{TARGET} AS num, c.{SOURCE} AS caller,
           count(*) AS n,
           sum(CASE WHEN c.{KIND} = 'sms' OR c.{DURATION_S} <= {order_s}
                    THEN 1 ELSE 0 END) AS n_short,
           sum(CASE WHEN c.{KIND} = 'sms' THEN 0 ELSE 1 END) AS n_calls
    FROM {COMMS} c
    WHERE c.{TARGET} IN (SELECT num FROM burst_stats)
    GROUP BY c.{TARGET}, c.{SOURCE}
),
inbound_stats AS (
    SELECT i.num,
           sum(i.n) AS in_contacts,
           sum(i.n_short) AS in_short,
           count(*) AS in_distinct,
           sum(CASE WHEN r.rcpt IS NOT NULL THEN 1 ELSE 0 END) AS orderers_reached,
           sum(CASE WHEN r.rcpt IS NOT NULL THEN i.n ELSE 0 END) AS orders_from_reached,
           sum(CASE WHEN r.rcpt IS NOT NULL THEN i.n_calls ELSE 0 END) AS calls_from_reached
    FROM inbound i LEFT JOIN burst_rcpt r ON i.num = r.num AND i.caller = r.rcpt
    GROUP BY i.num
),
rcpt_stats AS (
    SELECT num, count(*) AS burst_recipients FROM burst_rcpt GROUP BY num
)
SELECT {NUM_TEXT} AS num,
       CAST(b.bursts AS BIGINT) AS bursts,
       CAST(b.burst_days AS BIGINT) AS burst_days,
       CAST(b.night_bursts AS BIGINT) AS night_bursts,
       CAST(b.mean_burst_size AS DOUBLE) AS mean_burst_size,
       a.first_seen, a.last_seen,
       CAST(a.active_days AS BIGINT) AS active_days,
       CAST(r.burst_recipients AS BIGINT) AS burst_recipients,
       CAST(coalesce(i.in_contacts, 0) AS BIGINT) AS in_contacts,
       CAST(coalesce(i.in_short, 0) AS BIGINT) AS in_short,
       CAST(coalesce(i.in_distinct, 0) AS BIGINT) AS in_distinct,
       CAST(coalesce(i.orderers_reached, 0) AS BIGINT) AS orderers_reached,
       CAST(coalesce(i.orders_from_reached, 0) AS BIGINT) AS orders_from_reached,
       CAST(coalesce(i.calls_from_reached, 0) AS BIGINT) AS calls_from_reached
FROM burst_stats b
JOIN activity a ON a.num = b.num
JOIN rcpt_stats r ON r.num = b.num
LEFT JOIN inbound_stats i ON i.num = b.num
"""


SESSIONS = "_lines_sessions"
BURSTS = "_lines_bursts"

SMS_SENDERS_SQL = """
SELECT {SOURCE} AS num FROM {COMMS} WHERE {KIND} = 'sms'
GROUP BY {SOURCE} HAVING count(DISTINCT {TARGET}) >= {min_rcpt}
"""


def sessions_sql(senders: str, gap_s: int, comms: str = COMMS) -> str:
    """SELECT (num, rcpt, t, sid) of the texts sent by the numbers in relation `senders`
    (column num): texts less than `gap_s` apart are one session, numbered by sid.
    `comms` is the relation read: the store's comms, or the run's events (one row per
    event, analyse/events.py)."""
    return f"""
    SELECT num, rcpt, t,
           CAST(sum(new_burst) OVER (PARTITION BY num ORDER BY t
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS sid
    FROM (
        SELECT c.{q(s.SOURCE)} AS num, c.{q(s.TARGET)} AS rcpt, c.{q(s.START_TIME)} AS t,
               CASE WHEN date_diff('second',
                         lag(c.{q(s.START_TIME)}) OVER (PARTITION BY c.{q(s.SOURCE)}
                                                    ORDER BY c.{q(s.START_TIME)}),
                         c.{q(s.START_TIME)}) <= {int(gap_s)}
                    THEN 0 ELSE 1 END AS new_burst
        FROM {comms} c JOIN {senders} x ON c.{q(s.SOURCE)} = x.num
        WHERE c.{q(s.KIND)} = 'sms'
    ) o"""


def bursts_sql(sessions: str, min_rcpt: int) -> str:
    """SELECT (num, sid, t0, n_rcpt): the sessions of relation `sessions` that reach
    `min_rcpt` distinct recipients, the broadcast bursts."""
    return f"""
    SELECT num, sid, min(t) AS t0, count(DISTINCT rcpt) AS n_rcpt
    FROM {sessions} GROUP BY num, sid
    HAVING count(DISTINCT rcpt) >= {int(min_rcpt)}"""


def recipients_sql(sessions: str, bursts: str) -> str:
    """SELECT (num, rcpt, bursts_received, texts_received) over relations `sessions` and
    `bursts`, for the recipients of at least one burst."""
    return f"""
    SELECT sessions.num, sessions.rcpt,
           CAST(count(DISTINCT bursts.sid) AS BIGINT) AS bursts_received,
           CAST(count(*) AS BIGINT) AS texts_received
    FROM {sessions} AS sessions LEFT JOIN {bursts} AS bursts
         ON sessions.num = bursts.num AND sessions.sid = bursts.sid
    GROUP BY sessions.num, sessions.rcpt
    HAVING count(DISTINCT bursts.sid) > 0"""


@dataclass(frozen=True)
class BurstTables:
    """The run's sessionised texts and broadcast bursts, as temporary tables: the two
    window passes that build them are the line analysis' dearest step, so a run does them
    once and hands these names to everything that reads them (number_features,
    contacts.run_burst_recipients)."""

    sessions: str = SESSIONS
    bursts: str = BURSTS
    comms: str = COMMS  # the relation they were built from


@contextmanager
def burst_tables(engine: Engine, cfg: LinesConfig, comms: str = COMMS) -> Iterator[BurstTables]:
    """SESSIONS (every text of each number that texts enough distinct people to ever
    burst) and BURSTS for the life of the block, dropped after it whatever happens."""
    tables = BurstTables(comms=comms)
    senders = SMS_SENDERS_SQL.format(
        min_rcpt=int(cfg.burst_min_recipients), **{**_NAMES, "COMMS": comms}
    )
    try:
        engine.execute(
            f"CREATE OR REPLACE TEMP TABLE {tables.sessions} AS "
            f"{sessions_sql(f'({senders})', cfg.burst_gap_s, comms)}"
        )
        engine.execute(
            f"CREATE OR REPLACE TEMP TABLE {tables.bursts} AS "
            f"{bursts_sql(tables.sessions, cfg.burst_min_recipients)}"
        )
        yield tables
    finally:
        for name in (tables.sessions, tables.bursts):
            engine.execute(f"DROP TABLE IF EXISTS {name}")


def number_features(engine: Engine, cfg: LinesConfig, tables: BurstTables) -> pa.Table:
    """One row per number that ever sent a broadcast burst, with its behaviour."""
    sql = FEATURES_SQL.format(
        SESSIONS_TABLE=tables.sessions,
        BURSTS_TABLE=tables.bursts,
        order_s=int(cfg.order_max_call_s),
        NUM_TEXT=e164_sql("b.num"),
        LOCAL_T0=engine.dialect.local_time("t0", "Europe/London"),
        **{**_NAMES, "COMMS": tables.comms},
    )
    return engine.query(sql)


_NAMES = {
    "COMMS": COMMS,
    "SOURCE": q(s.SOURCE),
    "TARGET": q(s.TARGET),
    "KIND": q(s.KIND),
    "START_TIME": q(s.START_TIME),
    "DURATION_S": q(s.DURATION_S),
}
