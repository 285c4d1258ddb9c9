"""Loading a plan through the policy and guarding the views inside it: outside the actor's
plans the answer is 404 (the plan's existence is not revealed), inside them without the
right 403. Reads of plan content by staff are audit-logged here, so no view can forget it."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any

from flask import abort, request
from flask_login import current_user
from sqlalchemy import exists, select

from samenplan.accounts.models import User
from samenplan.audit.services import record_plan_view, record_plans_listed
from samenplan.clock import local_today, start_of_local_day
from samenplan.extensions import db, login_manager
from samenplan.guard import PLAN_ROUTE_ATTR, POLICY_ATTR, F, authorize
from samenplan.plans.access import PlanAccess, plan_access
from samenplan.plans.models import Participation, Person, Plan
from samenplan.policy import Permission, Role, can


def load_plan_access(
    actor: Any, public_id: str, *, today: dt.date | None = None
) -> PlanAccess | None:
    """The actor's access to the plan with this public id, or None (unknown or not theirs)."""
    if not actor.is_authenticated or len(public_id) > 40:
        return None
    plan = db.session.scalar(select(Plan).where(Plan.public_id == public_id))
    if plan is None:
        return None
    participation = db.session.scalar(
        select(Participation).where(
            Participation.plan_id == plan.id,
            Participation.user_id == actor.id,
            Participation.active,
        )
    )
    team_lead_of_member = False
    if participation is None:
        if actor.role != Role.TEAM_LEAD or actor.team_id is None:
            return None
        team_lead_of_member = bool(
            db.session.scalar(
                select(
                    exists().where(
                        Participation.plan_id == plan.id,
                        Participation.active,
                        Participation.user_id == User.id,
                        User.team_id == actor.team_id,
                        User.id != actor.id,
                    )
                )
            )
        )
        if not team_lead_of_member:
            return None
    persons = list(
        db.session.scalars(select(Person).where(Person.plan_id == plan.id).order_by(Person.id))
    )
    return plan_access(
        actor,
        plan,
        participation,
        persons,
        team_lead_of_member=team_lead_of_member,
        today=today or local_today(),
    )


#: staff whose reads of plan content are audit-logged (the family's and network's are not)
AUDITED_READERS = (Role.PROFESSIONAL, Role.TEAM_LEAD)


def plan_for(actor: Any, public_id: str, permission: Permission) -> PlanAccess:
    """Load a plan through the policy: 404 outside the actor's plans, 403 inside them
    without the right."""
    access = load_plan_access(actor, public_id)
    if access is None:
        abort(404)
    if not can(actor, permission, access):
        abort(403)
    return access


def plan_route(
    permission: Permission, *, post: Permission | None = None, own_audit_event: bool = False
) -> Callable[[F], F]:
    """Mark and guard a view inside a plan: log in, load the plan through the policy, check
    ``permission`` (and ``post`` as well for a POST to a page that also shows), and pass the
    PlanAccess as ``access``. Views of plan content by staff
    (professionals, team leads) are audit-logged here, so no view can forget it; a view that
    records a more telling event itself for everyone (a printed PDF, an export) says so with
    ``own_audit_event`` and is not logged twice."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(plan_id: str, *args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            access = plan_for(current_user, plan_id, permission)
            if post is not None and request.method == "POST":
                authorize(current_user, post, access)
            staff = current_user.role in AUDITED_READERS
            if request.method == "GET" and staff and not own_audit_event:
                # stored before the content is shown (the audit service writes it at once)
                record_plan_view(current_user, access.plan.id, request.endpoint or "", kwargs)
            return view(access, *args, **kwargs)

        setattr(wrapped, POLICY_ATTR, permission)
        setattr(wrapped, PLAN_ROUTE_ATTR, True)
        return wrapped  # type: ignore[return-value]

    return decorator


def audit_listed(plan_ids: Iterable[int]) -> None:
    """A list page (My plans, my actions, the team's plans) shows these plans' content: a
    professional's or team lead's first sight of each plan on a day is audit-logged."""
    if current_user.role not in AUDITED_READERS:
        return
    start_of_day = start_of_local_day(local_today())
    record_plans_listed(current_user, plan_ids, request.endpoint or "", since=start_of_day)
