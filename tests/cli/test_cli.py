"""The user's path through the CLI, as the README tells it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from crossline.cli import app
from crossline.model import schema as s
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

    assert "Line register" in run("--workspace", str(ws), "analyse")
    out = tmp_path / "lines.csv"
    run("--workspace", str(ws), "export", "lines", str(out))
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == contract_columns("lines.csv")
    assert len(rows) - 1 == 3

    for what, columns in (
        ("persons", contract_columns("persons.csv")),
        ("safeguarding", contract_columns("safeguarding.csv")),
    ):
        path = tmp_path / f"{what}.csv"
        run("--workspace", str(ws), "export", what, str(path))
        with path.open(newline="", encoding="utf-8") as fh:
            exported = list(csv.reader(fh))
        assert tuple(exported[0]) == columns
        assert len(exported) > 1
    with (tmp_path / "persons.csv").open(newline="", encoding="utf-8") as fh:
        assert len(list(csv.reader(fh))) - 1 == loaded["files"]["nominals"]["loaded"]

    scores = json.loads(run("--workspace", str(ws), "evaluate", str(data), "--json"))
    assert scores["lines"]["deal_numbers"]["recall"] >= 0.9
    assert scores["lines"]["lookalikes_reported"] == []
    assert scores["persons"]["f1"] >= 0.9
    assert scores["safeguarding"]["recall"] >= 0.8
    # recall over the persons the records give a thread to is never below the plain one
    assert scores["safeguarding"]["traceable_recall"] >= scores["safeguarding"]["recall"]


def test_workspace_from_environment(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
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


def test_analysis_parameters_come_from_crossline_toml(tmp_path: Path) -> None:
    import pytest

    from crossline.cli.results import ConfigError, analysis_configs

    path = tmp_path / "crossline.toml"
    path.write_text("[lines]\nmin_burst_rate = 0.7\n", encoding="utf-8")
    lines, _ = analysis_configs(path)
    assert lines.min_burst_rate == 0.7
    assert lines.burst_gap_s == 300  # untouched defaults stay
    path.write_text("[lines]\nmin_burst_rate = 'often'\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        analysis_configs(path)
    path.write_text("[lines]\nmin_burst_rat = 0.7\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        analysis_configs(path)


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
    assert (tmp_path / "ws" / "crossline.duckdb").exists()
    # a second run starts afresh: same world, same register, nothing counted twice
    again = run(*args[1:])

    def section(text: str, start: str, end: str) -> str:
        return text[text.index(start) : text.index(end)]

    assert section(again, "Loaded", "3. Analyse") == section(out, "Loaded", "3. Analyse")
    assert section(again, "Line register", "Measured") == section(out, "Line register", "Measured")


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
