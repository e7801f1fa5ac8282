"""The engine seam: every statement the analyses issue is house-dialect SQL that sqlglot
parses and carries to Spark SQL, and the dialect layer's expressions mean what they say.

The Spark check runs over the statements recorded from a whole analysis (run_all) of a
small simulated world, since statements are assembled at run time. Ingest statements
(read_csv, COPY, the Parquet stage) are the DuckDB adapter's own business and are not
recorded here; neither are the statements Splink issues itself (it has its own Spark
backend). Crossline's own SQL handed to Splink (the model's levels and blocking rules)
is checked to parse."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlglot
from sqlglot import exp

from crossline.analyse.persons import blocking, model, prepare
from crossline.analyse.pipeline import run_all
from crossline.engine.base import transpile
from crossline.engine.dialect import DUCKDB, SPARK, Dialect, quote
from crossline.engine.duckdb import DuckDBEngine
from crossline.model import schema as s

from ..conftest import Ingested
from .recording import RecordingEngine

# Functions Spark has that sqlglot does not know, so that it passes their calls through by
# name (exp.Anonymous). Any other unknown function has no Spark mapping and fails the test.
SPARK_BUILTINS_UNKNOWN_TO_SQLGLOT: frozenset[str] = frozenset()
SPARK_FUNCTIONS = SPARK_BUILTINS_UNKNOWN_TO_SQLGLOT | SPARK.registered_functions


def _silent_mistranslations(tree: exp.Expression) -> list[str]:
    """Constructs sqlglot carries to Spark without complaint into SQL that means something
    else or that Spark refuses at analysis time."""
    found = []
    for agg in tree.find_all(exp.AggFunc):
        if isinstance(agg.this, exp.Order):  # collect_list has no ORDER BY: dropped
            found.append(f"ordered aggregate {agg.sql('duckdb')}")
    for window in tree.find_all(exp.Window):
        if isinstance(window.this, exp.AggFunc) and isinstance(window.this.this, exp.Distinct):
            found.append(f"distinct aggregate over a window {window.sql('duckdb')}")
    return found


def spark_problems(sql: str) -> list[str]:
    """What keeps one house-dialect statement from running on Spark (empty if nothing)."""
    try:
        trees = sqlglot.parse(sql, read="duckdb")
    except sqlglot.errors.ParseError as exc:
        return [f"does not parse as DuckDB SQL: {exc}"]
    if len(trees) != 1 or trees[0] is None:
        return [f"{len(trees)} statements, not one"]
    tree = trees[0]
    try:
        transpile(sql, SPARK.name)  # the adapter's own path, raising on anything unsupported
    except sqlglot.errors.SqlglotError as exc:
        return [f"does not transpile to Spark: {exc}"]
    unknown = {f.name.lower() for f in tree.find_all(exp.Anonymous)} - SPARK_FUNCTIONS
    problems = [f"function {name}() has no Spark mapping" for name in sorted(unknown)]
    return problems + _silent_mistranslations(tree)


def _run_recorded(ingested: Ingested, hide: frozenset[str] = frozenset()) -> list[str]:
    engine = RecordingEngine(ingested.engine, hide)
    run_all(engine)
    return list(engine.distinct())


@pytest.fixture(scope="module")
def analysis_statements(ingested_world: Ingested) -> list[str]:
    """Every distinct statement run_all issues: on the full store, and again as if the store
    held no events or subscribers (the analyses then take other branches)."""
    full = _run_recorded(ingested_world)
    partial = _run_recorded(ingested_world, frozenset({s.EVENTS.name, s.SUBSCRIBERS.name}))
    return list(dict.fromkeys(full + partial))


def test_every_analysis_statement_transpiles_to_spark(analysis_statements: list[str]) -> None:
    assert len(analysis_statements) >= 18  # every analysis took part
    failures = {
        " ".join(sql.split())[:160]: problems
        for sql in analysis_statements
        if (problems := spark_problems(sql))
    }
    assert failures == {}


def test_the_check_catches_what_it_is_for() -> None:
    assert spark_problems("SELECT force FROM nominals")  # force is a keyword: quote it
    assert spark_problems("SELECT hour(timezone('Europe/London', t)) FROM x")
    assert spark_problems("SELECT list(t ORDER BY t) FROM x")
    assert spark_problems("SELECT string_agg(e, ', ' ORDER BY e) FROM x")
    assert spark_problems("SELECT count(DISTINCT p) OVER (PARTITION BY n) FROM x")
    assert spark_problems('SELECT "force", list_sort(list(t)) FROM x GROUP BY ALL') == []


def _model_sql() -> Iterator[str]:
    settings = model.settings(1e-4).create_settings_dict(DUCKDB.name)
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level["sql_condition"] != "ELSE":
                yield level["sql_condition"]
    rules = [r["blocking_rule"] for r in settings["blocking_rules_to_generate_predictions"]]
    for rule in blocking.training_blocking_rules() + blocking.deterministic_rules():
        rules.append(rule.create_blocking_rule_dict(DUCKDB.name)["blocking_rule"])
    yield from rules


def test_the_sql_crossline_hands_splink_parses() -> None:
    conditions = list(_model_sql())
    assert len(conditions) > 50
    for sql in conditions:
        sqlglot.parse_one(sql, read="duckdb")


def test_the_model_written_for_spark_names_columns_not_strings() -> None:
    """Splink carries a level to Spark only if it says its SQL is DuckDB's (comparisons._level);
    one that does not reaches Spark as written, where "dob_l" is the string 'dob_l': the
    one-digit-of-the-year level never matched there. No prepared column (or its pair's
    name_l, name_r) may be a string literal in the model's Spark SQL."""
    settings = model.settings(1e-4).create_settings_dict(SPARK.name)
    conditions = [
        level["sql_condition"]
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
        if level["sql_condition"] != "ELSE"
    ] + [rule["blocking_rule"] for rule in settings["blocking_rules_to_generate_predictions"]]
    for rule in blocking.training_blocking_rules() + blocking.deterministic_rules():
        conditions.append(rule.create_blocking_rule_dict(SPARK.name)["blocking_rule"])
    columns = {v for k, v in vars(prepare).items() if k.isupper() and isinstance(v, str)}
    names = columns | {f"{c}_{side}" for c in columns for side in "lr"}
    literals = [
        (lit.this, sql)
        for sql in conditions
        for lit in sqlglot.parse_one(sql, read="spark").find_all(exp.Literal)
        if lit.is_string and lit.this in names
    ]
    assert len(conditions) > 50
    assert literals == []


