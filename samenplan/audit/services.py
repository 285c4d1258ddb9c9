"""Recording audit events. Services call record(); it only adds to the session."""

from __future__ import annotations

import enum
from contextvars import ContextVar
from typing import Any

from samenplan.accounts.models import User
from samenplan.audit.models import AuditEvent
from samenplan.extensions import db

#: The client address of the current request; set by the web layer (core), read here,
#: so that services record where an action came from without touching ``request``.
origin_ip: ContextVar[str | None] = ContextVar("origin_ip", default=None)


class AuditAction(enum.StrEnum):
    LOGIN_SUCCEEDED = "login.succeeded"
    LOGIN_FAILED = "login.failed"
    LOGIN_THROTTLED = "login.throttled"
    LOGOUT = "logout"
    SESSION_ENDED = "session.ended"
    PASSWORD_CHANGED = "password.changed"  # noqa: S105
    TOTP_ENABLED = "totp.enabled"
    TOTP_DISABLED = "totp.disabled"
    USER_CREATED = "user.created"
    USER_UPDATED = "user.updated"
    ROLE_CHANGED = "user.role_changed"
    USER_DEACTIVATED = "user.deactivated"
    USER_REACTIVATED = "user.reactivated"
    PASSWORD_RESET_BY_ADMIN = "user.password_reset"  # noqa: S105
    ORGANISATION_CREATED = "organisation.created"
    TEAM_CREATED = "team.created"
    # plans
    PLAN_VIEWED = "plan.viewed"
    PLAN_CREATED = "plan.created"
    PLAN_CLOSED = "plan.closed"
    PLAN_REOPENED = "plan.reopened"
    PERSON_ADDED = "person.added"
    PERSON_CHANGED = "person.changed"
    PARTICIPANT_INVITED = "participant.invited"
    PARTICIPANT_JOINED = "participant.joined"
    PARTICIPANT_REMOVED = "participant.removed"
    INVITATION_REVOKED = "invitation.revoked"
    COORDINATION_HANDED_OVER = "coordination.handed_over"
    CONSENT_CHANGED = "consent.changed"
    GOAL_CREATED = "goal.created"
    GOAL_CHANGED = "goal.changed"
    ACTION_CREATED = "action.created"
    ACTION_CHANGED = "action.changed"
    PROGRESS_ADDED = "progress.added"
    LOG_ADDED = "log.added"
    AGENDA_CREATED = "agenda.created"
    AGENDA_CHANGED = "agenda.changed"
    SCREENING_CREATED = "screening.created"
    SCREENING_SAVED = "screening.saved"
    SCREENING_COMPLETED = "screening.completed"
    SUMMARY_PRINTED = "summary.printed"
    PLAN_EXPORTED = "plan.exported"
    PLAN_IMPORTED = "plan.imported"


def record(
    action: AuditAction,
    *,
    actor: User | None,
    plan_id: int | None = None,
    obj: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event to the session; the caller's commit stores it with the change."""
    object_id = getattr(obj, "id", None) if obj is not None else None
    return _store(
        action,
        actor=actor,
        plan_id=plan_id,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(object_id) if object_id is not None else None,
        details=details or {},
    )


#: view arguments that name an object inside a plan, and the object's type
_VIEW_OBJECTS = {
    "goal_id": "Goal",
    "action_id": "Action",
    "item_id": "AgendaItem",
    "person_id": "Person",
    "screening_id": "Screening",
}


def record_plan_view(actor: User, plan_id: int, page: str, view_args: dict[str, Any]) -> AuditEvent:
    """A professional or team lead opened a page with plan content."""
    object_type = object_id = None
    for key, type_name in _VIEW_OBJECTS.items():
        if key in view_args:
            object_type, object_id = type_name, str(view_args[key])
            break
    return _store(
        AuditAction.PLAN_VIEWED,
        actor=actor,
        plan_id=plan_id,
        object_type=object_type,
        object_id=object_id,
        details={"page": page},
    )


def _store(
    action: AuditAction,
    *,
    actor: User | None,
    plan_id: int | None,
    object_type: str | None,
    object_id: str | None,
    details: dict[str, Any],
) -> AuditEvent:
    """In a request that only reads (a professional opening a page, a PDF, an export) there
    is no change for the event to go with: it is stored at once, in a short write of its own,
    before the content goes out (NEN 7513)."""
    event = AuditEvent(
        action=action.value,
        actor_id=actor.id if actor is not None else None,
        plan_id=plan_id,
        object_type=object_type,
        object_id=object_id,
        ip=origin_ip.get(),
        details=details,
    )
    if db.reading_only:
        with db.writing():
            db.session.add(event)
    else:
        db.session.add(event)
    return event
