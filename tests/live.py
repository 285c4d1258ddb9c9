"""A real server process for tests and benchmarks: its own database, the CLI's set-up, a client.

Used by the browser tests, the concurrency tests against a running server, the suite's
``scratch_url`` fixture and ``bench/load.py``. Everything talks to 127.0.0.1 only, and every
server is stopped by its PID.
"""

from __future__ import annotations

import contextlib
import html.parser
import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FLASK = [str(BIN / "flask"), "--app", "samenplan"]
DEMO_PASSWORD = "browser-test-demo-wachtwoord"
# Cheap password hashing, as in the test suite; server_env() keeps the real cost unless given these.
CHEAP_ARGON2 = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_COST": "1024", "ARGON2_PARALLELISM": "1"}
# A connection idle this long (seconds) may have been closed by the server's keep-alive timer.
IDLE = 1.0
GUNICORN_FALLBACK = ("--workers", "2", "--threads", "4", "--worker-class", "gthread")
#: for tests of requests at the same moment: two processes of four threads, whatever
#: gunicorn.conf.py says
CONCURRENT = (*GUNICORN_FALLBACK, "--timeout", "30")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def fresh_database(base: str | None, directory: Path, prefix: str = "live") -> Iterator[str]:
    """A new empty database: a SQLite file in ``directory``, or, when ``base`` is a PostgreSQL
    URL, a new database on that server (its own name in ``base`` is ignored), dropped after."""
    if not base or base.startswith("sqlite"):
        yield base or f"sqlite:///{directory / f'{prefix}.db'}"
        return
    url = make_url(base)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def server_env(database_url: str, directory: Path, **overrides: str) -> dict[str, str]:
    """The environment of a development server on ``database_url`` that lets many logins in."""
    return {
        "MAIL_OUTBOX": str(directory / "outbox"),
        "PRINT_JOBS_DIR": str(directory / "print-jobs"),
        "MAIL_SERVER": "",
        **os.environ,
        "DATABASE_URL": database_url,
        "INSTANCE_DIR": str(directory / "instance"),  # its own secret key, not the checkout's
        "SAMENPLAN_ENV": "development",
        "TOTP_REQUIRED": "0",
        "LOGIN_LIMIT_ADDRESS": "100000 per 15 minutes",
        **overrides,
    }


