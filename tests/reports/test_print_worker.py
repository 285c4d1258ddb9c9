"""Print runs on the real queue: gunicorn serves the app, ``flask worker`` renders, each a
process of its own with a database of its own (a SQLite file, or a new PostgreSQL database
beside TEST_DATABASE_URL) and a queue file of its own. The web server only queues the run;
restarting it loses nothing, and a worker killed in the middle of a run is replaced by the
next one, which renders the run again from its first plan."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from samenplan.db import make_engine
from tests import live
from tests.reports.test_summary_pdf import pdf_text

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "worker-test-demo-wachtwoord"
LEAD = "teamleider@demo.test"
#: the kill test's heartbeat limit: after this long without progress a run is lost
STALE_SECONDS = 2


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live.fresh_database(
        os.environ.get("TEST_DATABASE_URL"), tmp_path_factory.mktemp("worker-db"), "worker"
    ) as url:
        yield url


@dataclass
class Stack:
    """The environment the server and the workers share, and a way to start them."""

    env: dict[str, str]
    logs: Path
    engine: Engine
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, name: str, command: list[str], **env: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen(
            command,
            env={**self.env, **env},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill reaches its children
        )
        log.close()
        self.processes.append(process)
        return process

    def worker(self, **env: str) -> subprocess.Popen[bytes]:
        flask = [str(BIN / "flask"), "--app", "samenplan", "worker", "--workers", "1"]
        return self.start("worker", flask, **env)

    def web(self) -> tuple[str, subprocess.Popen[bytes]]:
        port = live.free_port()
        gunicorn = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"]
        process = self.start(
            "web",
            [*gunicorn, "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            WEB_CONCURRENCY="1",
            GUNICORN_THREADS="2",
        )
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: _healthy(url), what=f"the web server on {url}")
        return url, process

    def stop(self, process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait(timeout=20)

    def job(self, public_id: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT status, done, total, attempts, updated_at FROM print_jobs"
                    " WHERE public_id = :id"
                ),
                {"id": public_id},
            ).one()
        return dict(row._mapping)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=1) as response:  # noqa: S310
            return bool(response.status == 200)
    except OSError:
        return False


def wait_for(check: Callable[[], Any], *, what: str, timeout: float = 40) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"waited {timeout}s for {what}")


@contextlib.contextmanager
def running_stack(database: str, folder: Path, **overrides: str) -> Iterator[Stack]:
    """The demo data on ``database``, and the environment its servers and workers share
    (``overrides`` win); every process the stack started is killed afterwards."""
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "QUEUE_URL": f"sqlite:///{folder / 'queue.db'}",
        "PRINT_JOBS_DIR": str(folder / "print-jobs"),
        "MAIL_OUTBOX": str(folder / "outbox"),
        "MAIL_SERVER": "",
        "SAMENPLAN_ENV": "development",
        "TOTP_REQUIRED": "0",
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_COST": "1024",
        "ARGON2_PARALLELISM": "1",
        "LOGIN_LIMIT_ADDRESS": "1000 per 15 minutes",
        **overrides,
    }
    env.pop("QUEUE_IMMEDIATE", None)
    flask = [str(BIN / "flask"), "--app", "samenplan"]
    for command in (["db", "upgrade"], ["demo", "--password", PASSWORD]):
        subprocess.run([*flask, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    engine = make_engine(database)
    stack = Stack(env=env, logs=folder, engine=engine)
    try:
        yield stack
    finally:
        for process in stack.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        engine.dispose()


@pytest.fixture(scope="module")
def stack(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(database, tmp_path_factory.mktemp("worker")) as stack:
        yield stack


@pytest.fixture(scope="module")
def web(stack: Stack) -> str:
    return stack.web()[0]


class Client:
    """A browser without a browser: cookies, the CSRF token of the last form, no redirects
    followed unless asked."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()

    def open(self, path: str, data: dict[str, Any] | None = None) -> tuple[int, str, bytes]:
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
                return None

        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310
        try:
            with opener.open(request, timeout=20) as response:
                return response.status, response.headers.get("Location", ""), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read()

    def form_token(self, path: str) -> tuple[str, str]:
        status, _location, body = self.open(path)
        assert status == 200, (path, status)
        page = body.decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token, path
        return token.group(1), page

    def log_in(self, email: str) -> None:
        token, _page = self.form_token("/login")
        status, _location, _body = self.open(
            "/login", {"csrf_token": token, "email": email, "password": PASSWORD}
        )
        assert status == 303 or status == 302, status

    def print_demo_plans(self) -> str:
        """Ask for a print run of the demo families' plans (not the synthetic households of
        the demo's monitor); the run's public id."""
        token, page = self.form_token("/plans/team/print")
        plans = re.findall(r'name="plan" value="(\d+)"[^>]*> <label[^>]*>Plan van de', page)
        assert plans
        status, location, _body = self.open(
            "/plans/team/print", {"csrf_token": token, "plan": plans}
        )
        assert status == 303, status
        return location.rstrip("/").rsplit("/", 1)[-1]

    def status(self, public_id: str) -> dict[str, Any]:
        import json

        status, _location, body = self.open(f"/plans/team/print/{public_id}/status.json")
        assert status == 200, status
        return dict(json.loads(body))

    def wait_until_done(self, public_id: str, timeout: float = 40) -> dict[str, Any]:
        return dict(
            wait_for(
                lambda: (s := self.status(public_id))["status"] == "done" and s,
                what=f"print run {public_id}",
                timeout=timeout,
            )
        )

    def pdf(self, status: dict[str, Any]) -> str:
        code, _location, body = self.open(status["download"])
        assert code == 200
        return pdf_text(body)


