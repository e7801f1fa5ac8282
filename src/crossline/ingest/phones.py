"""Phone numbers are normalised once per distinct raw value, not once per row.

Values in the commonest exact UK mobile forms are normalised per row by a prefix test
(validate.phone_prefix_sql) and never reach the map. The distinct other raw values of a
file's phone columns go to `PHONE_TABLE` (raw -> e164, reason), which validation joins:
those in the other common mobile forms normalised in SQL (validate.phone_fast_sql), the
rest numbered in the engine, fetched in pages of `PAGE_ROWS` and normalised in Python
(fast path first, then the phonenumbers library, cached). Memory stays bounded by the page
size.
"""

from __future__ import annotations

import pyarrow as pa

from crossline.engine.base import Engine
from crossline.ingest.normalise import try_normalise_phone
from crossline.ingest.validate import (
    PHONE_TABLE,
    phone_fast_sql,
    phone_prefix_sql,
    phone_value_sql,
    uncommon_numbers_sql,
)
from crossline.model.schema import FileSpec

PAGE_ROWS = 200_000
SAMPLE_ROWS = 10_000
_ALL = "_ingest_phone_all"
_DISTINCT = "_ingest_phone_raw"


def empty_phone_map(engine: Engine) -> None:
    """An empty PHONE_TABLE: validation then reads only the forms phone_prefix_sql knows."""
    engine.execute(
        f"CREATE OR REPLACE TEMP TABLE {PHONE_TABLE} (raw VARCHAR, e164 VARCHAR, reason VARCHAR)"
    )


def common_numbers_only(engine: Engine, spec: FileSpec) -> bool:
    """Whether the staged file's first SAMPLE_ROWS rows write every number in a form
    phone_prefix_sql reads (as a provider's export usually does throughout), so the file is
    worth validating without the map first (see commit_file's `with_map`)."""
    sql = uncommon_numbers_sql(spec, SAMPLE_ROWS)
    return sql is not None and int(engine.scalar(sql)) == 0


def build_phone_map(engine: Engine, spec: FileSpec) -> int:
    """Fill PHONE_TABLE for the staged file; returns the number of distinct raw values."""
    empty_phone_map(engine)
    distinct = phone_value_sql(spec)
    if distinct is None:
        return 0
    # Materialised first so that the fast-path filters run once per distinct value (a filter
    # on the query would be pushed below the DISTINCT and run once per row).
    engine.execute(f"CREATE OR REPLACE TEMP TABLE {_ALL} AS {distinct}")
    other = f"v IS NOT NULL AND v <> '' AND {phone_prefix_sql('v')} IS NULL"
    engine.execute(
        f"INSERT INTO {PHONE_TABLE} SELECT v, {phone_fast_sql('v')}, NULL FROM {_ALL} "
        f"WHERE {other} AND {phone_fast_sql('v')} IS NOT NULL"
    )
    engine.execute(
        f"CREATE OR REPLACE TEMP TABLE {_DISTINCT} AS SELECT v, row_number() OVER () AS i "
        f"FROM {_ALL} WHERE {other} AND {phone_fast_sql('v')} IS NULL"
    )
    engine.execute(f"DROP TABLE {_ALL}")
    total = int(engine.scalar(f"SELECT count(*) FROM {_DISTINCT}"))
    for lo in range(1, total + 1, PAGE_ROWS):
        page = engine.query(
            f"SELECT v FROM {_DISTINCT} WHERE i >= ? AND i < ?", [lo, lo + PAGE_ROWS]
        )
        raws: list[str] = page.column("v").to_pylist()
        e164s: list[str | None] = []
        reasons: list[str | None] = []
        for raw in raws:
            e164, reason = try_normalise_phone(raw)
            e164s.append(e164)
            reasons.append(reason)
        engine.append(
            PHONE_TABLE,
            pa.table(
                {
                    "raw": pa.array(raws, pa.string()),
                    "e164": pa.array(e164s, pa.string()),
                    "reason": pa.array(reasons, pa.string()),
                }
            ),
        )
    engine.execute(f"DROP TABLE IF EXISTS {_DISTINCT}")
    return total
