"""Login throttling with device cookies: the attacks that used to work, as tests.

A guesser is slowed down per address and account, per account and per address; the owner's
browser that logged in before (a known device) has a limit of its own and is never locked out
by what strangers do. Counts live in the database, so every process sees them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pyotp
import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, insert, select

from samenplan.accounts import throttle
from samenplan.accounts.models import LoginFailure, Role, User
from samenplan.audit.models import AuditEvent
from samenplan.clock import utcnow
from samenplan.extensions import db
from tests.conftest import PASSWORD

WRONG = "fout-fout-fout-fout"
ATTACKER = "203.0.113.66"
HOME = "192.0.2.10"
OFFICE = "198.51.100.7"
COOKIE = "samenplan-device"  # without the __Host- prefix outside production
START = dt.datetime(2026, 7, 1, 10, 5, tzinfo=dt.UTC)  # 12:05 in Amsterdam (summer time)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    """A frozen clock, so that waits are exact; ``clock.shift`` moves it on."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def browser(app: Flask, ip: str) -> FlaskClient:
    """A browser of its own (its own cookies) at address ``ip``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def attempt(client: FlaskClient, email: str, password: str = PASSWORD, **extra: str) -> object:
    return client.post("/login", data={"email": email, "password": password, **extra})


def logged_in(client: FlaskClient, email: str, password: str = PASSWORD) -> bool:
    """Try to log in; if it works, log out again (the browser stays known)."""
    response = attempt(client, email, password)
    if response.status_code != 302:  # type: ignore[attr-defined]
        return False
    client.post("/logout")
    return True


def known_browser(app: Flask, email: str, ip: str = HOME) -> FlaskClient:
    """The owner's own browser: it logged in to the account before."""
    client = browser(app, ip)
    assert logged_in(client, email)
    assert client.get_cookie(COOKIE) is not None
    return client


def fail(client: FlaskClient, email: str, times: int) -> None:
    for _ in range(times):
        response = attempt(client, email, WRONG)
        assert response.status_code == 200  # type: ignore[attr-defined]


def counted_failures() -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(LoginFailure).where(LoginFailure.reason != "throttled")
        )
        or 0
    )


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user(Role.CLIENT, email="ouder@example.test", locale="en")


# --- the attacks ---------------------------------------------------------------------------


def test_a_guesser_elsewhere_never_locks_out_the_owners_browser(
    app: Flask, owner: User, clock: time_machine.Coordinates
) -> None:
    mine = known_browser(app, owner.email)
    attacker = browser(app, ATTACKER)
    fail(attacker, owner.email, 5)
    refused = attempt(attacker, owner.email, WRONG)
    assert refused.status_code == 429

    # The owner's browser still logs in with the right password.
    assert logged_in(mine, owner.email)

    # Any other unknown client at the attacker's address is refused too, even with the right
    # password, and told how long to wait; the email stays in the field.
    other = browser(app, ATTACKER)
    response = attempt(other, owner.email)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(15 * 60)
    body = response.get_data(as_text=True)
    assert "Wacht 15 minuten" in body or "Wait 15 minutes" in body
    assert 'value="ouder@example.test"' in body and PASSWORD not in body

    # Guessing from many addresses: after 20 failures in an hour every unknown client waits,
    # wherever it is, but the owner's browser does not.
    for n in range(3):
        fail(browser(app, f"203.0.113.{n + 1}"), owner.email, 5)
    assert counted_failures() == 20
    assert attempt(browser(app, "192.0.2.200"), owner.email).status_code == 429
    assert logged_in(mine, owner.email)


def test_made_up_emails_from_one_address_do_not_block_others_there(
    app: Flask, make_user: Callable[..., User], clock: time_machine.Coordinates
) -> None:
    colleague = make_user(Role.CLIENT, email="collega@example.test")
    known = known_browser(app, colleague.email, OFFICE)
    guesser = browser(app, OFFICE)
    for n in range(10):
        assert attempt(guesser, f"verzonnen{n}@example.test", WRONG).status_code == 200
    # a colleague's first login from the same office address works
    assert logged_in(browser(app, OFFICE), colleague.email)

    # 100 failures an hour from one address: unknown clients there wait ...
    for n in range(10, 100):
        clock.shift(dt.timedelta(seconds=20))
        assert attempt(guesser, f"verzonnen{n}@example.test", WRONG).status_code == 200
    response = attempt(browser(app, OFFICE), colleague.email)
    assert response.status_code == 429
    # the first failure leaves the hour window first
    assert int(response.headers["Retry-After"]) == 3600 - 90 * 20
    # ... a browser that logged in there before does not, nor anyone elsewhere
    assert logged_in(known, colleague.email)
    assert logged_in(browser(app, HOME), colleague.email)