def test_a_print_run_queued_by_the_web_server_is_rendered_by_the_worker(
    stack: Stack, web: str
) -> None:
    worker = stack.worker()
    lead = Client(web)
    lead.log_in(LEAD)
    public_id = lead.print_demo_plans()
    status = lead.wait_until_done(public_id)
    assert status["done"] == status["total"] >= 1
    text = lead.pdf(status)
    assert "Planoverzichten" in text and "Plan van de familie Jansen" in text
    assert stack.job(public_id)["attempts"] == 1
    stack.stop(worker, signal.SIGINT)  # Ctrl+C: a graceful stop
    assert worker.returncode == 0


def test_a_restart_of_the_web_server_loses_no_run(stack: Stack) -> None:
    url, server = stack.web()
    lead = Client(url)
    lead.log_in(LEAD)
    public_id = lead.print_demo_plans()  # no worker yet: the run waits in the queue
    waiting = lead.status(public_id)
    assert waiting["status"] == "queued" and waiting["download"] is None
    assert waiting["message"] == "In de wachtrij…"
    stack.stop(server)  # the web server goes away...

    worker = stack.worker()  # the first worker to see the run, starting beside the new server
    again = Client(stack.web()[0])  # the server comes back on another port, same session
    again.jar = lead.jar
    assert again.status(public_id)["status"] in ("queued", "running", "done")
    status = again.wait_until_done(public_id)
    assert "Plan van de familie Jansen" in again.pdf(status)
    stack.stop(worker)


def test_a_worker_killed_in_the_middle_of_a_run_is_replaced(
    stack: Stack, web: str, tmp_path: Path
) -> None:
    gate = tmp_path / "go-on"  # the first worker stops after its first plan until this exists
    first = stack.worker(
        PRINT_JOBS_TEST_GATE=str(gate), PRINT_JOBS_STALE_SECONDS=str(STALE_SECONDS)
    )
    lead = Client(web)
    lead.log_in(LEAD)
    public_id = lead.print_demo_plans()
    wait_for(
        lambda: (job := stack.job(public_id))["status"] == "running" and job["done"] == 1,
        what="the first plan",
    )
    stack.stop(first, signal.SIGKILL)  # no chance to clean up: the queue lost the task
    killed = stack.job(public_id)
    assert killed["status"] == "running" and killed["attempts"] == 1
    assert lead.status(public_id)["status"] == "running"

    # The heartbeat stopped; once it is older than the limit, a worker takes the run up.
    updated = killed["updated_at"]
    if isinstance(updated, str):
        updated = dt.datetime.fromisoformat(updated)
    lost_at = updated.replace(tzinfo=dt.UTC) + dt.timedelta(seconds=STALE_SECONDS)
    time.sleep(max(0.0, (lost_at - dt.datetime.now(dt.UTC)).total_seconds()) + 0.2)
    gate.touch()
    second = stack.worker(PRINT_JOBS_STALE_SECONDS=str(STALE_SECONDS))
    status = lead.wait_until_done(public_id)
    assert status["done"] == status["total"]
    assert stack.job(public_id)["attempts"] == 2
    assert "Plan van de familie Jansen" in lead.pdf(status)
    stack.stop(second)
