"""The audit trail is append-only, in the ORM and in the database itself."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from samenplan.accounts.models import Role, User
from samenplan.audit.models import AuditEvent, AuditIsAppendOnly
from samenplan.audit.services import AuditAction, record
from samenplan.extensions import db


def _one_event(make_user: Callable[..., User]) -> AuditEvent:
    actor = make_user(Role.ADMIN)
    event = record(AuditAction.USER_UPDATED, actor=actor, obj=actor, details={"name": ["a", "b"]})
    db.session.commit()
    return event


def test_events_keep_who_what_and_which_object(make_user: Callable[..., User]) -> None:
    event = _one_event(make_user)
    stored = db.session.get(AuditEvent, event.id)
    assert stored is not None
    assert stored.action == "user.updated" and stored.object_type == "User"
    assert stored.details == {"name": ["a", "b"]} and stored.created_at.tzinfo is not None


def test_orm_refuses_to_change_or_delete_an_event(make_user: Callable[..., User]) -> None:
    event = _one_event(make_user)
    event.action = "forged"
    with pytest.raises(AuditIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AuditIsAppendOnly):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        lambda: update(AuditEvent).values(action="forged"),
        lambda: delete(AuditEvent),
        lambda: text("UPDATE audit_events SET action = 'forged'"),
        lambda: text("DELETE FROM audit_events"),
    ],
)
def test_database_refuses_to_change_or_delete_an_event(
    make_user: Callable[..., User], statement: Callable[[], object]
) -> None:
    _one_event(make_user)
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(statement())  # type: ignore[call-overload]
    db.session.rollback()
    assert db.session.scalars(select(AuditEvent.action)).all().count("forged") == 0