def test_an_unknown_email_is_limited_exactly_like_a_real_one(
    app: Flask, owner: User, clock: time_machine.Coordinates
) -> None:
    real, made_up = browser(app, ATTACKER), browser(app, ATTACKER)
    fail(real, owner.email, 5)
    fail(made_up, "bestaat-niet@example.test", 5)
    a = attempt(real, owner.email, WRONG)
    b = attempt(made_up, "bestaat-niet@example.test", WRONG)
    assert a.status_code == b.status_code == 429
    assert a.headers["Retry-After"] == b.headers["Retry-After"]


def test_a_known_browser_has_a_limit_of_its_own(
    app: Flask, owner: User, clock: time_machine.Coordinates
) -> None:
    mine = known_browser(app, owner.email)
    fail(mine, owner.email, 10)  # more than an unknown client gets
    response = attempt(mine, owner.email)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(15 * 60)
    # The failures were this browser's: an unknown client elsewhere logs in.
    assert logged_in(browser(app, ATTACKER), owner.email)
    # so does an unknown client at the same address (it is not that browser)
    assert logged_in(browser(app, HOME), owner.email)
    clock.shift(dt.timedelta(minutes=15, seconds=1))
    assert logged_in(mine, owner.email)


def test_a_refused_attempt_does_not_make_the_wait_longer(
    app: Flask, owner: User, clock: time_machine.Coordinates
) -> None:
    attacker = browser(app, ATTACKER)
    for _ in range(5):
        fail(attacker, owner.email, 1)
        clock.shift(dt.timedelta(minutes=1))
    # failures at 0..4 minutes; now it is 5 minutes: the first leaves at 15
    response = attempt(attacker, owner.email)
    assert response.headers["Retry-After"] == str(10 * 60)
    clock.shift(dt.timedelta(minutes=9))
    response = attempt(attacker, owner.email)
    assert response.status_code == 429 and response.headers["Retry-After"] == "60"
    assert "Wacht 1 minu" in response.get_data(as_text=True)
    clock.shift(dt.timedelta(seconds=61))
    assert logged_in(attacker, owner.email)


# --- the device cookie ---------------------------------------------------------------------


@pytest.fixture
def blocked_at_home(app: Flask, owner: User, clock: time_machine.Coordinates) -> None:
    """Unknown clients at HOME are refused for the owner's account."""
    fail(browser(app, HOME), owner.email, 5)
    assert attempt(browser(app, HOME), owner.email).status_code == 429


def with_cookie(app: Flask, value: str, ip: str = HOME) -> FlaskClient:
    client = browser(app, ip)
    client.set_cookie(COOKIE, value)
    return client


def test_the_cookie_is_signed_long_lived_and_hardened(app: Flask, owner: User) -> None:
    response = attempt(browser(app, HOME), owner.email)
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(COOKIE + "=")]
    for flag in ("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=15552000"):
        assert flag in cookie
    assert "Secure" not in cookie  # follows SESSION_COOKIE_SECURE (off outside production)


def test_a_forged_or_tampered_cookie_is_an_unknown_client(
    app: Flask, owner: User, blocked_at_home: None, clock: time_machine.Coordinates
) -> None:
    real = known_browser(app, owner.email, ATTACKER)
    value = real.get_cookie(COOKIE).value  # type: ignore[union-attr]
    assert logged_in(with_cookie(app, value), owner.email)  # the genuine cookie works

    now = int(utcnow().timestamp())
    forged = URLSafeSerializer("not-the-key", salt=throttle.DEVICE_COOKIE_SALT).dumps(
        [[owner.id, "0" * 32, now]]
    )
    payload, signature = value.rsplit(".", 1)
    tampered = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + signature
    unsigned = value.rsplit(".", 1)[0]
    for bad in (forged, tampered, unsigned, "", "rommel"):
        assert attempt(with_cookie(app, bad), owner.email).status_code == 429, bad


