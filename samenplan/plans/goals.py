"""Writes to goals, actions and progress, with the version check that turns a concurrent
save into a conflict the person sees. Flushes and audits; never commits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from samenplan.accounts.models import User
from samenplan.audit.services import AuditAction, record
from samenplan.clock import utcnow
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.domains import life_domains
from samenplan.errors import Conflict, NotAllowed, ValidationFailed
from samenplan.extensions import db
from samenplan.plans import queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import (
    UNFINISHED_GOAL,
    Action,
    ActionStatus,
    Goal,
    GoalEndReason,
    GoalStatus,
    Participation,
    ProgressEntry,
)


@dataclass(frozen=True)
class GoalInput:
    domain: str
    title: str
    person_id: int | None = None
    why: str = ""
    desired_situation: str = ""
    target_date: dt.date | None = None
    status: GoalStatus = GoalStatus.OPEN
    #: why a goal ended without being (fully) reached; required then, ignored otherwise
    end_reason: GoalEndReason | None = None
    shared_with_network: bool = True


class EditConflict(Conflict):
    """Someone else saved the object since the user opened the form."""

    def __init__(self, current: Any) -> None:
        super().__init__(str(_l("Someone else changed this in the meantime. Compare and choose.")))
        self.current = current


def _check_goal_input(access: PlanAccess, data: GoalInput) -> None:
    if data.domain not in life_domains():
        raise ValidationFailed(str(_l("Choose a life area.")), field="domain")
    if not data.title.strip():
        raise ValidationFailed(str(_l("Write down what you want to reach.")), field="title")
    if data.person_id is not None and queries.person_in_plan(access, data.person_id) is None:
        raise ValidationFailed(str(_l("Choose someone from this household.")), field="person_id")
    if data.status in UNFINISHED_GOAL and data.end_reason is None:
        raise ValidationFailed(str(_l("Choose why the goal ended like this.")), field="end_reason")


def _goal_values(data: GoalInput) -> dict[str, Any]:
    """The goal's columns as the form sets them (one list for adding and for changing)."""
    return {
        "domain": data.domain,
        "person_id": data.person_id,
        "title": data.title.strip(),
        "why": data.why.strip(),
        "desired_situation": data.desired_situation.strip(),
        "target_date": data.target_date,
        "status": data.status,
        "end_reason": data.end_reason if data.status in UNFINISHED_GOAL else None,
        "shared_with_network": data.shared_with_network,
    }


def _closed_at(goal: Goal | None, status: GoalStatus) -> dt.datetime | None:
    """When the goal left "open": kept while it stays closed, even when the outcome changes."""
    if status == GoalStatus.OPEN:
        return None
    if goal is not None and goal.closed_at is not None and goal.status != GoalStatus.OPEN:
        return goal.closed_at
    return utcnow()


def create_goal(access: PlanAccess, actor: User, data: GoalInput) -> Goal:
    _check_goal_input(access, data)
    goal = Goal(
        plan_id=access.plan.id,
        created_by_id=actor.id,
        closed_at=_closed_at(None, data.status),
        **_goal_values(data),
    )
    db.session.add(goal)
    db.session.flush()
    record(AuditAction.GOAL_CREATED, actor=actor, plan_id=access.plan.id, obj=goal)
    return goal


def update_goal(
    access: PlanAccess, actor: User, goal: Goal, data: GoalInput, *, seen_version: int
) -> Goal:
    """Save the form over the goal unless someone else saved it after ``seen_version``."""
    _check_goal_input(access, data)
    if goal.version != seen_version:
        raise EditConflict(goal)
    values = _goal_values(data)
    changed = sorted(field for field, value in values.items() if getattr(goal, field) != value)
    values["closed_at"] = _closed_at(goal, data.status)
    for field, value in values.items():
        setattr(goal, field, value)
    _flush_versioned(goal)
    record(
        AuditAction.GOAL_CHANGED,
        actor=actor,
        plan_id=access.plan.id,
        obj=goal,
        details={"fields": changed},
    )
    return goal


def _flush_versioned(obj: Goal | Action) -> None:
    """Flush; a concurrent save between our read and write is a conflict, not a crash."""
    try:
        db.session.flush()
    except StaleDataError as error:
        db.rollback()
        current = db.session.get(type(obj), obj.id, populate_existing=True)
        raise EditConflict(current) from error


@dataclass(frozen=True)
class ActionInput:
    description: str
    assignee_id: int
    due_date: dt.date | None = None


def _check_assignee(access: PlanAccess, assignee_id: int) -> Participation:
    assignee = queries.participation_in_plan(access, assignee_id)
    if assignee is None:
        raise ValidationFailed(str(_l("Choose who does this.")), field="assignee")
    return assignee


def _check_action_input(access: PlanAccess, data: ActionInput) -> None:
    if not data.description.strip():
        raise ValidationFailed(str(_l("Write down what needs to be done.")), field="description")
    _check_assignee(access, data.assignee_id)


def create_action(access: PlanAccess, actor: User, goal: Goal, data: ActionInput) -> Action:
    _check_action_input(access, data)
    action = Action(
        plan_id=access.plan.id,
        goal_id=goal.id,
        description=data.description.strip(),
        assignee_id=data.assignee_id,
        due_date=data.due_date,
        created_by_id=actor.id,
    )
    db.session.add(action)
    db.session.flush()
    record(AuditAction.ACTION_CREATED, actor=actor, plan_id=access.plan.id, obj=action)
    return action


def update_action(
    access: PlanAccess, actor: User, action: Action, data: ActionInput, *, seen_version: int
) -> Action:
    _check_action_input(access, data)
    if action.version != seen_version:
        raise EditConflict(action)
    action.description, action.assignee_id, action.due_date = (
        data.description.strip(),
        data.assignee_id,
        data.due_date,
    )
    _flush_versioned(action)
    record(AuditAction.ACTION_CHANGED, actor=actor, plan_id=access.plan.id, obj=action)
    return action


def set_action_status(
    access: PlanAccess, actor: User, action: Action, status: ActionStatus
) -> Action:
    """Mark done, cancel or reopen. Network members may do this only for their own actions."""
    if not access.may_tick_off(action.assignee_id):
        raise NotAllowed(str(_l("You can only tick off your own actions.")))
    action.status = status
    action.done_at = utcnow() if status == ActionStatus.DONE else None
    action.done_by_id = actor.id if status == ActionStatus.DONE else None
    _flush_versioned(action)
    record(
        AuditAction.ACTION_CHANGED,
        actor=actor,
        plan_id=access.plan.id,
        obj=action,
        details={"status": status.value},
    )
    return action


def add_progress(
    access: PlanAccess, actor: User, goal: Goal, *, value: int, note: str, recorded_on: dt.date
) -> ProgressEntry:
    if not 0 <= value <= 10:
        raise ValidationFailed(str(_l("Choose a number from 0 to 10.")), field="value")
    entry = ProgressEntry(
        plan_id=access.plan.id,
        goal_id=goal.id,
        value=value,
        note=note.strip(),
        recorded_on=recorded_on,
        author_id=actor.id,
    )
    db.session.add(entry)
    db.session.flush()
    record(AuditAction.PROGRESS_ADDED, actor=actor, plan_id=access.plan.id, obj=entry)
    return entry
