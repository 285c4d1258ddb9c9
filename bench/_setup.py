"""Shared set-up for the benchmark scripts: a fresh migrated database and a logged-in client."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask
from flask.testing import FlaskClient

from samenplan import create_app, migrate
from samenplan.accounts import sessions as account_sessions
from samenplan.accounts.auth import SESSION_KEY
from samenplan.accounts.models import User
from samenplan.extensions import db
from tests import live


def fresh_app(url: str) -> Flask:
    """Migrate an empty database and build the app on it (cheap password hashing)."""
    migrate.upgrade(url)
    return create_app(
        {
            "DATABASE_URL": url,
            "WTF_CSRF_ENABLED": False,
            "TOTP_REQUIRED": False,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024,
            "ARGON2_PARALLELISM": 1,
        }
    )


def start_session(user: User) -> str:
    """A server-side session for ``user`` (call inside the app context, then commit)."""
    _session, token = account_sessions.start_session(user, ip="127.0.0.1", user_agent="bench")
    db.session.commit()
    return token


def client_with(app: Flask, token: str) -> FlaskClient:
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session[SESSION_KEY] = token
    return client


@contextlib.contextmanager
def synthetic_region(
    base: str, directory: Path, households: int, prefix: str
) -> Iterator[tuple[dict[str, str], float]]:
    """A fresh database on ``base``'s server with the migrations and ``flask synth`` of this
    many households (timed); yields the environment to run on it and the synth seconds.
    The database is dropped after."""
    with live.fresh_database(base, directory, f"{prefix}{households}") as url:
        env = {**live.server_env(url, directory), "DATABASE_URL": url}
        subprocess.run(
            [*live.FLASK, "db", "upgrade"], env=env, cwd=live.ROOT, check=True, capture_output=True
        )
        start = time.perf_counter()
        subprocess.run(
            [*live.FLASK, "synth", "--households", str(households)],
            env=env,
            cwd=live.ROOT,
            check=True,
            capture_output=True,
        )
        yield env, time.perf_counter() - start


def measure_in(env: dict[str, str], script: str, *args: str) -> dict[str, Any]:
    """Run ``script`` with ``args`` in a process of its own on ``env``; its last output line
    is a JSON object of figures."""
    measured = subprocess.run(
        [sys.executable, script, *args],
        env=env,
        cwd=live.ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(measured.stdout.splitlines()[-1])
    return result
