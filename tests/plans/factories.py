"""Building plans of a given size, for the query-count test and bench/plan_page.py."""

from __future__ import annotations

import datetime as dt

from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.clock import utcnow
from samenplan.extensions import db
from samenplan.plans.models import (
    Action,
    ActionStatus,
    Goal,
    LogEntry,
    Participation,
    Plan,
    ProgressEntry,
)

DOMAINS = [
    "finances",
    "work_education",
    "housing",
    "domestic_relations",
    "mental_health",
    "physical_health",
    "social_network",
    "daytime_activities",
]

LARGE = {"goals": 30, "actions": 150, "progress": 300, "agenda": 60, "log": 200}


def grow_plan(
    plan: Plan,
    participations: list[Participation],
    author_id: int,
    *,
    goals: int,
    actions: int,
    progress: int,
    agenda: int,
    log: int,
) -> None:
    """Add goals, actions, progress entries, agenda items and log entries to a plan."""
    today = dt.date.today()
    made = [
        Goal(
            plan_id=plan.id,
            domain=DOMAINS[i % len(DOMAINS)],
            title=f"Doel {i}",
            why="Omdat het telt",
            shared_with_network=i % 3 != 0,
            target_date=today + dt.timedelta(days=30 + i),
        )
        for i in range(goals)
    ]
    db.session.add_all(made)
    db.session.flush()
    for i in range(actions):
        db.session.add(
            Action(
                plan_id=plan.id,
                goal_id=made[i % goals].id,
                description=f"Actie {i}",
                assignee_id=participations[i % len(participations)].id,
                due_date=today + dt.timedelta(days=(i % 20) - 5),
                status=ActionStatus.DONE if i % 4 == 0 else ActionStatus.OPEN,
            )
        )
    for i in range(progress):
        db.session.add(
            ProgressEntry(
                plan_id=plan.id,
                goal_id=made[i % goals].id,
                value=i % 11,
                recorded_on=today - dt.timedelta(days=progress - i),
                author_id=author_id,
            )
        )
    for i in range(agenda):
        db.session.add(
            AgendaItem(
                plan_id=plan.id,
                title=f"Afspraak {i}",
                kind=AgendaKind.APPOINTMENT,
                starts_at=utcnow() + dt.timedelta(days=i - 20, hours=1),
                shared_with_network=i % 2 == 0,
                expected=participations[:2],
            )
        )
    for i in range(log):
        db.session.add(
            LogEntry(
                plan_id=plan.id,
                author_id=author_id,
                text=f"Bericht {i}",
                shared_with_network=i % 2 == 0,
            )
        )
    db.session.flush()
