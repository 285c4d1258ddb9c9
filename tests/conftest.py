"""Fixtures: the app from the factory, a fresh migrated schema per test session, each test
inside a transaction that is rolled back, users of every role and a logged-in client.

TEST_DATABASE_URL=postgresql+psycopg://… runs the suite against PostgreSQL.
"""

from __future__ import annotations

import contextvars
import email
import os
import secrets
import smtplib
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from samenplan import create_app, migrate
from samenplan.accounts import services as account_services
from samenplan.accounts import sessions as account_sessions
from samenplan.accounts.auth import SESSION_KEY
from samenplan.accounts.models import Organisation, Role, Team, User
from samenplan.db import make_engine
from samenplan.extensions import db
from tests import live

pytest_plugins = ["tests.scenario"]

PASSWORD = "kompas-fiets-lantaarn-42"

#: Cheap hashing keeps the suite fast; the production parameters are tested separately.
#: smtplib's own SMTP class, before the outbox fixture replaces it in each test
REAL_SMTP = smtplib.SMTP

TEST_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": secrets.token_urlsafe(48),
    "WTF_CSRF_ENABLED": False,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "ARGON2_PARALLELISM": 1,
    "TOTP_REQUIRED": False,
    "QUEUE_IMMEDIATE": True,  # tasks run inside the request; test_print_worker runs a worker
}


def test_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _reset_schema(url: str) -> None:
    """Start from an empty database, then build it with the real migrations."""

    engine = make_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    with engine.begin() as conn:
        migrate.upgrade(url, connection=conn)
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = test_database_url(tmp_path_factory)
    _reset_schema(url)
    return url


@pytest.fixture
def scratch_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the test database (``live.fresh_database``)."""
    server = None if database_url.startswith("sqlite") else database_url
    with live.fresh_database(server, tmp_path, "scratch") as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url})
    app.test_client_class = IsolatedClient
    yield app
    db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs as in production: in its own app context (its own ``g`` and
    database session), even though the test itself holds an app context. Afterwards the
    test's session forgets what it had loaded, so assertions see what the request stored."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture(autouse=True)
def _transaction(app: Flask) -> Iterator[None]:
    """Each test runs in one outer transaction that is rolled back at the end. Requests'
    own commits become savepoints inside it."""
    connection = db.engine.connect()
    outer = connection.begin()
    db.session.remove()
    db.session.configure(bind=connection, join_transaction_mode="create_savepoint")
    ctx = app.app_context()
    ctx.push()
    try:
        yield
    finally:
        db.session.remove()
        ctx.pop()
        db.session.remove()
        db.session.configure(bind=db.engine, join_transaction_mode="conditional_savepoint")
        outer.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def outbox(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Mail goes to a fresh outbox folder; a test that would reach a real SMTP server fails."""
    folder = tmp_path / "outbox"
    monkeypatch.setitem(app.config, "MAIL_OUTBOX", str(folder))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "PRINT_JOBS_DIR", str(tmp_path / "print-jobs"))

    def _no_smtp(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("a test tried to send real email")

    monkeypatch.setattr(smtplib, "SMTP", _no_smtp)
    return folder


class _Inbox:
    """What the test SMTP server received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_inbox(
    app: Flask, outbox: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[email.message.Message]]:
    """A real SMTP server on loopback (aiosmtpd) with the app's mail pointed at it; yields
    the list of messages it receives."""
    inbox = _Inbox()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setattr(smtplib, "SMTP", REAL_SMTP)  # undo the outbox fixture's guard
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    try:
        yield inbox.messages
    finally:
        controller.stop()


# --- factories -----------------------------------------------------------------------------


@pytest.fixture
def make_user() -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def _make(
        role: Role = Role.PROFESSIONAL,
        *,
        email: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
        organisation: Organisation | None = None,
        team: Team | None = None,
        **attrs: Any,
    ) -> User:
        n = next(counter)
        if role in (Role.PROFESSIONAL, Role.TEAM_LEAD) and organisation is None and team is None:
            organisation = _default_org()
            if role == Role.TEAM_LEAD:
                team = _default_team(organisation)
        user = account_services.create_user(
            None,
            email=email or f"{role.value}{n}@example.test",
            name=name or f"{role.value.title()} Tester {n}",
            role=role,
            password=password,
            organisation=organisation,
            team=team,
        )
        for key, value in attrs.items():
            setattr(user, key, value)
        db.session.commit()
        return user

    return _make


def _default_org() -> Organisation:
    from sqlalchemy import select

    org = db.session.scalar(select(Organisation).where(Organisation.name == "Testorganisatie"))
    return org or account_services.create_organisation(None, name="Testorganisatie")


def _default_team(organisation: Organisation) -> Team:
    from sqlalchemy import select

    team = db.session.scalar(select(Team).where(Team.name == "Testteam"))
    return team or account_services.create_team(None, organisation, name="Testteam")


@pytest.fixture
def users(make_user: Callable[..., User]) -> dict[Role, User]:
    """One user of every global role."""
    return {role: make_user(role) for role in Role}


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def client_as(app: Flask) -> Callable[[User], FlaskClient]:
    """A test client logged in as ``user`` through a real server-side session."""

    def _client(user: User) -> FlaskClient:
        test_client = app.test_client()
        _session, token = account_sessions.start_session(user, ip="127.0.0.1", user_agent="pytest")
        db.session.commit()
        with test_client.session_transaction() as flask_session:
            flask_session[SESSION_KEY] = token
        return test_client

    return _client


def login(client: FlaskClient, email: str, password: str = PASSWORD, **extra: str) -> Any:
    """Log in through the real form."""
    return client.post("/login", data={"email": email, "password": password, **extra})
