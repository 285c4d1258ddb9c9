"""Reads of plan content, always through the viewer's PlanAccess, so that lists, counts,
pages and (later) exports show exactly what a detail page would allow.

Each page's reads are a fixed number of queries, whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from samenplan.accounts.models import User
from samenplan.clock import utcnow
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import (
    Action,
    Goal,
    Invitation,
    LogEntry,
    Participation,
    Person,
    Plan,
    ProgressEntry,
)

# --- visibility ------------------------------------------------------------------------------


S = TypeVar("S", bound=Select[Any])


def _goal_filter(access: PlanAccess, stmt: S) -> S:
    """Restrict a statement that involves Goal to the goals this viewer may see."""
    return stmt.where(*access.sees_where(Goal))


def visible_goals(access: PlanAccess) -> Select[tuple[Goal]]:
    return _goal_filter(access, select(Goal).where(Goal.plan_id == access.plan.id))


def visible_actions(access: PlanAccess) -> Select[tuple[Action]]:
    stmt = (
        select(Action).join(Goal, Goal.id == Action.goal_id).where(Action.plan_id == access.plan.id)
    )
    return _goal_filter(access, stmt).options(
        joinedload(Action.assignee).joinedload(Participation.user), joinedload(Action.goal)
    )


def visible_log(access: PlanAccess) -> Select[tuple[LogEntry]]:
    stmt = select(LogEntry).where(LogEntry.plan_id == access.plan.id, *access.sees_where(LogEntry))
    return stmt.options(joinedload(LogEntry.author))


def goal_in_plan(access: PlanAccess, goal_id: int) -> Goal | None:
    """A goal by id, but only inside this plan and only when the viewer may see it."""
    return db.session.scalar(visible_goals(access).where(Goal.id == goal_id))


def action_in_plan(access: PlanAccess, action_id: int) -> Action | None:
    return db.session.scalar(visible_actions(access).where(Action.id == action_id))


def person_in_plan(access: PlanAccess, person_id: int) -> Person | None:
    person = db.session.get(Person, person_id)
    if person is None or person.plan_id != access.plan.id or person.id in access.hidden_person_ids:
        return None
    return person


def participation_in_plan(access: PlanAccess, participation_id: int) -> Participation | None:
    return db.session.scalar(
        select(Participation)
        .where(
            Participation.id == participation_id,
            Participation.plan_id == access.plan.id,
            Participation.removed_at.is_(None),
        )
        .options(joinedload(Participation.user))
    )


def invitation_in_plan(access: PlanAccess, invitation_id: int) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(
            Invitation.id == invitation_id,
            Invitation.plan_id == access.plan.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    )


# --- page data -------------------------------------------------------------------------------


def persons(access: PlanAccess) -> list[Person]:
    """The household members this viewer may see (the policy loaded them already)."""
    return list(access.persons)


def participants(access: PlanAccess) -> list[Participation]:
    return list(
        db.session.scalars(
            select(Participation)
            .where(Participation.plan_id == access.plan.id, Participation.removed_at.is_(None))
            .options(joinedload(Participation.user))
            .order_by(Participation.id)
        )
    )


def open_invitations(access: PlanAccess) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.plan_id == access.plan.id,
                Invitation.used_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.id)
        )
    )


def logbook(access: PlanAccess, *, page: int, per_page: int = 30) -> tuple[list[LogEntry], int]:
    stmt = visible_log(access)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(LogEntry.created_at.desc(), LogEntry.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def pending_invitations(user: User) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.email == user.email,
                Invitation.used_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .options(joinedload(Invitation.plan))
        )
    )


def team_plans(lead: User) -> list[tuple[Plan, list[User]]]:
    """Plans in which members of the lead's team take part, with those members."""
    if lead.team_id is None:
        return []
    rows = db.session.execute(
        select(Plan, User)
        .join(Participation, Participation.plan_id == Plan.id)
        .join(User, User.id == Participation.user_id)
        .where(User.team_id == lead.team_id, User.id != lead.id, Participation.active)
        .order_by(Plan.title, Plan.id, User.name)
    )
    grouped: dict[int, tuple[Plan, list[User]]] = {}
    for plan, member in rows:
        grouped.setdefault(plan.id, (plan, []))[1].append(member)
    return list(grouped.values())


def progress_by_goal(access: PlanAccess, goal_ids: list[int]) -> dict[int, list[ProgressEntry]]:
    """Progress entries of several goals in one query (for summaries and exports)."""
    result: dict[int, list[ProgressEntry]] = defaultdict(list)
    for entry in db.session.scalars(
        select(ProgressEntry)
        .where(ProgressEntry.plan_id == access.plan.id, ProgressEntry.goal_id.in_(goal_ids or [-1]))
        .options(joinedload(ProgressEntry.author))
        .order_by(ProgressEntry.recorded_on, ProgressEntry.id)
    ):
        result[entry.goal_id].append(entry)
    return result
