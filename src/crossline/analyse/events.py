"""One row per call or text, however many networks delivered it, and what the delivery lacked.

Each network supplies its own subscribers' records, so a call between two supplied
networks arrives twice: two record ids, start times seconds apart (each switch stamps its
own leg, a text is logged again on delivery), durations rounded each network's way, and
each copy carrying only its own subscriber's cell. A seized handset's download repeats
them again. Counted as they come, a line's customers would seem to order twice as often
and every tie would look twice as strong. Here the copies become one event: same parties
and kind, stamped within `duplicate_window_s` of the previous copy, from another provider
(a network never delivers one event twice). The event keeps the earliest time, the
shortest duration (the least rounded) and every cell any copy reported.

The data-quality summary says what the analyses could not lean on: no cell sites, records
without a cell, cells not in the cell list, which providers delivered, duplicates
collapsed. It is stored with the run and shown by `analyse` and `status`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from crossline.engine.base import Engine
from crossline.engine.dialect import quote as q
from crossline.model import schema as s

COMMS = s.COMMS.name
CELLS = s.CELLS.name
EVENTS = "_comms_events"
SRC, TGT, KIND, T = q(s.SOURCE), q(s.TARGET), q(s.KIND), q(s.START_TIME)
DUR, SCELL, TCELL, PROV = q(s.DURATION_S), q(s.SOURCE_CELL), q(s.TARGET_CELL), q(s.PROVIDER)


# copies merged into an event besides its first record: two networks and a handset
# download give at most three records of one event; a fourth copy and later ones still
# count once (they are dropped as copies) but add no duration or cell
MAX_EXTRA_COPIES = 3


def events_sql(window_s: int) -> str:
    """SELECT the comms columns the analyses read, one row per event.

    One sort: a record is a copy when the record before it (same parties and kind, in
    time order) is less than `window_s` earlier and from another provider; the event's
    first record reads its copies with lead(), so no aggregate over every record is
    needed (at 100M records that aggregate cost twice the sort)."""
    w = f"OVER (PARTITION BY {SRC}, {TGT}, {KIND} ORDER BY {T}, {PROV})"

    def at(col: str, k: int) -> str:
        return col if k == 0 else f"lead({col}, {k}) {w}"

    def copy_of(k: int) -> str:  # the record k after this one is a copy of the one before it
        return (
            f"(date_diff('second', {at(T, k - 1)}, {at(T, k)}) <= {int(window_s)} "
            f"AND {at(PROV, k - 1)} <> {at(PROV, k)})"
        )

    extra = range(1, MAX_EXTRA_COPIES + 1)
    leads = ",\n".join(
        f"{copy_of(k)} AS n{k}, {at(DUR, k)} AS d{k}, {at(SCELL, k)} AS s{k}, "
        f"{at(TCELL, k)} AS g{k}"
        for k in extra
    )
    # c{k}: the k-th record after this one belongs to its event (all between them do)
    chain = ", ".join(
        f"coalesce({' AND '.join(f'n{j}' for j in range(1, k + 1))}, false) AS c{k}" for k in extra
    )

    def merged(fn: str, col: str, short: str) -> str:
        return f"{fn}({col}, {', '.join(f'CASE WHEN c{k} THEN {short}{k} END' for k in extra)})"

    copies = " + ".join(["1", *(f"CAST(c{k} AS BIGINT)" for k in extra)])
    return f"""
    SELECT {SRC}, {TGT}, {KIND}, {T}, {merged("least", DUR, "d")} AS {DUR},
           {merged("greatest", SCELL, "s")} AS {SCELL},
           {merged("greatest", TCELL, "g")} AS {TCELL},
           CAST({copies} AS BIGINT) AS copies
    FROM (
        SELECT *, {chain}
        FROM (
            SELECT {SRC}, {TGT}, {KIND}, {T}, {DUR}, {SCELL}, {TCELL},
                   coalesce(date_diff('second', lag({T}) {w}, {T}) <= {int(window_s)}
                            AND lag({PROV}) {w} <> {PROV}, false) AS is_copy,
                   {leads}
            FROM {COMMS}
        ) marked
    ) chained
    WHERE NOT is_copy"""


@dataclass
class DataQuality:
    """What the delivery held and lacked, as the analyses saw it."""

    records: int = 0
    events: int = 0
    duplicates_collapsed: int = 0
    providers: dict[str, int] = field(default_factory=dict)  # records per provider
    cells_listed: int = 0  # rows of cells (0: no cell sites delivered)
    records_without_cell: float = 0.0  # share of records with no cell at either end
    events_without_cell: float = 0.0  # share of events no copy gave a cell for
    unknown_cells: float = 0.0  # share of cell references not in the cell list

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(doc: dict[str, Any]) -> DataQuality:
        return DataQuality(**doc)

    def lines(self) -> list[str]:
        """The summary in sentences an analyst reads before trusting a register."""
        prov = ", ".join(f"{k or '(none)'} {v:,}" for k, v in sorted(self.providers.items()))
        out = [
            f"{self.records:,} comms records from {len(self.providers)} provider(s) ({prov})",
            f"{self.duplicates_collapsed:,} duplicate records of one event collapsed "
            f"({self.events:,} events)",
        ]
        if not self.cells_listed:
            out.append(
                "no cell sites delivered: no phone can be placed, so no force area, runner "
                "or line scope is inferred from location"
            )
        else:
            out.append(
                f"{self.records_without_cell:.0%} of records carry no cell "
                f"({self.events_without_cell:.0%} of events after merging copies); "
                f"{self.unknown_cells:.1%} of cell references are not in the cell list"
            )
        return out


@contextmanager
def comms_events(engine: Engine, window_s: int) -> Iterator[DataQuality]:
    """EVENTS for the life of the block, and the data-quality summary of the delivery."""
    try:
        engine.execute(f"CREATE OR REPLACE TEMP TABLE {EVENTS} AS {events_sql(window_s)}")
        yield quality(engine)
    finally:
        engine.execute(f"DROP TABLE IF EXISTS {EVENTS}")


def quality(engine: Engine) -> DataQuality:
    dq = DataQuality()
    per = engine.query(
        f"SELECT coalesce({PROV}, '') AS provider, CAST(count(*) AS BIGINT) AS n, "
        f"CAST(sum(CASE WHEN {SCELL} IS NULL AND {TCELL} IS NULL THEN 1 ELSE 0 END) "
        f"AS BIGINT) AS no_cell FROM {COMMS} GROUP BY ALL"
    ).to_pylist()
    dq.providers = {r["provider"]: int(r["n"]) for r in per}
    dq.records = sum(dq.providers.values())
    no_cell = sum(int(r["no_cell"]) for r in per)
    dq.records_without_cell = round(no_cell / dq.records, 4) if dq.records else 0.0
    ev = engine.query(
        f"SELECT CAST(count(*) AS BIGINT) AS n, CAST(sum(CASE WHEN {SCELL} IS NULL AND "
        f"{TCELL} IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS no_cell FROM {EVENTS}"
    ).to_pylist()[0]
    dq.events = int(ev["n"] or 0)
    dq.duplicates_collapsed = dq.records - dq.events
    dq.events_without_cell = round(int(ev["no_cell"] or 0) / dq.events, 4) if dq.events else 0.0
    if engine.has_table(CELLS):
        dq.cells_listed = int(engine.scalar(f"SELECT count(*) FROM {CELLS}") or 0)
    if dq.cells_listed:
        refs = engine.query(
            f"SELECT CAST(count(*) AS BIGINT) AS n, CAST(sum(CASE WHEN k.{q(s.CELL_ID)} IS NULL "
            f"THEN 1 ELSE 0 END) AS BIGINT) AS unknown FROM (SELECT {SCELL} AS cell FROM "
            f"{EVENTS} WHERE {SCELL} IS NOT NULL UNION ALL SELECT {TCELL} FROM {EVENTS} "
            f"WHERE {TCELL} IS NOT NULL) r LEFT JOIN {CELLS} k ON k.{q(s.CELL_ID)} = r.cell"
        ).to_pylist()[0]
        dq.unknown_cells = (
            round(int(refs["unknown"] or 0) / int(refs["n"]), 4) if refs["n"] else 0.0
        )
    return dq
