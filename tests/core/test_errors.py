"""Friendly error pages with a request id; no stack traces; no 500 on malformed input."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from samenplan.accounts import queries
from samenplan.accounts.models import Role, User


def test_not_found_page_is_friendly_and_translated(client: FlaskClient) -> None:
    response = client.get("/bestaat-niet")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in body
    english = client.get("/bestaat-niet", headers={"Accept-Language": "en"})
    assert "Page not found" in english.get_data(as_text=True)


def test_server_error_shows_a_request_id_and_no_traceback(
    client_as: Callable[[User], FlaskClient],
    users: dict[Role, User],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(_user: User) -> list[object]:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(queries, "active_sessions", broken)
    response = client_as(users[Role.CLIENT]).get("/account/sessions")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging bij ons iets mis" in body
    assert "Traceback" not in body and "database on fire" not in body
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{12}", request_id)
    assert f"500-{request_id}" in body
    # The log has the details, tied to the same request id.
    logged = [r for r in caplog.records if getattr(r, "request_id", None) == request_id]
    assert logged and logged[0].exc_info is not None


def test_oversized_body_is_refused_politely(app: Flask, client: FlaskClient) -> None:
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post("/login", data={"email": "a@example.test", "password": "x" * size})
    assert response.status_code == 413
    assert "Wat je stuurde is te groot" in response.get_data(as_text=True)


def test_wrong_method_and_odd_bodies_do_not_break_anything(client: FlaskClient) -> None:
    assert client.delete("/login").status_code == 405
    assert (
        client.post(
            "/login", data=b"\xff\xfe\x00garbage", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    assert client.post("/login", json={"email": ["a"], "password": {"x": 1}}).status_code == 200
    assert client.post("/language", data={"lang-locale": "fr"}).status_code == 303


def test_csrf_is_enforced_when_switched_on(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    make_user(Role.CLIENT, email="csrf@example.test")
    refused = client.post("/login", data={"email": "csrf@example.test", "password": "x"})
    assert refused.status_code == 400
    assert "Dit formulier is verlopen" in refused.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    from tests.conftest import PASSWORD

    ok = client.post(
        "/login",
        data={"email": "csrf@example.test", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert ok.status_code == 302
    # After login, state-changing buttons carry their own token too.
    logout_without_token = client.post("/logout")
    assert logout_without_token.status_code == 400
    assert client.get("/account/").status_code == 200
