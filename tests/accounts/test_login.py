"""Logging in and out through the real form; server-side sessions and their timeouts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.accounts.auth import SESSION_KEY
from samenplan.accounts.models import Role, User, UserSession
from samenplan.audit.models import AuditEvent
from samenplan.extensions import db
from tests.conftest import PASSWORD, login


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_login_with_the_form_opens_the_plans_and_records_it(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLIENT, email="ouder@example.test")
    response = login(client, "Ouder@Example.test ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/plans/"
    page = client.get("/plans/")
    assert page.status_code == 200
    assert "Mijn plannen" in page.get_data(as_text=True)
    sessions = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert len(sessions) == 1 and sessions[0].ended_at is None
    [event] = _events("login.succeeded")
    assert event.actor_id == user.id and event.ip == "127.0.0.1"


def test_administrator_lands_in_administration(
    client: FlaskClient, users: dict[Role, User]
) -> None:
    response = login(client, users[Role.ADMIN].email)
    assert response.headers["Location"] == "/admin/"


def test_unknown_email_and_wrong_password_look_the_same(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user(Role.CLIENT, email="bestaat@example.test")
    wrong_password = login(client, "bestaat@example.test", "niet-het-goede-wachtwoord")
    unknown_email = login(client, "bestaat-niet@example.test", "niet-het-goede-wachtwoord")
    assert wrong_password.status_code == unknown_email.status_code == 200
    text_a = wrong_password.get_data(as_text=True)
    text_b = unknown_email.get_data(as_text=True)
    message = "Het e-mailadres of wachtwoord klopt niet"
    assert message in text_a and message in text_b
    # the email typed stays in the form, the password is never sent back
    assert 'value="bestaat@example.test"' in text_a
    assert "niet-het-goede-wachtwoord" not in text_a
    assert len(_events("login.failed")) == 2


def test_missing_fields_give_a_message_not_an_error(client: FlaskClient) -> None:
    response = client.post("/login", data={})
    assert response.status_code == 200
    assert "Vul je e-mailadres in." in response.get_data(as_text=True)


def test_deactivated_account_cannot_log_in(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user(Role.CLIENT, email="weg@example.test", active=False)
    response = login(client, "weg@example.test")
    assert response.status_code == 200
    assert "klopt niet" in response.get_data(as_text=True)


def test_login_starts_a_fresh_session_and_logout_ends_it(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user(Role.CLIENT, email="a@example.test")
    with client.session_transaction() as s:
        s[SESSION_KEY] = "planted-by-an-attacker"
        s["other"] = "left over from before login"
    login(client, "a@example.test")
    with client.session_transaction() as s:
        token = s[SESSION_KEY]
        assert token != "planted-by-an-attacker"
        assert "other" not in s
    assert client.get("/account/").status_code == 200

    assert client.post("/logout").status_code == 303
    assert client.get("/account/").status_code == 302
    # Replaying the old cookie value does not bring the session back.
    with client.session_transaction() as s:
        s[SESSION_KEY] = token
    assert client.get("/account/").status_code == 302
    assert len(_events("logout")) == 1


def test_logout_is_not_possible_with_get(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    c = client_as(users[Role.CLIENT])
    assert c.get("/logout").status_code == 405
    assert c.get("/account/").status_code == 200


def test_protected_page_sends_to_login_and_back(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user(Role.CLIENT, email="terug@example.test")
    response = client.get("/account/sessions")
    assert response.headers["Location"] == "/login?next=/account/sessions"
    response = client.post(
        "/login?next=/account/sessions",
        data={"email": "terug@example.test", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/account/sessions"


def test_next_cannot_point_to_another_site(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user(Role.CLIENT, email="veilig@example.test")
    for evil in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ):
        response = client.post(
            "/login",
            query_string={"next": evil},
            data={"email": "veilig@example.test", "password": PASSWORD},
        )
        assert response.headers["Location"] == "/plans/", evil
        client.post("/logout")


def test_five_failures_from_a_stranger_slow_down_only_strangers(
    client: FlaskClient, app: Flask, make_user: Callable[..., User]
) -> None:
    make_user(Role.CLIENT, email="doelwit@example.test")
    owner = app.test_client()
    assert login(owner, "doelwit@example.test").status_code == 302  # a known browser now
    owner.post("/logout")
    for _ in range(5):
        assert login(client, "doelwit@example.test", "fout-fout-fout-fout").status_code == 200
    # The stranger's browser is refused now, even with the right password, with a clear
    # message, the email kept and the time to wait...
    response = login(client, "doelwit@example.test")
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "Te vaak geprobeerd" in body and 'value="doelwit@example.test"' in body
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    assert len(_events("login.throttled")) == 1
    # ...but the owner's own browser logs in as always.
    assert login(owner, "doelwit@example.test").status_code == 302
    # After the window has passed, the stranger's browser may try again.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16), tick=False):
        assert login(client, "doelwit@example.test").status_code == 302


def test_failures_for_other_accounts_do_not_block_a_login_from_the_same_address(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user(Role.CLIENT, email="echt@example.test")
    for n in range(10):
        login(client, f"gok{n}@example.test", "fout-fout-fout-fout")
    assert login(client, "echt@example.test").status_code == 302
    client.post("/logout")
    # one account guessed from this address is limited on its own
    for _ in range(5):
        login(client, "gok0@example.test", "fout-fout-fout-fout")
    assert login(client, "gok0@example.test", "fout-fout-fout-fout").status_code == 429


def test_successful_logins_do_not_count_as_failures(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user(Role.CLIENT, email="vaak@example.test")
    for _ in range(7):
        assert login(client, "vaak@example.test").status_code == 302
        client.post("/logout")


def test_idle_timeout_ends_the_session(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user(Role.CLIENT, email="traag@example.test")
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        login(client, "traag@example.test")
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/account/").status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/account/").status_code == 200  # activity renews the idle window
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/account/")
        assert response.status_code == 302
        page = client.get(response.headers["Location"])
        assert "omdat je een tijdje weg was" in page.get_data(as_text=True)
    [ended] = db.session.scalars(select(UserSession)).all()
    assert ended.ended_reason == "idle_timeout"


def test_absolute_timeout_ends_even_an_active_session(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user(Role.CLIENT, email="druk@example.test")
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        login(client, "druk@example.test")
        for _ in range(35):  # 35 × 20 minutes = 11 h 40 min of steady work
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get("/account/").status_code == 200
        traveller.shift(dt.timedelta(minutes=21))
        assert client.get("/account/").status_code == 302
    assert db.session.scalars(select(UserSession)).one().ended_reason == "absolute_timeout"


def test_session_cookie_is_hardened_in_production(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    make_user: Callable[..., User],
) -> None:
    from samenplan.config import load_config

    production = load_config({"SAMENPLAN_ENV": "production", "SECRET_KEY": "x" * 40})
    for key in (
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "HSTS",
    ):
        monkeypatch.setitem(app.config, key, production[key])
    make_user(Role.CLIENT, email="koekje@example.test")
    response = client.post(
        "/login",
        base_url="https://samenplan.example",
        data={"email": "koekje@example.test", "password": PASSWORD},
    )
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    # the session, and the device cookie that makes this browser known for the account
    assert set(cookies) == {"__Host-samenplan", "__Host-samenplan-device"}
    for cookie in cookies.values():
        for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
            assert flag in cookie
        assert "Domain" not in cookie
    assert "Max-Age=15552000" in cookies["__Host-samenplan-device"]  # 180 days
    assert "max-age" in response.headers["Strict-Transport-Security"]
