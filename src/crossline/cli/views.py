"""Rich renderings of results: what an analyst reads on screen."""

from __future__ import annotations

from collections import Counter

import pyarrow as pa
from rich import box
from rich.table import Table

from crossline.ingest import IngestReport
from crossline.model import schema as s

SEP = s.LIST_SEP


def ingest_table(report: IngestReport, title: str) -> Table:
    table = Table(title=title)
    for col in ("file", "loaded", "quarantined", "duplicate"):
        table.add_column(col, justify="left" if col == "file" else "right")
    for name, c in report.files.items():
        if name in report.present or c.loaded or c.quarantined or c.duplicate:
            table.add_row(name, f"{c.loaded:,}", f"{c.quarantined:,}", f"{c.duplicate:,}")
    return table


def lines_table(register: pa.Table, limit: int = 10) -> Table:
    n = register.num_rows
    table = Table(title=f"Line register: top {min(limit, n)} of {n} lines")
    table.add_column("line", no_wrap=True)
    table.add_column("deal number (numbers)", no_wrap=True)
    table.add_column("controller", no_wrap=True)
    table.add_column("runners", justify="right")
    table.add_column("cust.", justify="right")
    table.add_column("exporter -> importer", overflow="fold")
    table.add_column("conf.", justify="right")
    for r in register.slice(0, limit).to_pylist():
        deals = [x for x in r["deal_numbers"].split(SEP) if x]
        runners = [x for x in r["runner_numbers"].split(SEP) if x]
        children = str(r["evidence"]).startswith("SAFEGUARDING")
        table.add_row(
            r["line_id"],
            f"{deals[-1]} ({len(deals)})",
            r["controller_number"] or "-",
            f"{len(runners)}" + (" [bold red]child![/]" if children else ""),
            str(r["customer_count"]),
            f"{r['exporter_force'] or '?'} -> {r['importer_force'] or '?'}",
            f"{r['confidence']:.2f}",
        )
    return table


def safeguarding_summary(listed: pa.Table, limit: int = 12) -> Table:
    rows = listed.to_pylist()
    reasons = Counter(x for r in rows for x in r["reasons"].split(SEP))
    referrals = Counter(r["recommended_referral"] for r in rows)
    children = sum(
        1 for r in rows if r["age_at_last_event"] is not None and r["age_at_last_event"] < 18
    )
    title = (
        (
            f"Safeguarding: {len(rows)} people ({children} children) - "
            + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items()))
            + " | referrals: "
            + ", ".join(f"{k} {v}" for k, v in sorted(referrals.items()))
        )
        if rows
        else "Safeguarding: nobody listed (no force records linked to a line yet)"
    )
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    # one reason, line or force to a line of the cell: in an 80-column terminal a folded
    # "missing_episode_linked" read as three words
    for col in ("person", "age", "reasons", "lines"):
        table.add_column(col, no_wrap=True)
    table.add_column("forces", overflow="fold")
    table.add_column("referral", no_wrap=True)
    rows.sort(key=lambda r: (r["age_at_last_event"] is None, r["age_at_last_event"] or 0))
    for r in rows[:limit]:
        table.add_row(
            r["person_id"],
            "?" if r["age_at_last_event"] is None else str(r["age_at_last_event"]),
            r["reasons"].replace(SEP, "\n"),
            r["line_ids"].replace(SEP, "\n"),
            r["forces"].replace(SEP, "\n"),
            r["recommended_referral"].replace("_safeguarding", ""),
        )
    return table


def measures_table(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(title=title)
    table.add_column("measure")
    table.add_column("value")
    for k, v in rows:
        table.add_row(k, v)
    return table
