"""The expressions that differ between engines, in one place (as Splink's dialects do).

Crossline writes SQL once, in the house dialect (DuckDB's syntax, engine.base.SQL_DIALECT),
and an engine whose dialect differs transpiles each statement with sqlglot. sqlglot maps
most of the house dialect faithfully, but a few DuckDB forms it either cannot map or maps
to something that runs and means something else (`len` of a list becomes Spark's string
`length`; the ORDER BY of an ordered `list(...)` aggregate is dropped). The house forms
below are the ones that do transpile to the same meaning; an engine's class overrides a
method only where its engine needs another form still written in house syntax.

Every method returns house-dialect SQL text, so a statement built from them parses with
sqlglot as DuckDB SQL whatever the engine (tests/engine/test_dialect.py checks that every
statement an analysis issues does, and transpiles to Spark SQL).
"""

from __future__ import annotations

from typing import ClassVar


def quote(identifier: str) -> str:
    """A quoted identifier in the house dialect. Contract column names include words that
    are reserved somewhere (`force` is a keyword to sqlglot's parser and to Spark), so a
    column name from model.schema always goes into SQL quoted; sqlglot carries the quoting
    into each engine's own style (backticks for Spark)."""
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A string literal in the house dialect."""
    return "'" + text.replace("'", "''") + "'"


class Dialect:
    """An engine's SQL dialect: its sqlglot name and its forms of the expressions that are
    not written the same way everywhere."""

    name: ClassVar[str]  # sqlglot's name for the engine's dialect
    # functions the engine has that sqlglot does not know (so it passes their calls through
    # by name): the engine registers them itself, as Splink's Spark backend registers its
    # string-similarity UDFs
    registered_functions: ClassVar[frozenset[str]] = frozenset()

    def quote(self, identifier: str) -> str:
        return quote(identifier)

    def local_time(self, utc_timestamp: str, zone: str) -> str:
        """The wall-clock time in `zone` (an IANA name) of a timestamp stored in UTC.
        AT TIME ZONE twice, not DuckDB's timezone(): sqlglot maps it to Spark's
        from_utc_timestamp."""
        return f"({utc_timestamp} AT TIME ZONE 'UTC' AT TIME ZONE {literal(zone)})"

    def list_length(self, items: str) -> str:
        """The number of elements of a list. `array_length`, not `len`: sqlglot reads `len`
        as string length, which Spark's `length` would compute."""
        return f"array_length({items})"

    def ordered_list(self, value: str) -> str:
        """Aggregate: the values of a group as a list in ascending order (nulls last).
        Sorted after aggregating: Spark's collect_list has no ORDER BY."""
        return f"list_sort(list({value}))"

    def ordered_distinct_string_agg(self, value: str, separator: str) -> str:
        """Aggregate: the distinct non-null values of a group in ascending order, joined by
        `separator` (NULL for a group with none). A sorted distinct list joined, not
        string_agg(DISTINCT ... ORDER BY ...): Spark (before 4.0) has no ordered string
        aggregate."""
        return (
            f"array_to_string(list_sort(list(DISTINCT {value}) "
            f"FILTER (WHERE {value} IS NOT NULL)), {literal(separator)})"
        )

    def edit_distance(self, a: str, b: str) -> str:
        """Damerau-Levenshtein distance (optimal string alignment) of two strings."""
        return f"damerau_levenshtein({a}, {b})"


class DuckDBDialect(Dialect):
    """The house dialect itself: SQL runs as written."""

    name = "duckdb"


class SparkDialect(Dialect):
    """Spark SQL, reached by transpiling the house dialect (engine/spark)."""

    name = "spark"
    # Spark has no Damerau-Levenshtein or Jaro-Winkler; the Spark engine registers them
    # on every session from Splink's Scala UDF jar (scala-udf-similarity), under these
    # names: damerau_levenshtein as the house dialect calls it, jarowinkler_similarity as
    # sqlglot writes DuckDB's jaro_winkler_similarity for Spark (engine/spark/session.py)
    registered_functions = frozenset({"damerau_levenshtein", "jarowinkler_similarity"})


DUCKDB = DuckDBDialect()
SPARK = SparkDialect()
