"""One transaction per request: reading pages stay read-only, the few writes they make are
short transactions of their own, mail waits for the commit, and a lost race is a conflict."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from psycopg import errors as pg_errors
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from samenplan.accounts.models import Role, User, UserSession
from samenplan.audit.models import AuditEvent
from samenplan.core.errors import conflict_response
from samenplan.db import ReadOnlyViolation, is_contention, is_unique_violation
from samenplan.extensions import db
from samenplan.plans.models import Plan
from tests.scenario import Scenario


def _views(user: User) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.actor_id == user.id, AuditEvent.action == "plan.viewed")
        )
        or 0
    )


def test_a_read_only_request_may_not_write_outside_writing(
    make_user: Callable[..., User],
) -> None:
    user = make_user(Role.CLIENT)
    with db.read_only():
        user.name = "Changed while reading"
        with pytest.raises(ReadOnlyViolation):
            db.session.flush()
    db.session.rollback()


def test_writing_commits_its_block_and_refuses_earlier_changes(
    make_user: Callable[..., User],
) -> None:
    user = make_user(Role.CLIENT)
    with db.read_only():
        with db.writing():
            user.name = "Written in its own transaction"
        db.session.rollback()  # the read transaction after it: nothing to undo
        assert db.session.get(User, user.id).name == "Written in its own transaction"
        user.name = "Not allowed"
        with pytest.raises(ReadOnlyViolation), db.writing():
            pass
    db.session.rollback()


def test_after_commit_waits_for_the_commit_and_is_dropped_on_rollback() -> None:
    ran: list[str] = []
    db.after_commit(lambda: ran.append("dropped"))
    db.rollback()
    db.after_commit(lambda: ran.append("sent"))
    assert ran == []
    db.commit()
    assert ran == ["sent"]


def _dbapi(exc: Exception) -> OperationalError:
    return OperationalError("UPDATE …", {}, exc)


def test_what_counts_as_a_lost_race() -> None:
    assert is_contention(StaleDataError("0 rows matched"))
    assert is_contention(_dbapi(sqlite3.OperationalError("database is locked")))
    assert is_contention(_dbapi(pg_errors.LockNotAvailable("lock timeout")))
    assert is_contention(_dbapi(pg_errors.SerializationFailure("could not serialize")))
    assert is_contention(_dbapi(pg_errors.DeadlockDetected("deadlock")))
    assert not is_contention(_dbapi(sqlite3.OperationalError("no such table: goals")))
    assert not is_contention(IntegrityError("INSERT …", {}, Exception("unique")))
    assert not is_contention(ValueError("odd"))


def test_a_professional_read_is_one_audit_event_and_the_session_is_touched_once_a_minute(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    worker = as_persona("coordinator")
    user = scenario.users["coordinator"]
    url = f"/plans/{scenario.a.plan.public_id}/"
    before = _views(user)
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as clock:
        assert worker.get(url).status_code == 200
        seen = db.session.scalar(
            select(UserSession.last_seen_at).where(UserSession.user_id == user.id)
        )
        clock.shift(dt.timedelta(seconds=30))
        assert worker.get(url).status_code == 200
        db.session.expire_all()
        again = db.session.scalar(
            select(UserSession.last_seen_at).where(UserSession.user_id == user.id)
        )
        assert again == seen  # not written within the minute
        clock.shift(dt.timedelta(seconds=61))
        assert worker.get(url).status_code == 200
        db.session.expire_all()
        later = db.session.scalar(
            select(UserSession.last_seen_at).where(UserSession.user_id == user.id)
        )
        assert later is not None and seen is not None and later > seen
    assert _views(user) == before + 3


def test_mail_goes_out_only_after_the_invitation_is_stored(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient], outbox: object
) -> None:
    from pathlib import Path

    folder = Path(str(outbox))
    client = as_persona("client")
    url = f"/plans/{scenario.a.plan.public_id}/participants"
    invite = {"email": "buurvrouw@example.test", "role": "network", "network_default": "shared"}
    page = client.post(url, data=invite)
    assert page.status_code == 303
    mails = list(folder.glob("*.eml"))
    assert len(mails) == 1 and "buurvrouw@example.test" in mails[0].read_text()
    # a refused invitation (someone who already takes part) sends nothing
    taken = scenario.users["network"].email
    again = client.post(url, data={"email": taken, "role": "network"})
    assert again.status_code == 200 and "doet al mee aan het plan" in again.get_data(as_text=True)
    assert len(list(folder.glob("*.eml"))) == 1


def test_a_broken_rule_keeps_nothing_of_the_request(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    """The plan is written before its household member is checked: when that check fails,
    nothing of the request is kept, and the form says why."""
    plans = db.session.scalar(select(func.count()).select_from(Plan))
    future = dt.date.today() + dt.timedelta(days=400)
    response = as_persona("professional").post(
        "/plans/new",
        data={
            "title": "Gezin de Vries",
            "name": "Sanne",
            "relation": "child",
            "date_of_birth": future.isoformat(),
            "coordinate": "y",
        },
    )
    assert response.status_code == 200
    assert "Een geboortedatum kan niet in de toekomst liggen" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Plan)) == plans


def test_the_conflict_page_sends_the_form_again_but_never_shows_a_password(app: Flask) -> None:
    form = {
        "csrf_token": "tok",
        "email": "ouder@example.test",
        "password": "geheim-wachtwoord-123",
        "otp": "123456",
        "text": "Mijn eigen <b>woorden</b>",
    }
    with app.test_request_context("/plans/x/logbook", method="POST", data=form):
        response = conflict_response(StaleDataError("0 rows matched"))
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Mijn eigen &lt;b&gt;woorden&lt;/b&gt;" in body
    assert "geheim-wachtwoord" not in body and "123456" not in body
    assert "Opnieuw versturen</button>" not in body  # without the password it cannot be resent


def test_the_conflict_page_sends_the_same_form_again(app: Flask) -> None:
    form = {"csrf_token": "tok", "text": "Mijn eigen woorden", "shared_with_network": "y"}
    with app.test_request_context("/plans/x/logbook", method="POST", data=form):
        body = conflict_response(StaleDataError("0 rows matched")).get_data(as_text=True)
    assert 'name="csrf_token" value="tok"' in body
    assert 'name="shared_with_network" value="y"' in body
    assert 'name="text" rows="3">Mijn eigen woorden</textarea>' in body
    assert "Opnieuw versturen</button>" in body


def test_only_a_unique_constraint_counts_as_a_race() -> None:
    unique_pg = pg_errors.UniqueViolation("duplicate key value violates unique constraint")
    assert is_unique_violation(IntegrityError("INSERT …", {}, unique_pg))
    unique_sqlite = sqlite3.IntegrityError("UNIQUE constraint failed: participations.plan_id")
    assert is_unique_violation(IntegrityError("INSERT …", {}, unique_sqlite))
    not_null = sqlite3.IntegrityError("NOT NULL constraint failed: goals.title")
    assert not is_unique_violation(IntegrityError("INSERT …", {}, not_null))
