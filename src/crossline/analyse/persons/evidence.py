"""Why records are one person and why a phone is theirs, as factors (model/evidence.py):
the link's probability against the bar it had to clear, and the records behind a phone
link."""

from __future__ import annotations

import pyarrow as pa

from crossline.model import evidence as ev
from crossline.model import outputs as o
from crossline.model.evidence import Factor

MATCH_PROBABILITY = o.PERSONS.columns[3].name


def person_factors(persons: pa.Table, threshold: float) -> pa.Table:
    """persons with `evidence_factors`: each record's strongest link inside its person."""
    ids = persons.column(o.PERSON_ID).to_pylist()
    size: dict[str, int] = {}
    for pid in ids:
        size[pid] = size.get(pid, 0) + 1
    out = []
    for pid, p in zip(ids, persons.column(MATCH_PROBABILITY).to_pylist(), strict=True):
        if size[pid] == 1:
            f = Factor("records", 1, "known from this record only")
        else:
            f = Factor(
                "match_probability",
                p,
                f"one of {size[pid]} records of this person; its strongest link to another "
                f"is p={p:.3f} (records link at p>={threshold:g})",
                threshold=threshold,
            )
        out.append(ev.to_json([f]))
    return _with(persons, pa.array(out, pa.string()))


def phone_factors(links: pa.Table) -> pa.Table:
    """phone links with `evidence_factors`: the kind of record (nominal, event,
    subscriber) and the records themselves."""
    out = [
        ev.to_json([Factor(f"{source}_record", source, text)])
        for source, text in zip(
            links.column("source").to_pylist(), links.column("evidence").to_pylist(), strict=True
        )
    ]
    return _with(links, pa.array(out, pa.string()))


def _with(table: pa.Table, factors: pa.Array) -> pa.Table:
    name = o.EVIDENCE_FACTORS.name
    if name in table.column_names:
        table = table.drop_columns([name])
    return table.append_column(name, factors)
