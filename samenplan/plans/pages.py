"""What the plan pages show, built outside the views: each builder reads through the
viewer's PlanAccess with a fixed number of queries, whatever the plan's size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from samenplan.accounts.models import User
from samenplan.audit.models import AuditEvent
from samenplan.clock import AMSTERDAM
from samenplan.domains import life_domains
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess, plan_access
from samenplan.plans.models import (
    Action,
    ActionStatus,
    Goal,
    LogEntry,
    Participation,
    Person,
    ProgressEntry,
)
from samenplan.plans.panels import Extra, my_plans_extras
from samenplan.plans.queries import (
    participants,
    persons,
    visible_actions,
    visible_goals,
    visible_log,
)
from samenplan.plans.rules import Stage, stage_on


@dataclass
class HouseholdPage:
    persons: list[Person]
    #: per person, who decides whether the network sees items about them
    holders: dict[int, frozenset[int]]
    #: youths of 16 and over, who decide for themselves
    deciding_ids: set[int]


def household_page(access: PlanAccess, today: dt.date) -> HouseholdPage:
    people = persons(access)
    return HouseholdPage(
        persons=people,
        holders={p.id: access.consent_holders(p, today) for p in people},
        deciding_ids={p.id for p in people if stage_on(p.date_of_birth, today) == Stage.DECIDES},
    )


@dataclass
class GoalSummary:
    goal: Goal
    latest: int | None = None
    previous: int | None = None
    open_actions: int = 0

    @property
    def trend(self) -> int:
        """+1 up, -1 down, 0 the same or unknown."""
        if self.latest is None or self.previous is None:
            return 0
        return (self.latest > self.previous) - (self.latest < self.previous)


@dataclass
class Overview:
    persons: list[Person]
    participants: list[Participation]
    goals_by_domain: dict[str, list[GoalSummary]]
    open_actions: list[Action]
    open_action_count: int
    log: list[LogEntry]
    extra: dict[str, object] = field(default_factory=dict)


def goal_summaries(access: PlanAccess) -> list[GoalSummary]:
    goals = list(db.session.scalars(visible_goals(access).order_by(Goal.domain, Goal.id)))
    summaries = {g.id: GoalSummary(g) for g in goals}
    if not goals:
        return []
    # Latest two progress values per goal, in one query (window function).
    ranked = (
        select(
            ProgressEntry.goal_id,
            ProgressEntry.value,
            func.row_number()
            .over(
                partition_by=ProgressEntry.goal_id,
                order_by=(ProgressEntry.recorded_on.desc(), ProgressEntry.id.desc()),
            )
            .label("rank"),
        )
        .where(ProgressEntry.plan_id == access.plan.id)
        .subquery()
    )
    for goal_id, value, rank in db.session.execute(select(ranked).where(ranked.c.rank <= 2)):
        summary = summaries.get(goal_id)
        if summary is not None:
            if rank == 1:
                summary.latest = value
            else:
                summary.previous = value
    counts = db.session.execute(
        select(Action.goal_id, func.count())
        .where(Action.plan_id == access.plan.id, Action.status == ActionStatus.OPEN)
        .group_by(Action.goal_id)
    )
    for goal_id, count in counts:
        if goal_id in summaries:
            summaries[goal_id].open_actions = count
    return list(summaries.values())


def overview(
    access: PlanAccess, *, now: dt.datetime, actions_shown: int = 8, log_shown: int = 3
) -> Overview:
    by_domain: dict[str, list[GoalSummary]] = defaultdict(list)
    for summary in goal_summaries(access):
        by_domain[summary.goal.domain].append(summary)
    order = list(life_domains())
    goals_by_domain = {
        d: by_domain[d]
        for d in sorted(by_domain, key=lambda d: order.index(d) if d in order else 99)
    }
    open_stmt = visible_actions(access).where(Action.status == ActionStatus.OPEN)
    open_count = db.session.scalar(select(func.count()).select_from(open_stmt.subquery())) or 0
    open_actions = list(
        db.session.scalars(
            open_stmt.order_by(Action.due_date.is_(None), Action.due_date, Action.id).limit(
                actions_shown
            )
        ).unique()
    )
    return Overview(
        persons=persons(access),
        participants=participants(access),
        goals_by_domain=goals_by_domain,
        open_actions=open_actions,
        open_action_count=open_count,
        log=list(
            db.session.scalars(
                visible_log(access)
                .order_by(LogEntry.created_at.desc(), LogEntry.id.desc())
                .limit(log_shown)
            )
        ),
    )


@dataclass
class ActionsPage:
    """Every action of the plan the viewer may see: the open ones by due date, then the
    closed ones, the latest first."""

    open: list[Action]
    closed: list[Action]


def actions_page(access: PlanAccess) -> ActionsPage:
    actions = list(
        db.session.scalars(
            visible_actions(access).order_by(Action.due_date.is_(None), Action.due_date, Action.id)
        ).unique()
    )
    closed = [a for a in actions if a.status != ActionStatus.OPEN]
    closed.sort(key=lambda a: (a.done_at or a.updated_at, a.id), reverse=True)
    return ActionsPage(open=[a for a in actions if a.status == ActionStatus.OPEN], closed=closed)


@dataclass
class GoalPage:
    goal: Goal
    actions: list[Action]
    progress: list[ProgressEntry]


def goal_page(access: PlanAccess, goal: Goal) -> GoalPage:
    actions = list(
        db.session.scalars(
            visible_actions(access)
            .where(Action.goal_id == goal.id)
            .order_by(Action.status, Action.due_date.is_(None), Action.due_date, Action.id)
        ).unique()
    )
    progress = list(
        db.session.scalars(
            select(ProgressEntry)
            .where(ProgressEntry.goal_id == goal.id)
            .options(joinedload(ProgressEntry.author))
            .order_by(ProgressEntry.recorded_on, ProgressEntry.id)
        )
    )
    return GoalPage(goal=goal, actions=actions, progress=progress)


#: events that only say someone looked: one row per person per day on the history page
LOOKING = ("plan.viewed", "plan.listed")


@dataclass
class TrailRow:
    """One line of "who viewed or changed our plan?": one change, or all of one person's
    looks at the plan on one day (newest first)."""

    event: AuditEvent  # the newest of the row
    first_at: dt.datetime
    count: int = 1
    pages: list[str] = field(default_factory=list)

    def add(self, older: AuditEvent) -> None:
        self.count += 1
        self.first_at = older.created_at
        page = (older.details or {}).get("page")
        if isinstance(page, str) and page not in self.pages:
            self.pages.append(page)


def audit_trail(
    access: PlanAccess, *, before: int | None = None, rows: int = 50, most: int = 200
) -> tuple[list[TrailRow], int | None]:
    """The plan's history from the newest event (or from ``before``, an event id), grouped,
    with where the next, older page starts (None at the oldest). A page ends at a day's end
    once it has ``rows`` rows, so that a day's looks are not split; at ``most`` rows it ends
    anyway. Reads in chunks, so a plan with a long history costs only the page shown."""
    result: list[TrailRow] = []
    groups: dict[tuple[int | None, str], TrailRow] = {}
    day: dt.date | None = None
    cursor = before
    while True:
        stmt = select(AuditEvent).where(AuditEvent.plan_id == access.plan.id)
        if cursor is not None:
            stmt = stmt.where(AuditEvent.id < cursor)
        chunk = list(
            db.session.scalars(
                stmt.options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc()).limit(500)
            )
        )
        if not chunk:
            return result, None
        for event in chunk:
            event_day = event.created_at.astimezone(AMSTERDAM).date()
            if event_day != day:
                if len(result) >= rows:
                    return result, event.id + 1
                day, groups = event_day, {}
            key = (event.actor_id, event.action)
            if event.action in LOOKING and key in groups:
                groups[key].add(event)
                continue
            if len(result) >= most:
                return result, event.id + 1
            page = (event.details or {}).get("page")
            row = TrailRow(event, event.created_at, pages=[page] if isinstance(page, str) else [])
            result.append(row)
            if event.action in LOOKING:
                groups[key] = row
        cursor = chunk[-1].id


# --- across plans ---------------------------------------------------------------------------


@dataclass
class MyPlan:
    access: PlanAccess
    open_actions: list[Action]
    overdue: int
    #: lines other features add (the next appointment, …): plans.panels
    extras: list[Extra]


def my_plans(user: User, *, today: dt.date, now: dt.datetime) -> list[MyPlan]:
    """The plans the user takes part in, with what needs their attention; fixed queries."""
    participations = list(
        db.session.scalars(
            select(Participation)
            .where(Participation.user_id == user.id, Participation.active)
            .options(joinedload(Participation.plan))
            .order_by(Participation.id)
        )
    )
    plan_ids = [p.plan_id for p in participations]
    persons_by_plan: dict[int, list[Person]] = defaultdict(list)
    for person in db.session.scalars(select(Person).where(Person.plan_id.in_(plan_ids or [-1]))):
        persons_by_plan[person.plan_id].append(person)
    accesses = []
    for participation in participations:
        access = plan_access(
            user,
            participation.plan,
            participation,
            persons_by_plan[participation.plan_id],
            team_lead_of_member=False,
            today=today,
        )
        if access is not None:
            accesses.append(access)
    my_ids = [a.participation.id for a in accesses if a.participation is not None]
    actions_by_plan: dict[int, list[Action]] = defaultdict(list)
    access_by_plan = {a.plan.id: a for a in accesses}
    for action in db.session.scalars(
        select(Action)
        .where(Action.assignee_id.in_(my_ids or [-1]), Action.status == ActionStatus.OPEN)
        .options(
            joinedload(Action.goal), joinedload(Action.assignee).joinedload(Participation.user)
        )
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    ):
        access = access_by_plan[action.plan_id]
        if access.sees(
            shared_with_network=action.goal.shared_with_network, person_id=action.goal.person_id
        ):
            actions_by_plan[action.plan_id].append(action)
    extras = my_plans_extras(accesses, now)
    return [
        MyPlan(
            access=a,
            open_actions=actions_by_plan[a.plan.id],
            overdue=sum(1 for x in actions_by_plan[a.plan.id] if x.is_overdue(today)),
            extras=extras[a.plan.id],
        )
        for a in accesses
    ]
