"""What is new since your last visit, per plan in My plans: the reminders found for you
(as you may see the plan) since your previous session was last active."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select

from samenplan.accounts.auth import current_session
from samenplan.accounts.models import UserSession
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess
from samenplan.plans.panels import register_my_plans_line
from samenplan.reminders.models import Reminder, ReminderKind


def last_visit(user_id: int) -> dt.datetime | None:
    """When the person was last active in another session than this one."""
    this = current_session()
    return db.session.scalar(
        select(func.max(UserSession.last_seen_at)).where(
            UserSession.user_id == user_id, UserSession.id != (this.id if this else -1)
        )
    )


def new_since_last_visit(
    accesses: list[PlanAccess], _now: dt.datetime
) -> dict[int, dict[ReminderKind, int]]:
    if not accesses:
        return {}
    user_id = accesses[0].user_id
    since = last_visit(user_id)
    if since is None:  # a first visit: everything is new, nothing to point at
        return {}
    rows = db.session.execute(
        select(Reminder.plan_id, Reminder.kind, func.count())
        .where(
            Reminder.user_id == user_id,
            Reminder.found_at > since,
            Reminder.plan_id.in_([a.plan.id for a in accesses]),
        )
        .group_by(Reminder.plan_id, Reminder.kind)
    )
    found: dict[int, dict[ReminderKind, int]] = defaultdict(dict)
    for plan_id, kind, n in rows:
        found[plan_id][kind] = n
    return dict(found)


register_my_plans_line(
    "new", order=5, template="reminders/_my_plans_new.html", values=new_since_last_visit
)
