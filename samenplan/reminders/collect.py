"""Finding what to remind each person of, as they may see their plans: their own actions due
soon or overdue, appointments tomorrow, new messages from others, an evaluation this week.
Each finding is written once to the ledger (a second run finds the same and adds nothing)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from samenplan.accounts.models import User
from samenplan.agenda.feed import plan_accesses
from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.agreements import services as agreements
from samenplan.clock import AMSTERDAM
from samenplan.extensions import db
from samenplan.plans import queries as plan_queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import Action, ActionStatus, Invitation, LogEntry, Participation
from samenplan.reminders.models import Reminder, ReminderKind

#: an action is "due soon" this many days ahead
DUE_SOON = dt.timedelta(days=2)
#: messages and evaluations this far back / ahead are worth a reminder
RECENT = dt.timedelta(days=7)
#: an invitation not accepted after this long is worth a word to whoever sent it
INVITATION_WAIT = dt.timedelta(days=3)


@dataclass(frozen=True)
class Finding:
    plan_id: int
    kind: ReminderKind
    subject: str


def _actions(access: PlanAccess, today: dt.date) -> list[Finding]:
    if access.participation is None:
        return []
    rows = db.session.scalars(
        plan_queries.visible_actions(access).where(
            Action.assignee_id == access.participation.id,
            Action.status == ActionStatus.OPEN,
            Action.due_date.is_not(None),
            Action.due_date <= today + DUE_SOON,
        )
    )
    return [
        Finding(
            access.plan.id,
            ReminderKind.ACTIONS,
            # a new finding when it becomes overdue, or when its date moves
            f"action:{a.id}:{'overdue' if a.due_date and a.due_date < today else a.due_date}",
        )
        for a in rows
    ]


def _agenda(access: PlanAccess, now: dt.datetime, today: dt.date) -> list[Finding]:
    tomorrow = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=AMSTERDAM)
    items = db.session.scalars(
        select(AgendaItem).where(
            AgendaItem.plan_id == access.plan.id,
            *access.sees_where(AgendaItem),
            AgendaItem.cancelled_at.is_(None),
            AgendaItem.starts_at >= now,
            AgendaItem.starts_at < tomorrow + RECENT,
        )
    )
    found = []
    for item in items:
        day = item.starts_at.astimezone(AMSTERDAM).date()
        if item.kind == AgendaKind.EVALUATION:
            found.append(
                Finding(access.plan.id, ReminderKind.EVALUATIONS, f"agenda:{item.id}:{day}")
            )
        elif day == tomorrow.date():
            found.append(
                Finding(access.plan.id, ReminderKind.APPOINTMENTS, f"agenda:{item.id}:{day}")
            )
    return found


def _messages(access: PlanAccess, user: User, now: dt.datetime) -> list[Finding]:
    since = max(now - RECENT, access.participation.created_at if access.participation else now)
    entries = db.session.scalars(
        plan_queries.visible_log(access)
        .with_only_columns(LogEntry.id)
        .where(LogEntry.author_id != user.id, LogEntry.created_at >= since)
    )
    return [Finding(access.plan.id, ReminderKind.LOGBOOK, f"log:{i}") for i in entries]


def _versions(access: PlanAccess, user: User) -> list[Finding]:
    version = agreements.latest(access.plan.id)
    if version is None or user.id not in agreements.asked_of(version):
        return []
    if user.id in agreements.answers(version):
        return []
    return [Finding(access.plan.id, ReminderKind.VERSIONS, f"version:{version.id}")]


def _invitations(access: PlanAccess, now: dt.datetime) -> list[Finding]:
    if access.participation is None:
        return []
    waiting = db.session.scalars(
        select(Invitation.id).where(
            Invitation.plan_id == access.plan.id,
            Invitation.invited_by_id == access.participation.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
            Invitation.created_at <= now - INVITATION_WAIT,
        )
    )
    return [Finding(access.plan.id, ReminderKind.INVITATIONS, f"invitation:{i}") for i in waiting]


def findings(user: User, now: dt.datetime) -> list[Finding]:
    today = now.astimezone(AMSTERDAM).date()
    found: list[Finding] = []
    for access in plan_accesses(user, today):
        if not access.open:
            continue
        found += _actions(access, today)
        found += _agenda(access, now, today)
        found += _messages(access, user, now)
        found += _versions(access, user)
        found += _invitations(access, now)
    return found


def collect(now: dt.datetime) -> int:
    """Write what is new to the ledger for every active person in a plan; returns how many
    new reminders there are. Commits per person."""
    people = list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                User.id.in_(select(Participation.user_id).where(Participation.active)),
                # .invalid (RFC 2606) never receives mail: the synthetic region's accounts
                User.email.not_like("%.invalid"),
            )
            .order_by(User.id)
        )
    )
    added = 0
    for user in people:
        rows = [
            {"user_id": user.id, "plan_id": f.plan_id, "kind": f.kind, "subject": f.subject}
            for f in findings(user, now)
        ]
        if rows:
            new = db.session.scalars(
                db.insert(Reminder)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["user_id", "kind", "subject"])
                .returning(Reminder.id)  # the rows really added (rowcount is not reliable here)
            )
            added += len(new.all())
        db.session.commit()
    return added
