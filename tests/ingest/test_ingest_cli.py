"""`crossline ingest` as a user meets it: one line for what went wrong, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from crossline.cli import app

from .helpers import COMMS_HEADER, GOOD_COMMS, csv_text, write

runner = CliRunner()

HOLD = """
import sys, time
from pathlib import Path
from crossline.cli.errors import ingest_marker
from crossline.engine.duckdb import DuckDBEngine
ws = Path(sys.argv[1])
engine = DuckDBEngine(ws / "crossline.duckdb")
with ingest_marker(ws):
    print("holding", flush=True)
    time.sleep(60)
"""


def _dataset(root: Path) -> Path:
    write(root / "comms.csv", csv_text(COMMS_HEADER, GOOD_COMMS))
    write(root / "notes.docx", "x")
    return root


def test_json_reports_not_read_conflict_and_notes(tmp_path: Path) -> None:
    ds = _dataset(tmp_path / "ds")
    res = runner.invoke(app, ["--workspace", str(tmp_path / "ws"), "ingest", str(ds), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["files"]["comms"]["conflict"] == 0 and out["files"]["comms"]["with_notes"] == 0
    assert out["not_read"] == [{"path": "notes.docx", "reason": "format not read (.docx)"}] or (
        out["not_read"][0]["path"] == "notes.docx"
    )


def test_a_file_given_as_the_dataset(tmp_path: Path) -> None:
    ds = _dataset(tmp_path / "ds")
    res = runner.invoke(app, ["--workspace", str(tmp_path / "ws"), "ingest", str(ds / "comms.csv")])
    assert res.exit_code == 2
    assert "is a file: give the folder that holds it" in res.output
    assert "Traceback" not in res.output


def test_mapping_option_and_a_bad_mapping(tmp_path: Path) -> None:
    ds = tmp_path / "prov"
    write(
        ds / "comms.csv",
        "Ref,start_time,A,B,Type\nx1,2024-06-01 12:00,07700900123,07700900124,Voice\n",
    )
    write(
        tmp_path / "m.toml",
        '[comms.columns]\nRef = "record_id"\nA = "source"\nB = "target"\nType = "kind"\n'
        '[comms.values.kind]\nVoice = "call"\n',
    )
    ws = str(tmp_path / "ws")
    res = runner.invoke(
        app, ["-w", ws, "ingest", str(ds), "--mapping", str(tmp_path / "m.toml"), "--json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["files"]["comms"]["loaded"] == 1
    write(tmp_path / "bad.toml", "[comms\n")
    res = runner.invoke(app, ["-w", ws, "ingest", str(ds), "--mapping", str(tmp_path / "bad.toml")])
    assert res.exit_code == 2 and "not valid TOML" in res.output
    assert "Traceback" not in res.output


def test_second_writer_gets_one_line_and_exit_75(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    ds = _dataset(tmp_path / "ds")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(ws)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        started = time.strftime("%H:%M")
        res = runner.invoke(app, ["--workspace", str(ws), "ingest", str(ds)])
        assert res.exit_code == 75, res.output
        line = res.output.strip()
        assert "\n" not in line
        assert line.startswith("workspace busy: an ingest has been running since ")
        assert f"(PID {holder.pid}); try again when it ends" in line
        assert started[:2] in line
    finally:
        holder.kill()
        holder.wait()


# A statement of the store's engine that runs longer than the engine's progress-bar delay
# (2 s), as the commit of a large file does; nothing of it may reach stdout.
LONG_STATEMENT = """
import time
from crossline.engine.duckdb import DuckDBEngine
engine = DuckDBEngine()
def nap(x: int) -> int:
    time.sleep(0.001)
    return x
engine.connection.create_function("nap", nap, ["BIGINT"], "BIGINT", side_effects=True)
engine.scalar("SELECT sum(nap(i)) FROM range(3000) t(i)")
engine.close()
"""


def test_the_engine_writes_no_progress_bar_to_stdout() -> None:
    out = subprocess.run(
        [sys.executable, "-c", LONG_STATEMENT], capture_output=True, check=True, timeout=120
    )
    assert out.stdout == b""


def test_json_on_stdout_parses_alone(tmp_path: Path) -> None:
    ds = _dataset(tmp_path / "ds")
    main = "from crossline.cli import app; app(prog_name='crossline')"
    cli = [sys.executable, "-c", main, "--workspace", str(tmp_path / "ws")]
    out = subprocess.run([*cli, "ingest", str(ds), "--json"], capture_output=True, check=True)
    report = json.loads(out.stdout)  # the whole of stdout, nothing before or after
    assert report["files"]["comms"]["loaded"] == 2
