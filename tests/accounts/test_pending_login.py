"""The step between a right password and the second factor is a record on the server: a
cookie that merely says "this user's password was right" logs nobody in, whatever key it
was signed with."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.accounts.auth import SESSION_KEY
from samenplan.accounts.models import Role, User, UserSession
from samenplan.extensions import db
from tests.accounts.test_totp import _enrol
from tests.conftest import login


def _forged(app: Flask, client: FlaskClient, data: dict[str, object]) -> None:
    """Put a cookie signed with the app's own key into the client, as an attacker who knew
    the key would."""
    cookie = app.session_interface.get_signing_serializer(app).dumps(data)  # type: ignore[attr-defined]
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie, domain="localhost")


def test_a_forged_pending_step_logs_nobody_in(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    victim = make_user(Role.PROFESSIONAL, email="slachtoffer@example.test")
    for pending in ({"uid": victim.id, "at": int(time.time())}, "a-token-nobody-was-given"):
        _forged(app, client, {"pending_login": pending})
        response = client.post("/login", data={"email": victim.email, "password": ""})
        assert response.status_code == 200  # the login form again, with a message
        assert client.get("/account/").status_code == 302  # not logged in
        with client.session_transaction() as s:
            assert SESSION_KEY not in s


def test_the_real_second_step_works_once_and_expires(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLIENT, email="stap@example.test")
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        login(client, user.email)
        _enrol(client)
        client.post("/logout")
        clock.shift(dt.timedelta(seconds=90))
        login(client, user.email)  # password right: the code is asked
        with client.session_transaction() as s:
            token = s["pending_login"]
        assert isinstance(token, str) and len(token) >= 40  # a random token, not a user id
        # the step is no session: its token does not open a page
        stranger = client.application.test_client()
        with stranger.session_transaction() as s:
            s[SESSION_KEY] = token
        assert stranger.get("/account/").status_code == 302
        assert db.session.scalar(
            select(UserSession.awaiting_second_factor)
            .where(UserSession.user_id == user.id)
            .order_by(UserSession.id.desc())
            .limit(1)
        )
        # five minutes later the step has lapsed: the password is needed again
        clock.shift(dt.timedelta(minutes=6))
        page = client.post("/login", data={"email": user.email, "otp": "123456"})
        assert 'name="password"' in page.get_data(as_text=True)
        assert client.get("/account/").status_code == 302
