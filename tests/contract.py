"""The data contract's export tables, read from docs/data-contract.md, so tests hold the
code to the document rather than to the code's own constants."""

from __future__ import annotations

from pathlib import Path

from crossline.model import outputs as o

CONTRACT = Path(__file__).resolve().parents[1] / "docs" / "data-contract.md"


def contract_columns(file: str) -> tuple[str, ...]:
    """The column names of the contract's table under the heading naming `file`."""
    text = CONTRACT.read_text("utf-8")
    start = text.index(f"`{file}`")
    section = text[start:].split("\n### ", 1)[0].split("\n## ", 1)[0]
    names: list[str] = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or cells[0] in ("column", "") or set(cells[0]) <= {"-"}:
            continue
        names += [n.strip() for n in cells[0].split(",")]
    return tuple(names)


def stored_extras(spec: o.OutputSpec) -> set[str]:
    return {c.name for c in spec.columns if not c.exported}


def without_extras(columns: list[str], spec: o.OutputSpec) -> tuple[str, ...]:
    """A stored table's columns less the declared store-only ones: what must equal the
    contract's table."""
    return tuple(c for c in columns if c not in stored_extras(spec))