# --- the dialect layer's expressions, on tiny data with known answers ----------------------


@pytest.fixture(scope="module")
def duck() -> Iterator[DuckDBEngine]:
    engine = DuckDBEngine()
    yield engine
    engine.close()


@pytest.mark.parametrize("dialect", [DUCKDB, SPARK], ids=lambda d: d.name)
def test_local_time_is_the_wall_clock_in_the_zone(duck: DuckDBEngine, dialect: Dialect) -> None:
    # British Summer Time in June, Greenwich Mean Time in January
    sql = (
        f"SELECT hour({dialect.local_time('t', 'Europe/London')}) AS h FROM "
        "(VALUES (TIMESTAMP '2026-06-01 21:30:00'), (TIMESTAMP '2026-01-15 21:30:00')) v(t)"
    )
    assert duck.query(sql).column("h").to_pylist() == [22, 21]


@pytest.mark.parametrize("dialect", [DUCKDB, SPARK], ids=lambda d: d.name)
def test_list_length_counts_elements(duck: DuckDBEngine, dialect: Dialect) -> None:
    sql = (
        f"SELECT {dialect.list_length('l')} AS n FROM "
        "(VALUES (1, ['ab', 'c', 'def']), (2, CAST([] AS VARCHAR[]))) v(i, l) ORDER BY i"
    )
    assert duck.query(sql).column("n").to_pylist() == [3, 0]


@pytest.mark.parametrize("dialect", [DUCKDB, SPARK], ids=lambda d: d.name)
def test_ordered_aggregates(duck: DuckDBEngine, dialect: Dialect) -> None:
    sql = f"""
        SELECT g, {dialect.ordered_list("t")} AS times,
               {dialect.ordered_distinct_string_agg("e", "; ")} AS joined
        FROM (VALUES (1, 3, 'b'), (1, 1, 'a'), (1, 2, 'b'), (1, 4, NULL), (2, 5, NULL)) v(g, t, e)
        GROUP BY g ORDER BY g
    """
    rows = duck.query(sql).to_pylist()
    assert rows == [
        {"g": 1, "times": [1, 2, 3, 4], "joined": "a; b"},
        {"g": 2, "times": [5], "joined": None},
    ]


@pytest.mark.parametrize("dialect", [DUCKDB, SPARK], ids=lambda d: d.name)
def test_edit_distance_counts_a_transposition_once(duck: DuckDBEngine, dialect: Dialect) -> None:
    sql = (
        f"SELECT {dialect.edit_distance('a', 'b')} AS d FROM "
        "(VALUES (1, 'kai', 'kay'), (2, 'murphy', 'mruphy'), (3, 'abc', 'abc')) v(i, a, b) "
        "ORDER BY i"
    )
    assert duck.query(sql).column("d").to_pylist() == [1, 1, 0]


def test_identifiers_are_quoted_in_the_house_style() -> None:
    assert quote(s.FORCE) == '"force"' == DUCKDB.quote(s.FORCE)
    assert quote('a"b') == '"a""b"'
    assert transpile(f"SELECT {quote(s.FORCE)} FROM t", SPARK.name) == "SELECT `force` FROM t"


def test_the_adapter_passes_house_sql_through_or_transpiles_it(ingested_world: Ingested) -> None:
    sql = f"SELECT {quote(s.FORCE)}, array_length([1, 2]) AS n FROM t"
    assert ingested_world.engine.translate(sql) == sql  # DuckDB runs the house dialect

    spark = RecordingEngine(ingested_world.engine)
    spark.dialect = SPARK
    hits = transpile.cache_info().hits
    assert spark.translate(sql) == "SELECT `force`, SIZE(ARRAY(1, 2)) AS n FROM t"
    assert spark.translate(sql) == "SELECT `force`, SIZE(ARRAY(1, 2)) AS n FROM t"
    assert transpile.cache_info().hits > hits  # a repeated statement is not parsed again
