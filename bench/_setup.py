"""Shared set-up for the benchmark scripts: a fresh migrated database and a logged-in client."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask
from flask.testing import FlaskClient

from samenplan import create_app, migrate
from samenplan.accounts import sessions as account_sessions
from samenplan.accounts.auth import SESSION_KEY
from samenplan.accounts.models import User
from samenplan.extensions import db


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
