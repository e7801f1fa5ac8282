"""Queries the line analyses share: who a set of numbers is in contact with, and where a
set of phones is seen. Both take the set as a registered Arrow relation, so the same SQL
serves ten numbers or ten thousand."""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from crossline.analyse.geography import cell_forces
from crossline.analyse.lines.features import (
    BurstTables,
    bursts_sql,
    recipients_sql,
    sessions_sql,
)
from crossline.analyse.numbers import e164_sql, key_table
from crossline.engine.base import Engine
from crossline.engine.dialect import quote as q
from crossline.model import schema as s

COMMS = s.COMMS.name
CELLS = s.CELLS.name
# contract columns, quoted for SQL
SOURCE, TARGET, KIND, START_TIME = q(s.SOURCE), q(s.TARGET), q(s.KIND), q(s.START_TIME)
SOURCE_CELL, TARGET_CELL = q(s.SOURCE_CELL), q(s.TARGET_CELL)


def _with_set(engine: Engine, name: str, numbers: list[str], sql: str) -> pa.Table:
    engine.register(name, key_table(numbers))
    try:
        return engine.query(sql)
    finally:
        engine.unregister(name)


def contacts_of(
    engine: Engine,
    numbers: list[str],
    force_of: Mapping[str, str] | None = None,
    min_contacts: int = 1,
    comms: str = COMMS,
) -> pa.Table:
    """(num, other, n_out, n_in, n_out_sms) per pair; with `force_of` (cell -> force) also
    other_forces: a list of {force, n}, each force area the other party was served in
    during those contacts with how many contacts (summed per force in the engine, so a
    pair's thousand contacts reach Python as a force or two, not a thousand cells). Pairs
    with fewer than `min_contacts` contacts are left out."""
    cells = force_of is not None
    per_cell = "other_cell" if cells else "NULL AS other_cell"
    force = 'f."force"' if cells else "NULL"
    join = "LEFT JOIN __cell_force f ON f.cell = k.other_cell" if cells else ""
    forces = (
        """, list({'force': "force", 'n': n_out + n_in}) FILTER (WHERE "force" IS NOT NULL) """
        "AS other_forces"
        if cells
        else ""
    )
    sql = f"""
    WITH pairs AS (
        SELECT c.{SOURCE} AS num, c.{TARGET} AS other, 1 AS out_, c.{KIND} AS kind,
               c.{TARGET_CELL} AS other_cell
        FROM {comms} c JOIN __set_contacts x ON c.{SOURCE} = x.num
        UNION ALL
        SELECT c.{TARGET} AS num, c.{SOURCE} AS other, 0 AS out_, c.{KIND} AS kind,
               c.{SOURCE_CELL} AS other_cell
        FROM {comms} c JOIN __set_contacts x ON c.{TARGET} = x.num
    ),
    k AS (
        SELECT num, other, {per_cell},
               sum(out_) AS n_out, sum(1 - out_) AS n_in,
               sum(CASE WHEN out_ = 1 AND kind = 'sms' THEN 1 ELSE 0 END) AS n_out_sms
        FROM pairs GROUP BY ALL
    ),
    per_force AS (
        SELECT k.num, k.other, {force} AS "force", sum(k.n_out) AS n_out,
               sum(k.n_in) AS n_in, sum(k.n_out_sms) AS n_out_sms
        FROM k {join} GROUP BY ALL
    )
    SELECT {e164_sql("num")} AS num, {e164_sql("other")} AS other,
           CAST(sum(n_out) AS BIGINT) AS n_out,
           CAST(sum(n_in) AS BIGINT) AS n_in,
           CAST(sum(n_out_sms) AS BIGINT) AS n_out_sms{forces}
    FROM per_force GROUP BY num, other
    HAVING sum(n_out) + sum(n_in) >= {int(min_contacts)}
    """
    if force_of is None:
        return _with_set(engine, "__set_contacts", numbers, sql)
    table = pa.table(
        {
            "cell": pa.array(list(force_of), pa.string()),
            "force": pa.array(list(force_of.values()), pa.string()),
        }
    )
    engine.register("__cell_force", table)
    try:
        return _with_set(engine, "__set_contacts", numbers, sql)
    finally:
        engine.unregister("__cell_force")


def cell_table(engine: Engine) -> pa.Table:
    return engine.query(
        f"SELECT {q(s.CELL_ID)} AS cell_id, {q(s.LAT)} AS lat, {q(s.LON)} AS lon FROM {CELLS}"
    )


def cell_force_map(engine: Engine) -> dict[str, str]:
    """cell_id -> force area of every cell in the store (none when no cells were delivered:
    cell-site data is acquired separately and often missing)."""
    if not engine.has_table(CELLS):
        return {}
    forces = cell_forces(cell_table(engine))
    return dict(
        zip(forces.column("cell_id").to_pylist(), forces.column("force").to_pylist(), strict=True)
    )


def sightings_sql() -> str:
    """A relation (num, t, cell): every time a number appears in comms, at either end, with
    the cell that served it then (NULL when none was recorded)."""
    return (
        f"(SELECT {SOURCE} AS num, {START_TIME} AS t, {SOURCE_CELL} AS cell FROM {COMMS} "
        f"UNION ALL SELECT {TARGET}, {START_TIME}, {TARGET_CELL} FROM {COMMS})"
    )


