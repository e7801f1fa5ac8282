"""The service's commands: users added with the password on standard input (never an
argument), listed and disabled; `audit verify` exits 1 naming the entry altered; the
demo's background start answers on /api/v1/health and stops by its pid file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from crossline.cli import app
from crossline.cli.serve import start_background, stop_background
from crossline.store import open_store, sqlite_url

runner = CliRunner()
PW = "a long enough password\n"


def cli(ws: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    r = runner.invoke(app, ["--workspace", str(ws), *args], input=stdin, env={"COLUMNS": "200"})
    return r.exit_code, r.output


def test_users_add_list_disable(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    code, out = cli(ws, "users", "add", "ana", "--force", "cheshire", "--role", "analyst")
    assert code == 2 and "--password-stdin" in out
    code, out = cli(ws, "users", "add", "ana", "--force", "cheshire", "--role", "analyst",
                    "--password-stdin", stdin="a long enough password\n")  # fmt: skip
    assert code == 0, out
    code, out = cli(
        ws,
        "users",
        "add",
        "co",
        "--force",
        "cheshire",
        "--role",
        "tasking_coordinator",
        "--password-stdin",
        stdin=PW,
    )
    assert code == 2 and "national" in out
    code, out = cli(ws, "users", "add", "x", "--force", "atlantis", "--role", "analyst",
                    "--password-stdin", stdin="a long enough password\n")  # fmt: skip
    assert code == 2 and "unknown force" in out
    code, out = cli(ws, "users", "list")
    assert "ana" in out and "active" in out
    assert cli(ws, "users", "disable", "ana")[0] == 0
    assert "disabled" in cli(ws, "users", "list")[1]
    assert cli(ws, "users", "disable", "nobody")[0] == 1
    code, out = cli(ws, "audit")
    assert code == 0 and "alteration" in out


def test_audit_verify_exits_non_zero_naming_the_altered_entry(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    for name in ("a1", "a2", "a3"):
        cli(ws, "users", "add", name, "--force", "cheshire", "--role", "analyst",
            "--password-stdin", stdin="a long enough password\n")  # fmt: skip
    code, out = cli(ws, "audit", "verify")
    assert code == 0 and "3 entries" in out
    store = open_store(sqlite_url(ws))
    with store.write() as conn:
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 2"))
    store.close()
    code, out = cli(ws, "audit", "verify")
    assert code == 1 and "entry 2" in out


def test_background_service_answers_and_stops(tmp_path: Path) -> None:
    import urllib.request

    ws = tmp_path / "ws"
    ws.mkdir()
    pid, url = start_background(ws)
    try:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/api/v1/health", timeout=5) as r:
            assert r.status == 200
        assert (ws / "service.pid").read_text().strip() == str(pid)
    finally:
        assert stop_background(ws)
    assert not (ws / "service.pid").exists()
    assert (ws / "secret_key").stat().st_mode & 0o777 == 0o600