def test_a_cookie_for_another_account_is_an_unknown_client(
    app: Flask, owner: User, make_user: Callable[..., User], blocked_at_home: None
) -> None:
    sibling = make_user(Role.CLIENT, email="jongere@example.test")
    family_pc = known_browser(app, sibling.email)
    assert attempt(family_pc, owner.email).status_code == 429
    # once the owner logged in there too, the cookie names both (newest first)
    other = known_browser(app, owner.email, ATTACKER)
    assert logged_in(other, sibling.email)
    devices = throttle.read_device_cookie(other.get_cookie(COOKIE).value)  # type: ignore[union-attr]
    assert [d.user_id for d in devices] == [sibling.id, owner.id]


def test_a_cookie_holds_at_most_five_accounts(
    app: Flask, make_user: Callable[..., User], clock: time_machine.Coordinates
) -> None:
    family = [make_user(Role.CLIENT) for _ in range(6)]
    pc = browser(app, HOME)
    for person in family:
        assert logged_in(pc, person.email)
    devices = throttle.read_device_cookie(pc.get_cookie(COOKIE).value)  # type: ignore[union-attr]
    assert [d.user_id for d in devices] == [p.id for p in reversed(family)][:5]


def test_a_cookie_signed_with_a_fallback_key_still_counts(
    app: Flask, owner: User, blocked_at_home: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_key = app.config["SECRET_KEY"]
    value = known_browser(app, owner.email, ATTACKER).get_cookie(COOKIE).value  # type: ignore[union-attr]
    monkeypatch.setitem(app.config, "SECRET_KEY", "a-new-key-" + "n" * 40)
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])
    assert attempt(with_cookie(app, value), owner.email).status_code == 429
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old_key])
    assert logged_in(with_cookie(app, value), owner.email)


def test_a_cookie_older_than_180_days_is_an_unknown_client(
    app: Flask, owner: User, clock: time_machine.Coordinates
) -> None:
    value = known_browser(app, owner.email, ATTACKER).get_cookie(COOKIE).value  # type: ignore[union-attr]
    clock.shift(dt.timedelta(days=181))
    fail(browser(app, HOME), owner.email, 5)
    assert attempt(with_cookie(app, value), owner.email).status_code == 429


# --- shared by every process ---------------------------------------------------------------


def test_counts_are_shared_by_every_browser_and_web_server(
    app: Flask, owner: User, clock: time_machine.Coordinates
) -> None:
    # two browsers (say, served by two gunicorn processes) share the count
    first, second = browser(app, ATTACKER), browser(app, ATTACKER)
    fail(first, owner.email, 3)
    fail(second, owner.email, 2)
    assert attempt(first, owner.email).status_code == 429
    assert attempt(second, owner.email).status_code == 429

    # failures written by another web server (plain rows in the database) count as well
    now = utcnow()
    db.session.execute(
        insert(LoginFailure),
        [
            {"at": now, "email": owner.email, "ip": f"192.0.2.{n}", "device": None, "reason": "otp"}
            for n in range(100, 115)
        ],
    )
    db.session.commit()
    assert attempt(browser(app, "192.0.2.250"), owner.email).status_code == 429  # 20 an hour


def test_old_rows_are_purged_when_a_failure_is_recorded(
    app: Flask, owner: User, clock: time_machine.Coordinates
) -> None:
    db.session.execute(
        insert(LoginFailure),
        [
            {
                "at": utcnow() - dt.timedelta(minutes=minutes),
                "email": owner.email,
                "ip": ATTACKER,
                "device": None,
                "reason": "credentials",
            }
            for minutes in (61, 120, 59)
        ],
    )
    db.session.commit()
    fail(browser(app, ATTACKER), owner.email, 1)
    ages = db.session.scalars(select(LoginFailure.at).order_by(LoginFailure.at)).all()
    assert [utcnow() - at for at in ages] == [dt.timedelta(minutes=59), dt.timedelta(0)]


def test_an_ipv6_connection_counts_as_one_address(
    app: Flask, owner: User, clock: time_machine.Coordinates
) -> None:
    assert throttle.address_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert throttle.address_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert throttle.address_key("192.0.2.1") == "192.0.2.1"
    for n in range(5):
        fail(browser(app, f"2001:db8:1:2::{n + 1:x}"), owner.email, 1)
    assert attempt(browser(app, "2001:db8:1:2:ffff::9"), owner.email).status_code == 429
    assert logged_in(browser(app, "2001:db8:1:3::1"), owner.email)


# --- the second factor ---------------------------------------------------------------------