def prepare(env: Mapping[str, str], password: str = DEMO_PASSWORD) -> None:
    """Migrate the database and load the demo data, as ``make run`` does."""
    for command in (["db", "upgrade"], ["demo", "--password", password]):
        done = subprocess.run(
            [*FLASK, *command], env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise RuntimeError(f"flask {' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def gunicorn_command(port: int, app: str = "wsgi:app", *, extra: tuple[str, ...] = ()) -> list[str]:
    """gunicorn as ``make run`` starts it: the repository's gunicorn.conf.py when there is one,
    otherwise two gthread workers with four threads each; ``extra`` options win over both.
    Without a control socket: gunicorn's default one is a single path shared by all servers."""
    conf = ROOT / "gunicorn.conf.py"
    settings = ("-c", str(conf)) if conf.exists() else GUNICORN_FALLBACK
    return [
        str(BIN / "gunicorn"),
        *settings,
        *extra,
        "--no-control-socket",
        "--bind",
        f"127.0.0.1:{port}",
        app,
    ]


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    database_url: str = ""

    def log(self, last: int = 8000) -> str:
        """The end of the server's output, for failure messages."""
        text_ = self.log_path.read_text(errors="replace")
        return text_[-last:]


@contextlib.contextmanager
def serve(
    command: list[str],
    env: Mapping[str, str],
    log_path: Path,
    *,
    port: int,
    health: str = "/health",
    cwd: Path = ROOT,
) -> Iterator[Server]:
    """Start ``command`` (listening on 127.0.0.1:``port``), wait until ``health`` answers 200,
    and stop the process by its PID afterwards."""
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    server = Server(url, process, log_path)
    try:
        deadline = time.monotonic() + 30
        while not _answers(port, health):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{server.log()}")
            time.sleep(0.1)
        yield server
    finally:
        stop(process)


@contextlib.contextmanager
def queue_worker(env: Mapping[str, str], log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The queue worker beside a server (``flask worker``, as ``make run`` starts it), with
    the same environment; stopped by its PID afterwards."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*FLASK, "worker", "--workers", "1"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, and SIGKILL when that did not stop it within 20 seconds."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def demo_server(
    directory: Path, prefix: str, *, extra: tuple[str, ...] = (), **env: str
) -> Iterator[Server]:
    """gunicorn on a fresh database with the demo data (SQLite, or PostgreSQL beside
    TEST_DATABASE_URL), as the concurrency tests use it; ``extra`` gunicorn options."""
    with fresh_database(os.environ.get("TEST_DATABASE_URL"), directory, prefix) as url:
        settings = server_env(url, directory, **CHEAP_ARGON2, **env)
        prepare(settings)
        port = free_port()
        command = gunicorn_command(port, extra=extra)
        with serve(command, settings, directory / "server.log", port=port) as server:
            server.database_url = url
            yield server


def _answers(port: int, path: str) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


# --- a small browser-less client --------------------------------------------------------


@dataclass
class Reply:
    status: int
    location: str
    body: str


@dataclass
class Client:
    """One user's keep-alive HTTP connection with its own cookies; follows no redirects."""

    url: str
    timeout: float = 10.0
    cookies: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""
    reconnects: int = 0  # idle keep-alive connections the server had closed
    _last_reply: float = 0.0
    _conn: http.client.HTTPConnection | None = None

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError(f"only loopback servers, not {self.url}")
        self.host, self.port = parts.hostname, parts.port or 80

    def request(self, method: str, path: str, form: Mapping[str, str] | None = None) -> Reply:
        """One request; a dropped connection is closed and raised (the next one reconnects)."""
        headers = {"Accept-Language": "nl"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        idle = self._conn is not None and time.monotonic() - self._last_reply > IDLE
        try:
            response, data = self._send(method, path, body, headers)
        except ConnectionError:  # RemoteDisconnected and BrokenPipeError among them
            if not idle:
                raise
            # The server closed the idle keep-alive connection as this request went out
            # (gunicorn's keepalive is 2 s): send it again on a new one, as browsers do.
            self.reconnects += 1
            response, data = self._send(method, path, body, headers)
        self._last_reply = time.monotonic()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            if value and "max-age=0" not in header.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        token = find_csrf_token(data)
        if token:
            self.csrf_token = token
        return Reply(response.status, response.getheader("Location", ""), data)

    def _send(
        self, method: str, path: str, body: str | None, headers: dict[str, str]
    ) -> tuple[http.client.HTTPResponse, str]:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self._conn.request(method, path, body=body, headers=headers)
            response = self._conn.getresponse()
            return response, response.read().decode("utf-8", errors="replace")
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, form: Mapping[str, str]) -> Reply:
        return self.request("POST", path, {"csrf_token": self.csrf_token, **form})

    def log_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        """Log in through the real form (its CSRF token included)."""
        self.get("/login")
        reply = self.post("/login", {"email": email, "password": password})
        if reply.status not in (302, 303) or "/login" in reply.location:
            raise RuntimeError(f"login of {email} failed: {reply.status} {reply.location}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def find_csrf_token(page: str) -> str:
    """The CSRF token in ``page`` (Flask-WTF's hidden field), or "" when it has none."""
    marker = 'name="csrf_token" type="hidden" value="'
    start = page.find(marker)
    if start < 0:
        return ""
    start += len(marker)
    return page[start : page.find('"', start)]


class _FormParser(html.parser.HTMLParser):
    """The fields of the first form whose action is ``action`` (or with no action)."""

    def __init__(self, action: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.fields: dict[str, str] = {}
        self._in_form = self._done = False
        self._select: str | None = None
        self._chosen: set[str] = set()
        self._first: set[str] = set()
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self._done:
            self._in_form = a.get("action", "") in ((self.action,) if self.action else ("",))
        if not self._in_form:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
            elif kind != "submit":
                self.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.fields[name] = ""
        elif tag == "option" and self._select and self._select not in self._chosen:
            # the selected option, or else the first
            if "selected" in a or self._select not in self._first:
                self.fields[self._select] = a.get("value", "")
            self._first.add(self._select)
            if "selected" in a:
                self._chosen.add(self._select)
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea:  # a browser drops one newline right after <textarea>
                value = self.fields[self._textarea]
                self.fields[self._textarea] = (
                    value[2:] if value[:2] == "\r\n" else value.removeprefix("\n")
                )
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def form_fields(page: str, action: str | None = None) -> dict[str, str]:
    """What a browser would send from the form in ``page`` (submitted without changes)."""
    parser = _FormParser(action)
    parser.feed(page)
    parser.close()
    return parser.fields
