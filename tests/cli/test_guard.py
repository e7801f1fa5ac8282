"""No traceback reaches a user: an unexpected fault is one line on stderr, exit code 70,
and the traceback in the error log."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crossline.cli.guard import EXIT_INTERNAL, run


def test_an_unexpected_fault_is_one_line_and_the_traceback_goes_to_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "errors.log"
    monkeypatch.setenv("CROSSLINE_ERROR_LOG", str(log))

    def broken() -> None:
        raise ValueError("Could not find an exact match level for given.")

    with pytest.raises(SystemExit) as stop:
        run(broken)
    assert stop.value.code == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "internal error (ValueError: Could not find an exact match level" in err
    assert str(log) in err
    assert "Traceback (most recent call last)" in log.read_text()


def test_exits_and_interrupts_pass_through() -> None:
    def done() -> None:
        raise SystemExit(3)

    with pytest.raises(SystemExit) as stop:
        run(done)
    assert stop.value.code == 3


def test_the_installed_command_is_guarded(tmp_path: Path) -> None:
    """The console script's entry point is the guarded main, not the bare app."""
    out = subprocess.run(
        [sys.executable, "-c", "import crossline.cli as c; print(c.main.__module__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "crossline.cli"
    script = Path(sys.executable).parent / "crossline"
    assert "from crossline.cli import main" in script.read_text()
