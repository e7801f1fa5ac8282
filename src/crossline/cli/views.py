"""Rich renderings of results: what an analyst reads on screen."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator

import pyarrow as pa
from rich import box
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from crossline.ingest import IngestReport
from crossline.model import evidence as ev
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


class Wrapped:
    """Codes one to a line (force ids: devon-and-cornwall; reasons: missing_episode_linked),
    broken only after a separator, the rest indented, when the column is narrower than a
    code. Rich folds a long word at any letter ("hampshi" / "re"), which reads as two."""

    INDENT = "  "

    def __init__(self, codes: list[str], sep: str) -> None:
        self.codes = codes
        self.part = re.compile(f"[^{re.escape(sep)}]+{re.escape(sep)}?|{re.escape(sep)}")

    def _parts(self, code: str) -> list[str]:
        return self.part.findall(code) or [code]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((len(c) for c in self.codes), default=0)
        part = max((len(p) for c in self.codes for p in self._parts(c)), default=0)
        return Measurement(min(widest, part + len(self.INDENT)), widest)

    def lines(self, width: int) -> list[str]:
        out: list[str] = []
        for code in self.codes:
            line = ""
            for part in self._parts(code):
                if line.strip() and len(line) + len(part) > width:
                    out.append(line)
                    line = self.INDENT
                line += part
            out.append(line)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        yield Text("\n".join(self.lines(options.max_width)), overflow="fold")


def _compact(title: str) -> Table:
    """A table for an analyst's terminal: no vertical rules, one space between columns,
    so that it reads in 80 columns without folding numbers or force names."""
    return Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=0,
        show_edge=False,
    )


def lines_table(register: pa.Table, limit: int = 10) -> Table:
    n = register.num_rows
    table = _compact(f"Line register: top {min(limit, n)} of {n} lines")
    # each value on lines of its own (the line's earlier numbers, the child flag, the
    # importer under the exporter) rather than folded mid-word in a narrow terminal
    table.add_column("line", no_wrap=True)
    table.add_column("deal number", no_wrap=True)
    table.add_column("controller", no_wrap=True)
    table.add_column("runners", justify="right", no_wrap=True)
    table.add_column("cust", justify="right", no_wrap=True)
    table.add_column("from -> to", no_wrap=True)
    table.add_column("conf", justify="right", no_wrap=True)
    for r in register.slice(0, limit).to_pylist():
        deals = [x for x in r["deal_numbers"].split(SEP) if x]
        runners = [x for x in r["runner_numbers"].split(SEP) if x]
        # the register's flags field: a child runner, a runner of unknown age, or a runner
        # number on no one's record (who may be a child)
        children = bool(json.loads(r.get("safeguarding_flags") or "[]"))
        table.add_row(
            r["line_id"],
            (deals[-1] if deals else "-")
            + (f"\n+{len(deals) - 1} earlier" if len(deals) > 1 else ""),
            r["controller_number"] or "-",
            f"{len(runners)}" + ("\n[bold red]child![/]" if children else ""),
            str(r["customer_count"]),
            f"{r['exporter_force'] or '?'}\n-> {r['importer_force'] or '?'}",
            f"{r['confidence']:.2f}",
        )
    return table


# risk factors that are not reasons to act: the summary, and the line's likelihood
_NOT_REASONS = {"risk_thr_score", "risk_detection_confidence"}


def reasons(factors_json: str | None, limit: int = 4) -> list[str]:
    """A line's weightiest risk reasons, as the register's factors say them: points first
    (largest first), then the intelligence grading that multiplied them."""
    risk = [
        f
        for f in ev.from_json(factors_json)
        if f.name.startswith("risk_") and f.name not in _NOT_REASONS
    ]
    points = sorted(
        (f for f in risk if f.name != "risk_intelligence" and (f.weight or 0) > 0),
        key=lambda f: -(f.weight or 0),
    )
    intel = [f for f in risk if f.name == "risk_intelligence"]
    return [f.text for f in (points[: limit - 1] + intel)[:limit]]


def priorities_table(register: pa.Table, limit: int = 5) -> Table:
    """The lines to act on first, each with the reasons an officer can read out. A line
    a child runs for says so under its id, whatever its rank."""
    rows = sorted(
        register.to_pylist(),
        key=lambda r: (r["priority_rank"] is None, r["priority_rank"] or 0),
    )[:limit]
    table = _compact(
        f"Act first: top {len(rows)} of {register.num_rows} lines by threat, harm, risk"
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("line", no_wrap=True)
    table.add_column("THR", justify="right", no_wrap=True)
    table.add_column("why")
    for r in rows:
        flags = json.loads(r.get("safeguarding_flags") or "[]")
        kinds = {f.get("flag") for f in flags}
        flag = (
            "\n[bold red]child runner[/]"
            if "child_runner" in kinds
            else "\n[bold red]may be child[/]"
            if flags
            else ""
        )
        score = r["thr_score"]
        table.add_row(
            str(r["priority_rank"] or "-"),
            r["line_id"] + flag,
            "-" if score is None else f"{score:.0f}",
            "\n".join(reasons(r.get("evidence_factors"))) or "-",
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
    table = _compact(title)
    # one reason, line or force to a line of the cell; a reason or force too long for an
    # 80-column terminal breaks after an underscore or hyphen, the rest indented (Wrapped)
    for col in ("person", "age"):
        table.add_column(col, no_wrap=True)
    table.add_column("reasons")
    table.add_column("lines", no_wrap=True)
    table.add_column("forces")
    table.add_column("referral", no_wrap=True)
    rows.sort(key=lambda r: (r["age_at_last_event"] is None, r["age_at_last_event"] or 0))
    for r in rows[:limit]:
        table.add_row(
            r["person_id"],
            "?" if r["age_at_last_event"] is None else str(r["age_at_last_event"]),
            Wrapped([x for x in r["reasons"].split(SEP) if x], "_"),
            r["line_ids"].replace(SEP, "\n"),
            Wrapped([f for f in r["forces"].split(SEP) if f], "-"),
            r["recommended_referral"].replace("_safeguarding", ""),
        )
    return table


def targets_table(targets: pa.Table, winner: str, limit: int = 5) -> Table:
    """The first targets, and every child to safeguard instead: never one list without
    the other, so no view shows a child only as a target."""
    rows = targets.to_pylist()
    ranked = [r for r in rows if r["rank"] is not None][:limit]
    protect = [r for r in rows if r["kind"] == "safeguard"]
    table = _compact(
        f"Targets (chosen by {winner}): {len(ranked)} shown; {len(protect)} children or "
        "possible children to safeguard, never targets"
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("who", no_wrap=True)
    table.add_column("lines", no_wrap=True)
    table.add_column("cuts", justify="right", no_wrap=True)
    table.add_column("why")
    for r in ranked:
        why = str(r["reasons"]).split(";")[0]
        table.add_row(
            str(r["rank"]), r["entity"], r["line_ids"].replace(SEP, "\n"),
            f"{r['expected_effect']:.0%}", why,
        )  # fmt: skip
    for r in protect[:limit]:
        table.add_row(
            "[bold red]safeguard[/]", r["entity"], r["line_ids"].replace(SEP, "\n"),
            f"{r['expected_effect']:.0%}", "never a target",
        )  # fmt: skip
    return table


def measures_table(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(title=title)
    table.add_column("measure")
    table.add_column("value")
    for k, v in rows:
        table.add_row(k, v)
    return table
