"""The second factor: enrolment with a QR code, login with a code, forced for staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pyotp
import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from samenplan.accounts.models import Role, User
from samenplan.extensions import db
from tests.conftest import PASSWORD, login

SETUP_KEY = "totp_setup_secret"


def _enrol(client: FlaskClient) -> str:
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    assert "<svg" in page.get_data(as_text=True)  # the QR code
    with client.session_transaction() as s:
        secret = s[SETUP_KEY]
    assert secret in page.get_data(as_text=True)  # typed by hand when scanning fails
    wrong = client.post("/account/two-factor", data={"code": "000000"})
    assert "Deze code klopt niet" in wrong.get_data(as_text=True)
    response = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 303
    return secret


def test_staff_must_enrol_when_required(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "TOTP_REQUIRED", True)
    pro = make_user(Role.PROFESSIONAL, email="pro@example.test")
    login(client, pro.email)
    assert client.get("/plans/").headers["Location"] == "/account/two-factor"
    assert client.get("/account/").headers["Location"] == "/account/two-factor"
    _enrol(client)
    assert client.get("/plans/").status_code == 200
    db.session.refresh(pro)
    assert pro.totp_enabled


def test_families_are_not_forced(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "TOTP_REQUIRED", True)
    make_user(Role.CLIENT, email="ouder@example.test")
    login(client, "ouder@example.test")
    assert client.get("/plans/").status_code == 200


def test_login_asks_for_the_code_and_refuses_a_reused_one(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLIENT, email="veilig@example.test")
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        login(client, user.email)
        secret = _enrol(client)
        client.post("/logout")
        traveller.shift(dt.timedelta(seconds=90))

        # Step 1: the password is right, now the code is asked; the password is not shown again.
        step = login(client, user.email)
        body = step.get_data(as_text=True)
        assert step.status_code == 200 and 'name="otp"' in body and 'name="password"' not in body
        assert client.get("/account/").status_code == 302  # not logged in yet

        code = pyotp.TOTP(secret).now()
        wrong = client.post("/login", data={"email": user.email, "otp": "123456"})
        assert "Deze code klopt niet" in wrong.get_data(as_text=True)
        ok = client.post("/login", data={"email": user.email, "otp": code})
        assert ok.status_code == 302
        assert client.get("/account/").status_code == 200
        client.post("/logout")

        # The same code cannot be used twice (replay), even within its 30 seconds.
        login(client, user.email)
        again = client.post("/login", data={"email": user.email, "otp": code})
        assert again.status_code == 200
        assert client.get("/account/").status_code == 302


def test_password_and_code_in_one_post_also_works(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLIENT, email="snel@example.test")
    login(client, user.email)
    secret = _enrol(client)
    client.post("/logout")
    # Wait for a fresh time step so the enrolment code is not a replay.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61), tick=False):
        response = login(client, user.email, PASSWORD, otp=pyotp.TOTP(secret).now())
        assert response.status_code == 302


def test_staff_cannot_switch_the_second_step_off_when_required(
    app: Flask,
    client_as: Callable[[User], FlaskClient],
    make_user: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pro = make_user(Role.PROFESSIONAL, email="blijft@example.test")
    c = client_as(pro)
    _enrol(c)
    monkeypatch.setitem(app.config, "TOTP_REQUIRED", True)
    response = c.post("/account/two-factor/disable", data={"password": PASSWORD})
    assert response.status_code == 200
    db.session.refresh(pro)
    assert pro.totp_enabled
    monkeypatch.setitem(app.config, "TOTP_REQUIRED", False)
    assert c.post("/account/two-factor/disable", data={"password": "fout"}).status_code == 200
    assert c.post("/account/two-factor/disable", data={"password": PASSWORD}).status_code == 303
    db.session.refresh(pro)
    assert not pro.totp_enabled
