"""Queries the line analyses share: who a set of numbers is in contact with, and where a
set of phones is seen. Both take the set as a registered Arrow relation, so the same SQL
serves ten numbers or ten thousand."""

from __future__ import annotations

import pyarrow as pa

from crossline.analyse.features import bursts_cte
from crossline.analyse.geography import cell_forces
from crossline.engine.base import Engine
from crossline.model import schema as s

COMMS = s.COMMS.name
CELLS = s.CELLS.name


def _with_set(engine: Engine, name: str, numbers: list[str], sql: str) -> pa.Table:
    engine.register(name, pa.table({"num": pa.array(sorted(set(numbers)), pa.string())}))
    try:
        return engine.query(sql)
    finally:
        engine.unregister(name)


def contacts_of(engine: Engine, numbers: list[str]) -> pa.Table:
    """(num, other, n_out, n_in, n_out_sms, n_in_short, other_cells) per pair, where
    other_cells lists the cells the other party used in those contacts."""
    sql = f"""
    WITH pairs AS (
        SELECT c.{s.SOURCE} AS num, c.{s.TARGET} AS other, 1 AS out_, c.{s.KIND} AS kind,
               c.{s.DURATION_S} AS dur, c.{s.TARGET_CELL} AS other_cell
        FROM {COMMS} c JOIN __set_contacts x ON c.{s.SOURCE} = x.num
        UNION ALL
        SELECT c.{s.TARGET} AS num, c.{s.SOURCE} AS other, 0 AS out_, c.{s.KIND} AS kind,
               c.{s.DURATION_S} AS dur, c.{s.SOURCE_CELL} AS other_cell
        FROM {COMMS} c JOIN __set_contacts x ON c.{s.TARGET} = x.num
    )
    SELECT num, other,
           CAST(sum(out_) AS BIGINT) AS n_out,
           CAST(sum(1 - out_) AS BIGINT) AS n_in,
           CAST(sum(CASE WHEN out_ = 1 AND kind = 'sms' THEN 1 ELSE 0 END) AS BIGINT)
               AS n_out_sms,
           list(other_cell) FILTER (WHERE other_cell IS NOT NULL) AS other_cells
    FROM pairs GROUP BY num, other
    """
    return _with_set(engine, "__set_contacts", numbers, sql)


def cell_table(engine: Engine) -> pa.Table:
    return engine.query(
        f"SELECT {s.CELL_ID} AS cell_id, {s.LAT} AS lat, {s.LON} AS lon FROM {CELLS}"
    )


def cell_force_map(engine: Engine) -> dict[str, str]:
    """cell_id -> force area of every cell in the store."""
    forces = cell_forces(cell_table(engine))
    return dict(
        zip(forces.column("cell_id").to_pylist(), forces.column("force").to_pylist(), strict=True)
    )


def own_cells(engine: Engine, numbers: list[str]) -> pa.Table:
    """(num, cell, n): the cells each phone itself was served by, with counts."""
    sql = f"""
    SELECT num, cell, CAST(count(*) AS BIGINT) AS n FROM (
        SELECT c.{s.SOURCE} AS num, c.{s.SOURCE_CELL} AS cell
        FROM {COMMS} c JOIN __set_cells x ON c.{s.SOURCE} = x.num
        UNION ALL
        SELECT c.{s.TARGET} AS num, c.{s.TARGET_CELL} AS cell
        FROM {COMMS} c JOIN __set_cells x ON c.{s.TARGET} = x.num
    ) t WHERE cell IS NOT NULL GROUP BY num, cell
    """
    return _with_set(engine, "__set_cells", numbers, sql)


def burst_recipients(engine: Engine, numbers: list[str], gap_s: int, min_rcpt: int) -> pa.Table:
    """(num, rcpt, bursts_received, texts_received): who received each number's broadcast
    bursts, how many of them, and how many texts in all from that number."""
    sql = f"""
    WITH {bursts_cte("__set_bursts", gap_s, min_rcpt)},
    got AS (
        SELECT sessions.num, sessions.rcpt,
               count(DISTINCT bursts.sid) AS bursts_received,
               count(*) AS texts_received
        FROM sessions LEFT JOIN bursts
             ON sessions.num = bursts.num AND sessions.sid = bursts.sid
        GROUP BY sessions.num, sessions.rcpt
    )
    SELECT num, rcpt, CAST(bursts_received AS BIGINT) AS bursts_received,
           CAST(texts_received AS BIGINT) AS texts_received
    FROM got WHERE bursts_received > 0
    """
    return _with_set(engine, "__set_bursts", numbers, sql)
