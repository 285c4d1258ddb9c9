"""The audit trail is one hash chain: whoever changes, deletes or slips in a row behind the
app's back (with the append-only triggers lifted, as a database owner could) is caught by
``flask audit verify``, which names the first broken link."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select, text

from samenplan.accounts.models import Role, User
from samenplan.audit import chain
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import AuditAction, record
from samenplan.extensions import db
from tests.scenario import Scenario


@pytest.fixture
def trail(make_user: Callable[..., User]) -> list[AuditEvent]:
    """Six events, committed one by one as requests would."""
    actor = make_user(Role.ADMIN)
    events = []
    for n in range(6):
        events.append(
            record(AuditAction.USER_UPDATED, actor=actor, obj=actor, details={"n": n, "é": "ü"})
        )
        db.session.commit()
    return events


@pytest.fixture
def tamper() -> Iterator[Callable[..., None]]:
    """Run SQL as the database owner would, with the append-only triggers out of the way.
    The test's outer transaction is rolled back afterwards, triggers included."""
    postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        db.session.execute(
            text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        )
    else:
        db.session.execute(text("DROP TRIGGER audit_events_no_update"))
        db.session.execute(text("DROP TRIGGER audit_events_no_delete"))

    def run(sql: str, **params: object) -> None:
        db.session.execute(text(sql), params)
        db.session.expire_all()

    yield run


def _verify(runner: FlaskCliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(args=["audit", "verify", *args])
    return result.exit_code, result.output


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def test_events_written_by_the_app_form_one_intact_chain(
    scenario: Scenario, client_as: Callable[[User], FlaskClient], runner: FlaskCliRunner
) -> None:
    professional = client_as(scenario.users["coordinator"])
    for _ in range(3):
        assert professional.get(f"/plans/{scenario.a.plan.public_id}/").status_code == 200
    code, output = _verify(runner)
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert code == 0, output
    assert f"intact: {total} events" in output
    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert rows[0].prev_hash == chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))


def test_a_deleted_event_breaks_the_link_of_the_next_one(
    trail: list[AuditEvent], tamper: Callable[..., None], runner: FlaskCliRunner
) -> None:
    tamper("DELETE FROM audit_events WHERE id = :id", id=trail[2].id)
    code, output = _verify(runner)
    assert code == 1
    assert f"BROKEN at audit event {trail[3].id} " in output
    assert "the event before it was deleted" in output


def test_a_changed_event_is_named(
    trail: list[AuditEvent], tamper: Callable[..., None], runner: FlaskCliRunner
) -> None:
    tamper("UPDATE audit_events SET ip = '10.6.6.6' WHERE id = :id", id=trail[4].id)
    code, output = _verify(runner)
    assert code == 1
    assert f"BROKEN at audit event {trail[4].id} " in output and "content or hash" in output


def test_a_changed_event_with_a_recomputed_hash_breaks_the_next_link(
    trail: list[AuditEvent], tamper: Callable[..., None], runner: FlaskCliRunner
) -> None:
    forged = trail[1]
    fields = {name: getattr(forged, name) for name in chain.FIELDS}
    fields["action"] = "login.succeeded"
    digest = chain.content_hash(forged.prev_hash or "", fields)
    tamper(
        "UPDATE audit_events SET action = 'login.succeeded', hash = :hash WHERE id = :id",
        hash=digest,
        id=forged.id,
    )
    code, output = _verify(runner)
    assert code == 1 and f"BROKEN at audit event {trail[2].id} " in output


def test_removing_the_newest_events_is_caught_by_the_anchor(
    trail: list[AuditEvent], tamper: Callable[..., None], runner: FlaskCliRunner
) -> None:
    head = runner.invoke(args=["audit", "head"]).output.strip()
    assert head == f"{trail[-1].id}:{trail[-1].hash}"
    assert _verify(runner, "--anchor", head)[0] == 0
    tamper("DELETE FROM audit_events WHERE id >= :id", id=trail[-2].id)
    code, output = _verify(runner)
    assert code == 0  # a shorter chain is still a chain …
    code, output = _verify(runner, "--anchor", head)
    assert code == 2 and "ANCHOR MISMATCH" in output  # … but not the one noted yesterday


def test_an_anchor_must_look_like_one(runner: FlaskCliRunner) -> None:
    code, output = _verify(runner, "--anchor", "12:abc")
    assert code == 2 and "ID:HASH" in output


def test_a_rolled_back_event_never_joins_the_chain(
    make_user: Callable[..., User], runner: FlaskCliRunner
) -> None:
    actor = make_user(Role.ADMIN)
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    record(AuditAction.USER_UPDATED, actor=actor, obj=actor)
    db.session.rollback()
    record(AuditAction.USER_DEACTIVATED, actor=actor, obj=actor)
    db.session.commit()
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert len(actions) == before + 1 and actions[-1] == "user.deactivated"
    assert _verify(runner)[0] == 0


def test_an_event_cannot_skip_the_chain(make_user: Callable[..., User]) -> None:
    db.session.add(AuditEvent(action="plan.viewed"))
    with pytest.raises(RuntimeError, match=r"through audit\.services\.record"):
        db.session.flush()
    db.session.rollback()


def test_the_worker_notes_the_latest_hash_once_a_day(
    trail: list[AuditEvent], caplog: pytest.LogCaptureFixture
) -> None:
    from samenplan import tasks

    huey = tasks.queue()
    assert "audit_anchor" in {task.name for task in huey._registry.periodic_tasks}
    with caplog.at_level("INFO", logger="samenplan.tasks"):
        tasks.log_audit_anchor()
    assert f"audit anchor {trail[-1].id}:{trail[-1].hash}" in caplog.text
