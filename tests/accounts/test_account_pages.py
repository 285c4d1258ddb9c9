"""A user's own account: details, language, password change, active sessions."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.accounts.models import Role, User, UserSession
from samenplan.audit.models import AuditEvent
from samenplan.extensions import db
from tests.conftest import PASSWORD, login


def test_password_change_ends_every_other_session(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User], client: FlaskClient
) -> None:
    user = users[Role.CLIENT]
    phone, laptop = client_as(user), client_as(user)
    response = laptop.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "nieuwe-zin-voor-mij",
            "password_confirm": "nieuwe-zin-voor-mij",
        },
    )
    assert response.status_code == 303
    assert laptop.get("/account/").status_code == 200  # this device stays logged in
    assert phone.get("/account/").status_code == 302  # the other one is out
    assert login(client, user.email, PASSWORD).status_code == 200
    assert login(client, user.email, "nieuwe-zin-voor-mij").status_code == 302
    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "password.changed")
    ).one()


def test_password_change_errors_keep_the_user_on_the_form(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    c = client_as(users[Role.CLIENT])
    cases = [
        (
            {
                "current_password": "fout",
                "password": "nieuwe-zin-voor-mij",
                "password_confirm": "nieuwe-zin-voor-mij",
            },
            "Dit is niet je huidige wachtwoord.",
        ),
        (
            {
                "current_password": PASSWORD,
                "password": "nieuwe-zin-voor-mij",
                "password_confirm": "andere-zin",
            },
            "De twee nieuwe wachtwoorden zijn niet hetzelfde.",
        ),
        (
            {
                "current_password": PASSWORD,
                "password": "welkom123",
                "password_confirm": "welkom123",
            },
            "Gebruik minstens 10 tekens",
        ),
    ]
    for data, message in cases:
        response = c.post("/account/password", data=data)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)


def test_user_sees_and_ends_own_sessions(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    user = users[Role.NETWORK]
    here, there = client_as(user), client_as(user)
    page = here.get("/account/sessions").get_data(as_text=True)
    assert page.count("Stop deze sessie") == 1 and "dit apparaat" in page
    other = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id.desc())
    ).first()
    assert other is not None
    assert here.post(f"/account/sessions/{other.id}/end").status_code == 303
    assert there.get("/account/").status_code == 302
    assert here.get("/account/").status_code == 200


def test_nobody_ends_someone_elses_session(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    victim = client_as(users[Role.CLIENT])
    victim_session = db.session.scalars(
        select(UserSession).where(UserSession.user_id == users[Role.CLIENT].id)
    ).one()
    attacker = client_as(users[Role.ADMIN])
    attacker.post(f"/account/sessions/{victim_session.id}/end")
    assert victim.get("/account/").status_code == 200


def test_end_all_other_sessions(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    user = users[Role.PROFESSIONAL]
    others = [client_as(user) for _ in range(3)]
    me = client_as(user)
    assert me.post("/account/sessions/end-others").status_code == 303
    assert all(c.get("/account/").status_code == 302 for c in others)
    assert me.get("/account/").status_code == 200


def test_language_setting_is_remembered_on_the_account(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    c = client_as(users[Role.CLIENT])
    assert "Mijn plannen" in c.get("/plans/").get_data(as_text=True)
    response = c.post("/account/", data={"name": "Nieuwe Naam", "locale": "en"})
    assert response.status_code == 303
    assert "My plans" in c.get("/plans/").get_data(as_text=True)
    db.session.refresh(users[Role.CLIENT])
    assert users[Role.CLIENT].name == "Nieuwe Naam" and users[Role.CLIENT].locale == "en"


ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)


def test_sessions_show_the_browser_in_words_and_dates_as_in_europe(
    client: FlaskClient, users: dict[Role, User]
) -> None:
    import datetime as dt

    import time_machine

    user = users[Role.CLIENT]
    with time_machine.travel(dt.datetime(2026, 12, 6, 18, 30, tzinfo=dt.UTC), tick=False):
        credentials = {"email": user.email, "password": PASSWORD}
        client.post("/login", data=credentials, headers={"User-Agent": ANDROID_CHROME})
        other = client.application.test_client()
        other.post("/login", data=credentials, headers={"User-Agent": IPHONE_SAFARI})
        page = client.get("/account/sessions").get_data(as_text=True)
        assert "Chrome op Android" in page and "Safari op iOS" in page
        assert "Mozilla/5.0" not in page
        assert "6 dec 2026, 19:30" in page  # Amsterdam time

        client.post("/account/", data={"name": user.name, "locale": "en"})
        english = client.get("/account/sessions").get_data(as_text=True)
    assert "Chrome on Android" in english
    assert "6 Dec 2026, 19:30" in english and "12/6/26" not in english
