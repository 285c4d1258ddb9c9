"""Recording audit events. Services call record(); the event is stored with the change,
when the transaction commits."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction

from samenplan.audit import chain
from samenplan.audit.models import AuditEvent
from samenplan.clock import utcnow
from samenplan.core.web import origin_ip
from samenplan.extensions import db

if TYPE_CHECKING:
    from samenplan.accounts.models import User


class AuditAction(enum.StrEnum):
    LOGIN_SUCCEEDED = "login.succeeded"
    LOGIN_FAILED = "login.failed"
    LOGIN_THROTTLED = "login.throttled"
    LOGOUT = "logout"
    SESSION_ENDED = "session.ended"
    PASSWORD_CHANGED = "password.changed"  # noqa: S105  # nosec B105  # an event name
    TOTP_ENABLED = "totp.enabled"
    TOTP_DISABLED = "totp.disabled"
    USER_CREATED = "user.created"
    USER_UPDATED = "user.updated"
    ROLE_CHANGED = "user.role_changed"
    USER_DEACTIVATED = "user.deactivated"
    USER_REACTIVATED = "user.reactivated"
    USER_MUNICIPALITIES_SET = "user.municipalities_set"
    PASSWORD_RESET_BY_ADMIN = "user.password_reset"  # noqa: S105  # nosec B105  # an event name
    ORGANISATION_CREATED = "organisation.created"
    TEAM_CREATED = "team.created"
    # plans
    PLAN_VIEWED = "plan.viewed"
    PLAN_LISTED = "plan.listed"
    PLAN_CREATED = "plan.created"
    PLAN_CLOSED = "plan.closed"
    PLAN_REOPENED = "plan.reopened"
    MUNICIPALITY_SET = "plan.municipality_set"
    NETWORK_DEFAULT_SET = "plan.network_default_set"
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
    AGENDA_CANCELLED = "agenda.cancelled"
    EVALUATION_CYCLE_SET = "plan.evaluation_cycle_set"
    VERSION_CREATED = "plan.version_created"
    VERSION_ANSWERED = "plan.version_answered"
    FEED_CREATED = "feed.created"
    FEED_STOPPED = "feed.stopped"
    SCREENING_CREATED = "screening.created"
    SCREENING_SAVED = "screening.saved"
    SCREENING_COMPLETED = "screening.completed"
    SUMMARY_PRINTED = "summary.printed"
    PLAN_EXPORTED = "plan.exported"
    PLAN_IMPORTED = "plan.imported"
    # monitoring
    SURVEY_ANSWERED = "survey.answered"
    MONITOR_EXPORTED = "monitor.exported"


def record(
    action: AuditAction,
    *,
    actor: User | None,
    plan_id: int | None = None,
    obj: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one audit event; the caller's commit stores it with the change."""
    object_id = getattr(obj, "id", None) if obj is not None else None
    event = _event(
        action,
        actor=actor,
        plan_id=plan_id,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(object_id) if object_id is not None else None,
        details=details or {},
    )
    _keep([event])
    return event


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
    event = _event(
        AuditAction.PLAN_VIEWED,
        actor=actor,
        plan_id=plan_id,
        object_type=object_type,
        object_id=object_id,
        details={"page": page},
    )
    _keep([event])
    return event


def record_plans_listed(
    actor: User, plan_ids: Iterable[int], page: str, *, since: dt.datetime
) -> list[AuditEvent]:
    """A list page (My plans, my actions, the team's plans) showed these plans' content to a
    professional or team lead. One event per plan per person per day (``since``: the start
    of that day) is enough to answer "who saw our plan, and when"; so a list that is opened
    again and again writes nothing after its first load of the day."""
    wanted = set(plan_ids)
    if not wanted:
        return []
    seen = set(
        db.session.scalars(
            select(AuditEvent.plan_id).where(
                AuditEvent.actor_id == actor.id,
                AuditEvent.created_at >= since,
                AuditEvent.action == AuditAction.PLAN_LISTED.value,
                AuditEvent.plan_id.in_(wanted),
            )
        )
    )
    events = [
        _event(AuditAction.PLAN_LISTED, actor=actor, plan_id=plan_id, details={"page": page})
        for plan_id in sorted(wanted - seen)
    ]
    _keep(events)
    return events


def _event(
    action: AuditAction,
    *,
    actor: User | None,
    plan_id: int | None,
    object_type: str | None = None,
    object_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent(
        created_at=utcnow(),
        action=action.value,
        actor_id=actor.id if actor is not None else None,
        plan_id=plan_id,
        object_type=object_type,
        object_id=object_id,
        ip=origin_ip.get(),
        details=chain.normalised_details(details),
    )


def _keep(events: list[AuditEvent]) -> None:
    """The events wait beside the transaction and join the chain when it commits
    (``_seal``). In a request that only reads (a professional opening a page, a PDF, an
    export) there is no change for them to go with: they are stored at once, in a short
    write of their own, before the content goes out (NEN 7513)."""
    if not events:
        return
    if db.reading_only:
        with db.writing() as session:
            _pending(session).extend(events)
    else:
        _pending(db.session()).extend(events)


# --- the chain ----------------------------------------------------------------------------

_PENDING = "audit_pending"


def _pending(session: Session) -> list[AuditEvent]:
    pending: list[AuditEvent] = session.info.setdefault(_PENDING, [])
    return pending


@event.listens_for(db.session, "before_commit")
def _seal(session: Session) -> None:
    """Link the waiting events to the chain and insert them, under the append lock, just
    before the transaction commits (its last flush follows this hook)."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    prev = chain.lock_and_head(session)
    for waiting in pending:
        fields = {name: getattr(waiting, name) for name in chain.FIELDS}
        waiting.prev_hash = prev
        waiting.hash = prev = chain.content_hash(prev, fields)
    session.add_all(pending)


@event.listens_for(db.session, "after_soft_rollback")
def _forget(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:
        session.info.pop(_PENDING, None)


@event.listens_for(db.session, "before_flush")
def _only_through_record(session: Session, _flush: UOWTransaction, _objects: object) -> None:
    for obj in session.new:
        if isinstance(obj, AuditEvent) and obj.hash is None:
            raise RuntimeError("audit events are added through audit.services.record()")