def test_wrong_codes_count_as_failures(
    app: Flask, make_user: Callable[..., User], clock: time_machine.Coordinates
) -> None:
    secret = pyotp.random_base32()
    user = make_user(Role.CLIENT, email="code@example.test", totp_secret=secret)
    user.totp_enabled_at = utcnow()
    db.session.commit()
    attacker = browser(app, ATTACKER)  # guesses the password, then the code
    assert attempt(attacker, user.email, WRONG).status_code == 200
    step = attempt(attacker, user.email)
    assert step.status_code == 200 and 'name="otp"' in step.get_data(as_text=True)
    for code in ("000000", "111111", "222222", ""):  # sent empty counts like wrong
        response = attacker.post("/login", data={"email": user.email, "otp": code})
        assert response.status_code == 200 and 'name="otp"' in response.get_data(as_text=True)
    right = attacker.post("/login", data={"email": user.email, "otp": pyotp.TOTP(secret).now()})
    assert right.status_code == 429
    assert attacker.get("/account/").status_code == 302  # not logged in
    failed = events("login.failed")
    assert sorted(e.details["reason"] for e in failed) == ["credentials"] + ["otp"] * 4
    # a wrong code is the holder's password with a wrong code; a wrong password proves nobody
    assert {e.actor_id for e in failed if e.details["reason"] == "otp"} == {user.id}
    assert {e.actor_id for e in failed if e.details["reason"] == "credentials"} == {None}
    assert {(e.object_type, e.object_id) for e in failed} == {("User", str(user.id))}


# --- the audit trail and the account holder's page -----------------------------------------


def test_a_flood_of_refused_attempts_writes_one_event_a_minute(
    app: Flask, owner: User, clock: time_machine.Coordinates
) -> None:
    attacker = browser(app, ATTACKER)
    fail(attacker, owner.email, 5)
    for _ in range(20):
        assert attempt(attacker, owner.email, WRONG).status_code == 429
    clock.shift(dt.timedelta(seconds=61))
    for _ in range(20):
        assert attempt(attacker, owner.email, WRONG).status_code == 429
    assert attempt(browser(app, HOME), "bestaat-niet@example.test", WRONG).status_code == 200
    throttled = events("login.throttled")
    assert len(throttled) == 2
    assert {(e.object_type, e.object_id, e.ip) for e in throttled} == {
        ("User", str(owner.id), ATTACKER)
    }
    assert counted_failures() == 6  # refused attempts are not failures


def test_the_holder_sees_failed_attempts_on_their_account_only(
    app: Flask,
    owner: User,
    make_user: Callable[..., User],
    client_as: Callable[[User], FlaskClient],
    clock: time_machine.Coordinates,
) -> None:
    neighbour = make_user(Role.CLIENT, email="buur@example.test")
    fail(browser(app, "198.51.100.99"), neighbour.email, 2)  # someone else's account
    clock.shift(dt.timedelta(days=-31))
    fail(browser(app, "198.51.100.31"), owner.email, 1)  # too long ago to show
    clock.shift(dt.timedelta(days=31))
    attacker = browser(app, ATTACKER)
    fail(attacker, owner.email, 5)
    attempt(attacker, owner.email)  # refused

    page = client_as(owner).get("/account/sessions")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert body.count(ATTACKER) == 6
    assert body.count("wrong password") == 5 and body.count("blocked: too many tries") == 1
    assert "1 Jul 2026, 12:05" in body  # Amsterdam time, like the rest of the page
    assert "Was this not you? Change your password and switch on the second step." in body
    assert "198.51.100.99" not in body and "198.51.100.31" not in body

    # the attacker never sees it
    assert attacker.get("/account/sessions").status_code == 302


def test_the_holder_sees_at_most_twenty_attempts(
    app: Flask,
    owner: User,
    make_user: Callable[..., User],
    client_as: Callable[[User], FlaskClient],
    clock: time_machine.Coordinates,
) -> None:
    for n in range(25):
        fail(browser(app, f"203.0.113.{n + 1}"), owner.email, 1)
        clock.shift(dt.timedelta(minutes=5))
    body = client_as(owner).get("/account/sessions").get_data(as_text=True)
    assert body.count("wrong password") == 20
    assert "203.0.113.25<" in body and "203.0.113.5<" not in body  # the newest twenty
    nobody = make_user(Role.CLIENT, locale="en")
    assert "No failed logins" in client_as(nobody).get("/account/sessions").get_data(as_text=True)
