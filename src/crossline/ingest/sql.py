"""Small helpers for writing DuckDB-dialect SQL text safely."""

from __future__ import annotations

from collections.abc import Iterable

# Whitespace as the SQL paths see it (the same set as normalise.WHITESPACE).
WS_SQL = "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)"


def ident(name: str) -> str:
    """A quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    """A quoted string literal."""
    return "'" + text.replace("'", "''") + "'"


def lit_list(values: Iterable[str]) -> str:
    """A SQL list literal of strings, e.g. ['a', 'b']."""
    return "[" + ", ".join(lit(v) for v in values) + "]"


def in_list(values: Iterable[str]) -> str:
    """A parenthesised list for IN (...)."""
    return "(" + ", ".join(lit(v) for v in values) + ")"
