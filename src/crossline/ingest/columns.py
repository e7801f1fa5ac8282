"""Matching a file's header (or Parquet schema, or sheet's first row) to the contract.

Names are compared trimmed and case-insensitively, after a mapping file's renames; the first
of repeated names wins; unknown columns are ignored (kept in raw rows only). Every absent
required column is named at once, each with the closest header found, because a provider
fixing an export wants the whole list, not one column per attempt.
"""

from __future__ import annotations

import difflib

from crossline.ingest.errors import MissingColumnError
from crossline.ingest.mapping import FileMapping
from crossline.model.schema import FileSpec


def _closest(column: str, header: list[str]) -> str | None:
    names = {h.strip().lower(): h.strip() for h in header if h.strip()}
    squashed = {k.replace(" ", "_").replace("-", "_"): v for k, v in names.items()}
    found = difflib.get_close_matches(column, list(squashed), n=1, cutoff=0.6)
    return squashed[found[0]] if found else None


def header_mapping(
    spec: FileSpec, header: list[str], source: str, mapping: FileMapping | None = None
) -> dict[str, int]:
    """Contract column -> field position. Raises MissingColumnError naming every absent
    required column (and every `one_of` group of which no column is present)."""
    wanted = set(spec.names)
    renames = mapping.columns if mapping else {}
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.strip().lower()
        key = renames.get(key, key)
        if key in wanted and key not in positions:
            positions[key] = i
    missing = [c for c in spec.required if c not in positions]
    missing += [" or ".join(g) for g in spec.one_of if not any(c in positions for c in g)]
    if missing:
        closest = {c: _closest(c.split(" or ")[0], header) for c in missing}
        raise MissingColumnError(spec.name, missing, source, closest)
    return positions
