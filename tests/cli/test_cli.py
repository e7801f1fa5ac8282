"""The user's path through the CLI, as the README tells it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crossline.cli import app
from crossline.model import schema as s
from crossline.runs import ConfigError, load_configuration
from tests.contract import contract_columns

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_simulate_ingest_analyse_export_evaluate(tmp_path: Path) -> None:
    data, ws = tmp_path / "data", tmp_path / "ws"
    run("simulate", str(data), "--lines", "3", "--people", "1500", "--days", "21", "--seed", "31")
    loaded = json.loads(run("--workspace", str(ws), "ingest", str(data), "--json"))
    assert set(loaded["files"]) == {spec.name for spec in s.INPUT_FILES}
    assert loaded["files"]["comms"]["loaded"] > 0
    again = json.loads(run("--workspace", str(ws), "ingest", str(data), "--json"))
    assert again["files"]["comms"] == {
        "loaded": 0,
        "quarantined": 0,
        "duplicate": loaded["files"]["comms"]["loaded"],
        "conflict": 0,
        "with_notes": 0,
    }
    status = json.loads(run("--workspace", str(ws), "status", "--json"))
    assert status["tables"]["comms"] == loaded["files"]["comms"]["loaded"]
    assert status["analysis"] is None
    assert "Analysis: none yet" in run("--workspace", str(ws), "status")
    # reading never runs an analysis: nothing stored yet is said in one line
    for args in (["export", "lines", str(tmp_path / "early.csv")], ["evaluate", str(data)]):
        early = runner.invoke(app, ["--workspace", str(ws), *args])
        assert early.exit_code == 1
        assert "crossline analyse" in early.output
        assert len(early.output.strip().splitlines()) == 1
    assert not (tmp_path / "early.csv").exists()

    analysed = run("--workspace", str(ws), "analyse")
    assert "Line register" in analysed
    assert "Stored as run 1" in analysed
    status = json.loads(run("--workspace", str(ws), "status", "--json"))
    assert status["analysis"]["run_id"] == 1
    assert status["analysis"]["stale"] is False
    assert status["analysis"]["finished_at"].endswith("Z")
    assert "Analysis: run 1" in run("--workspace", str(ws), "status")
    out = tmp_path / "lines.csv"
    run("--workspace", str(ws), "export", "lines", str(out))
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == contract_columns("lines.csv")
    assert len(rows) - 1 == 3
    # ordered by priority, every line scored
    rank = rows[0].index("priority_rank")
    assert [r[rank] for r in rows[1:]] == ["1", "2", "3"]
    score = rows[0].index("thr_score")
    assert all(0 <= float(r[score]) < 100 for r in rows[1:])
    assert "Act first" in analysed

    for what, columns in (
        ("persons", contract_columns("persons.csv")),
        ("safeguarding", contract_columns("safeguarding.csv")),
        ("supply", contract_columns("supply.csv")),
    ):
        path = tmp_path / f"{what}.csv"
        run("--workspace", str(ws), "export", what, str(path))
        with path.open(newline="", encoding="utf-8") as fh:
            exported = list(csv.reader(fh))
        assert tuple(exported[0]) == columns
        assert len(exported) > 1
    with (tmp_path / "persons.csv").open(newline="", encoding="utf-8") as fh:
        assert len(list(csv.reader(fh))) - 1 == loaded["files"]["nominals"]["loaded"]

    aliases = tmp_path / "aliases.csv"
    run("--workspace", str(ws), "export", "aliases", str(aliases))
    with aliases.open(newline="", encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == ["kind", "alias", "id", "since", "run_id"]

    scores = json.loads(run("--workspace", str(ws), "evaluate", str(data), "--json"))
    assert scores["lines"]["deal_numbers"]["recall"] >= 0.9
    assert scores["lines"]["lookalikes_reported"] == []
    assert scores["persons"]["f1"] >= 0.9
    assert scores["safeguarding"]["recall"] >= 0.8
    # recall over the persons the records give a thread to is never below the plain one
    assert scores["safeguarding"]["traceable_recall"] >= scores["safeguarding"]["recall"]
    assert -1 <= scores["risk"]["kendall_tau"] <= 1
    assert scores["risk"]["lines"] == 3

    # data loaded after the run makes what is stored stale: said, not silently re-run
    more = tmp_path / "more"
    more.mkdir()
    (more / "cells.csv").write_text(
        "cell_id,lat,lon,azimuth\nNEW000001,53.4,-2.2,0\n", encoding="utf-8"
    )
    run("--workspace", str(ws), "ingest", str(more))
    assert json.loads(run("--workspace", str(ws), "status", "--json"))["analysis"]["stale"]
    stale = runner.invoke(app, ["--workspace", str(ws), "export", "lines", str(out)])
    assert stale.exit_code == 0
    assert "data was loaded since" in stale.stderr
    assert "stale" in run("--workspace", str(ws), "status")


def test_workspace_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSLINE_WORKSPACE", str(tmp_path / "envws"))
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1
    assert "envws" in result.output


def test_bad_arguments_give_clear_errors(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["--workspace", str(tmp_path), "ingest", str(tmp_path / "no")])
    assert missing.exit_code == 2
    assert "No such dataset folder" in missing.output
    small = runner.invoke(app, ["simulate", str(tmp_path / "x"), "--people", "10"])
    assert small.exit_code == 2
    assert "at least 200" in small.output
    size = runner.invoke(app, ["simulate", str(tmp_path / "x"), "--size", "huge"])
    assert size.exit_code == 2
    empty = runner.invoke(app, ["--workspace", str(tmp_path / "empty"), "analyse"])
    assert empty.exit_code == 1
    assert "ingest" in empty.output


def test_analysis_parameters_come_from_the_workspaces_crossline_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    monkeypatch.chdir(tmp_path)  # a crossline.toml here must not reach another workspace
    (tmp_path / "crossline.toml").write_text("[lines]\nmin_burst_rate = 0.9\n", "utf-8")
    (ws / "crossline.toml").write_text("[lines]\nmin_burst_rate = 0.7\n", encoding="utf-8")
    cfg = load_configuration(ws)
    assert cfg.lines.min_burst_rate == 0.7
    assert cfg.lines.burst_gap_s == 300  # untouched defaults stay
    monkeypatch.setenv("CROSSLINE_LINES__BURST_GAP_S", "200")
    monkeypatch.setenv("CROSSLINE_SAFEGUARDING__DWELL_MIN", "4")
    cfg = load_configuration(ws)
    assert (cfg.lines.burst_gap_s, cfg.lines.min_burst_rate) == (200, 0.7)
    assert cfg.safeguarding.dwell_min == 4
    for bad in (
        "[lines]\nmin_burst_rate = 'often'\n",
        "[lines]\nmin_burst_rat = 0.7\n",
        "[persons]\nmatch_treshold = 0.5\n",
        "[lines\nmin_burst_rate = 0.7\n",
    ):
        (ws / "crossline.toml").write_text(bad, encoding="utf-8")
        with pytest.raises(ConfigError):
            load_configuration(ws)


@pytest.mark.parametrize(
    ("toml", "env", "says"),
    [
        ("[lines\n", {}, "not valid TOML"),
        ("[persons]\nmatch_threshold = 2.0\n", {}, "persons.match_threshold"),
        ("", {"CROSSLINE_LINES__BURST_GAP_S": "soon"}, "lines.burst_gap_s"),
        ("", {"CROSSLINE_THREADS": "0"}, "threads"),
    ],
)
def test_bad_configuration_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, env: dict[str, str], says: str
) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "crossline.toml").write_text(toml, encoding="utf-8")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    for args in (["analyse"], ["status"], ["export", "lines", str(tmp_path / "x.csv")]):
        result = runner.invoke(app, ["--workspace", str(ws), *args])
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert says in result.output
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output


def test_version() -> None:
    import crossline

    assert run("--version").strip() == f"crossline {crossline.__version__}"
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{crossline.__version__}"' in pyproject


def test_make_demo_command_line_runs(tmp_path: Path) -> None:
    """The exact crossline invocation in the Makefile's demo target works."""
    import re
    import shlex

    makefile = (Path(__file__).parents[2] / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^demo:.*\n\t(.+)$", makefile, flags=re.M)
    assert recipe is not None
    line = recipe.group(1)
    line = line.replace("$(DEMO_WORKSPACE)", str(tmp_path / "ws"))
    line = line.replace("$(DEMO_DATA)", str(tmp_path / "data"))
    args = shlex.split(line)
    assert args[0].endswith("crossline")
    out = run(*args[1:])
    assert "Line register" in out
    assert "Safeguarding" in out
    assert "Act first: top 5" in out
    assert "priority vs true harm" in out
    assert (tmp_path / "ws" / "crossline.duckdb").exists()
    # a second run starts afresh: same world, same register, nothing counted twice
    again = run(*args[1:])

    def section(text: str, start: str, end: str) -> str:
        return text[text.index(start) : text.index(end)]

    assert section(again, "Loaded", "3. Analyse") == section(out, "Loaded", "3. Analyse")
    assert section(again, "Line register", "Measured") == section(out, "Line register", "Measured")
    # the demo ends with the service running in the background (the second run stopped the
    # first's); stop it as the demo says to
    from crossline.cli.serve import stop_background

    assert "Serving http://127.0.0.1:" in again and "demo-coordinator" in again
    assert stop_background(tmp_path / "ws")


def test_demo_never_clears_a_workspace_it_did_not_create(tmp_path: Path) -> None:
    data, ws = tmp_path / "data", tmp_path / "real"
    run("simulate", str(data), "--lines", "2", "--people", "600", "--days", "10")
    run("--workspace", str(ws), "ingest", str(data))
    result = runner.invoke(app, ["--workspace", str(ws), "demo", "--data", str(tmp_path / "d")])
    assert result.exit_code == 2
    assert "did not create" in result.output
    assert (ws / "crossline.duckdb").exists()


def test_cli_reference_is_current() -> None:
    from crossline.cli.reference import reference

    doc = Path(__file__).parents[2] / "docs" / "cli.md"
    assert doc.read_text(encoding="utf-8") == reference(), (
        "docs/cli.md is stale: run `python -m crossline.cli.reference > docs/cli.md`"
    )


def test_exported_cells_never_run_as_formulas(tmp_path: Path) -> None:
    import pyarrow as pa

    from crossline.cli.results import write_csv

    table = pa.table(
        {
            "evidence": ['=HYPERLINK("http://x","y")', "@SUM(A1)", "-1+2", "plain"],
            "number": ["+447700900123", "-3.5", "+44", "07700 900123"],
        }
    )
    out = tmp_path / "x.csv"
    write_csv(table, out, ("evidence", "number"))
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    assert [r[0] for r in rows] == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1)", "'-1+2", "plain"]
    assert [r[1] for r in rows] == ["+447700900123", "-3.5", "+44", "07700 900123"]


def test_the_engine_flag_wins_over_the_environment_and_refuses_unknown_engines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, ws = tmp_path / "data", str(tmp_path / "ws")
    run("simulate", str(data), "--lines", "1", "--people", "300", "--days", "7", "--seed", "5")
    run("--workspace", ws, "ingest", str(data), "--json")
    monkeypatch.setenv("CROSSLINE_ENGINE", "spark")
    status = json.loads(run("--workspace", ws, "--engine", "duckdb", "status", "--json"))
    assert status["engine"] == "duckdb"
    bad = runner.invoke(app, ["--workspace", ws, "--engine", "sparkle", "status"])
    assert bad.exit_code == 2
    assert "sparkle" in bad.output