def contacts_between(engine: Engine, numbers: list[str], others: list[str]) -> pa.Table:
    """(num, other, n, last, times): contacts either way between each of `numbers` and each
    of `others`, with the time of the latest and every time in order. Both sets are
    registered, so the scan keeps only the few rows joining them."""
    if not numbers or not others:
        return pa.table({"num": [], "other": [], "n": [], "last": [], "times": []})
    sql = f"""
    SELECT {e164_sql("num")} AS num, {e164_sql("other")} AS other,
           CAST(count(*) AS BIGINT) AS n, max(t) AS last,
           {engine.dialect.ordered_list("t")} AS times
    FROM (
        SELECT c.{SOURCE} AS num, c.{TARGET} AS other, c.{START_TIME} AS t
        FROM {COMMS} c SEMI JOIN __set_a a ON c.{SOURCE} = a.num
        WHERE c.{TARGET} IN (SELECT num FROM __set_b)
        UNION ALL
        SELECT c.{TARGET}, c.{SOURCE}, c.{START_TIME}
        FROM {COMMS} c SEMI JOIN __set_a a ON c.{TARGET} = a.num
        WHERE c.{SOURCE} IN (SELECT num FROM __set_b)
    ) GROUP BY ALL
    """
    engine.register("__set_b", key_table(others))
    try:
        return _with_set(engine, "__set_a", numbers, sql)
    finally:
        engine.unregister("__set_b")


def own_cells(engine: Engine, numbers: list[str], comms: str = COMMS) -> pa.Table:
    """(num, cell, n): the cells each phone itself was served by, with counts."""
    sql = f"""
    SELECT {e164_sql("num")} AS num, cell, CAST(count(*) AS BIGINT) AS n FROM (
        SELECT c.{SOURCE} AS num, c.{SOURCE_CELL} AS cell
        FROM {comms} c JOIN __set_cells x ON c.{SOURCE} = x.num
        UNION ALL
        SELECT c.{TARGET} AS num, c.{TARGET_CELL} AS cell
        FROM {comms} c JOIN __set_cells x ON c.{TARGET} = x.num
    ) t WHERE cell IS NOT NULL GROUP BY num, cell
    """
    return _with_set(engine, "__set_cells", numbers, sql)


def _recipients(
    engine: Engine, name: str, numbers: list[str], sessions: str, bursts: str
) -> pa.Table:
    """recipients_sql as E.164 text, for the numbers registered as `name`: `sessions` is
    the CTE defining `sessions` (those numbers' texts), `bursts` the bursts relation."""
    sql = f"""
    WITH {sessions},
    got AS ({recipients_sql("sessions", bursts)})
    SELECT {e164_sql("num")} AS num, {e164_sql("rcpt")} AS rcpt, bursts_received,
           texts_received
    FROM got
    """
    return _with_set(engine, name, numbers, sql)


def burst_recipients(engine: Engine, numbers: list[str], gap_s: int, min_rcpt: int) -> pa.Table:
    """(num, rcpt, bursts_received, texts_received): who received each number's broadcast
    bursts, how many of them, and how many texts in all from that number."""
    ctes = (
        f"sessions AS ({sessions_sql('__set_bursts', gap_s)}), "
        f"bursts AS ({bursts_sql('sessions', min_rcpt)})"
    )
    return _recipients(engine, "__set_bursts", numbers, ctes, "bursts")


def run_burst_recipients(engine: Engine, numbers: list[str], tables: BurstTables) -> pa.Table:
    """burst_recipients from the run's burst tables (features.burst_tables): the same
    figures, without sessionising the texts again."""
    ctes = (
        f"sessions AS (SELECT s.* FROM {tables.sessions} s "
        "JOIN __set_run_bursts x ON s.num = x.num)"
    )
    return _recipients(engine, "__set_run_bursts", numbers, ctes, tables.bursts)


def partner_cells(engine: Engine, numbers: list[str], partners: list[str]) -> pa.Table:
    """(num, cell, n): the cells that served each of `partners` when in contact with one
    of `numbers`, with how often. A line's customers are served where they live, so the
    cells serving them in contact with its deal phones are where the line sells; the cell
    ids say so even when no cell-site list gives their positions."""
    if not numbers or not partners:
        return pa.table({"num": [], "cell": [], "n": []})
    sql = f"""
    SELECT {e164_sql("num")} AS num, cell, CAST(count(*) AS BIGINT) AS n FROM (
        SELECT c.{SOURCE} AS num, c.{TARGET_CELL} AS cell
        FROM {COMMS} c SEMI JOIN __set_pa a ON c.{SOURCE} = a.num
        WHERE c.{TARGET} IN (SELECT num FROM __set_pb)
        UNION ALL
        SELECT c.{TARGET}, c.{SOURCE_CELL}
        FROM {COMMS} c SEMI JOIN __set_pa a ON c.{TARGET} = a.num
        WHERE c.{SOURCE} IN (SELECT num FROM __set_pb)
    ) t WHERE cell IS NOT NULL GROUP BY ALL
    """
    engine.register("__set_pb", key_table(partners))
    try:
        return _with_set(engine, "__set_pa", numbers, sql)
    finally:
        engine.unregister("__set_pb")
