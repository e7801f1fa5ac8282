"""`crossline serve`: the shared service over HTTP (uvicorn), and the background start the
demo uses. The store is migrated once here, before any worker starts, so workers never
race to migrate it; the signing key is read by the workers from the workspace or
CROSSLINE_SECRET_KEY, never passed on a command line.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from crossline.cli.operational import operational, settings_from
from crossline.cli.results import fail
from crossline.settings import Settings

out = Console(soft_wrap=True)
PID_FILE = "service.pid"
LOG_FILE = "service.log"


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the API (/api/v1, OpenAPI at /openapi.json) over the operational store."""
    import uvicorn

    from crossline.api.app import MIGRATED_ENV
    from crossline.api.settings import service_settings

    st = settings_from(ctx)
    with operational(ctx):  # migrates, and says so in one line if the store is unreachable
        pass
    try:
        service_settings(st.workspace)  # the signing key exists before the workers start
    except ValueError as exc:
        raise fail(str(exc), 2) from exc
    os.environ["CROSSLINE_WORKSPACE"] = str(st.workspace.resolve())
    os.environ[MIGRATED_ENV] = "1"
    uvicorn.run(
        "crossline.api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        proxy_headers=False,
        # a worker's start-up imports take seconds on a busy machine; the default 5 s
        # health check would kill and restart it in a loop
        timeout_worker_healthcheck=60,
    )


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def stop_background(workspace: Path) -> bool:
    """Stop the service a demo started in this workspace (its pid file), if running."""
    pid_file = workspace / PID_FILE
    if not pid_file.is_file():
        return False
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGTERM)
    except (ValueError, ProcessLookupError, PermissionError):
        return False
    finally:
        pid_file.unlink(missing_ok=True)
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    return True


def healthy(url: str, timeout_s: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def start_background(workspace: Path, host: str = "127.0.0.1") -> tuple[int, str]:
    """`crossline serve` detached from this process (its own session, output to the
    workspace's service.log, pid in service.pid); (pid, address) once it answers."""
    port = free_port(host)
    log = (workspace / LOG_FILE).open("ab")
    cmd = [
        sys.executable,
        "-c",
        "from crossline.cli import app; app()",
        "--workspace",
        str(workspace),
        "serve",
        "--host",
        host,
        "--port",
        str(port),
    ]
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
    )
    log.close()
    (workspace / PID_FILE).write_text(f"{proc.pid}\n")
    url = f"http://{host}:{port}"
    if not healthy(url):
        proc.terminate()
        raise RuntimeError(f"the service did not answer on {url}; see {workspace / LOG_FILE}")
    return proc.pid, url


def demo_service(st: Settings) -> None:
    """A demo user with a fresh password (printed here, stored only as its hash), and the
    service started detached so that `make demo` still returns."""
    import secrets

    from crossline.cli.operational import log_admin
    from crossline.runs.publish import database_url
    from crossline.store import audit, open_store
    from crossline.store.users import NATIONAL, add_user

    out.rule("[bold]5. The shared service")
    password = secrets.token_urlsafe(15)
    store = open_store(database_url(st))
    try:
        add_user(store, "demo-coordinator", NATIONAL, "tasking_coordinator", password)
        log_admin(store, audit.Operation.ALTERATION, "user", "demo-coordinator", "demo user")
    finally:
        store.close()
    try:
        pid, url = start_background(st.workspace)
    except RuntimeError as exc:
        out.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    ws = st.workspace
    out.print(f"Serving {url}/api/v1 (OpenAPI at {url}/openapi.json), pid {pid}")
    out.print(
        "Login: [bold]demo-coordinator[/] (tasking_coordinator, national), password "
        f"[bold]{password}[/] (printed once; not stored anywhere but as a hash)"
    )
    out.print(
        f"Try: curl -s -d username=demo-coordinator -d 'password={password}' {url}/api/v1/token"
    )
    out.print(f"Log: {ws / LOG_FILE}. Stop it with: kill $(cat {ws / PID_FILE})")
