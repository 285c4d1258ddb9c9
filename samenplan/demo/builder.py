"""Writing a demo plan's history straight to the models (not through the services), so that
dates lie in the past."""

from __future__ import annotations

import datetime as dt
import json

from samenplan.accounts.models import User
from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.agreements.models import Agreement, Answer, PlanVersion
from samenplan.agreements.services import plan_content
from samenplan.clock import AMSTERDAM, utcnow
from samenplan.extensions import db
from samenplan.plans.models import (
    Action,
    ActionStatus,
    Goal,
    LogEntry,
    Participation,
    Person,
    Plan,
    PlanRole,
    ProgressEntry,
    Relation,
)


def years_ago(today: dt.date, years: int, days: int = 0) -> dt.date:
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - dt.timedelta(days=days)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM).astimezone(
        dt.UTC
    )


class Builder:
    def __init__(self, plan: Plan, today: dt.date) -> None:
        self.plan, self.today = plan, today

    def person(
        self, name: str, relation: Relation, born: dt.date, user: User | None = None
    ) -> Person:
        person = Person(
            plan_id=self.plan.id,
            name=name,
            relation=relation,
            date_of_birth=born,
            user_id=user.id if user else None,
        )
        db.session.add(person)
        db.session.flush()
        return person

    def join(
        self, user: User, role: PlanRole, *, coordinator: bool = False, days_ago: int = 120
    ) -> Participation:
        participation = Participation(
            plan_id=self.plan.id,
            user_id=user.id,
            role=role,
            is_coordinator=coordinator,
            accepted_at=utcnow() - dt.timedelta(days=days_ago),
        )
        db.session.add(participation)
        db.session.flush()
        return participation

    def goal(
        self,
        domain: str,
        title: str,
        *,
        person: Person | None,
        shared: bool,
        why: str,
        desired: str,
        by: User,
        target_days: int | None = 90,
    ) -> Goal:
        goal = Goal(
            plan_id=self.plan.id,
            person_id=person.id if person else None,
            domain=domain,
            title=title,
            why=why,
            desired_situation=desired,
            shared_with_network=shared,
            created_by_id=by.id,
            target_date=self.today + dt.timedelta(days=target_days) if target_days else None,
        )
        db.session.add(goal)
        db.session.flush()
        return goal

    def action(
        self,
        goal: Goal,
        description: str,
        who: Participation,
        *,
        due_days: int | None,
        done_days_ago: int | None = None,
    ) -> Action:
        action = Action(
            plan_id=self.plan.id,
            goal_id=goal.id,
            description=description,
            assignee_id=who.id,
            due_date=self.today + dt.timedelta(days=due_days) if due_days is not None else None,
            status=ActionStatus.DONE if done_days_ago is not None else ActionStatus.OPEN,
            done_at=utcnow() - dt.timedelta(days=done_days_ago)
            if done_days_ago is not None
            else None,
            done_by_id=who.user_id if done_days_ago is not None else None,
        )
        db.session.add(action)
        return action

    def progress(self, goal: Goal, scores: list[tuple[int, int, str]], author: User) -> None:
        for days_ago, value, note in scores:
            db.session.add(
                ProgressEntry(
                    plan_id=self.plan.id,
                    goal_id=goal.id,
                    value=value,
                    note=note,
                    author_id=author.id,
                    recorded_on=self.today - dt.timedelta(days=days_ago),
                )
            )

    def agenda(
        self,
        title: str,
        kind: AgendaKind,
        days: int,
        hour: int,
        *,
        location: str = "",
        expected: list[Participation] | None = None,
        shared: bool = True,
        by: User,
    ) -> None:
        day = self.today + dt.timedelta(days=days)
        db.session.add(
            AgendaItem(
                plan_id=self.plan.id,
                title=title,
                kind=kind,
                starts_at=at(day, hour),
                ends_at=at(day, hour + 1),
                location=location,
                shared_with_network=shared,
                expected=expected or [],
                created_by_id=by.id,
            )
        )

    def log(self, author: User, days_ago: int, text: str, *, shared: bool = True) -> None:
        moment = utcnow() - dt.timedelta(days=days_ago, hours=3)
        db.session.add(
            LogEntry(
                plan_id=self.plan.id,
                author_id=author.id,
                text=text,
                shared_with_network=shared,
                created_at=moment,
                updated_at=moment,
            )
        )

    def version(
        self, number: int, days_ago: int, by: User, answers: dict[User, tuple[Answer, str]]
    ) -> PlanVersion:
        """Fix the goals and actions so far as version ``number``, answered a day later by
        everyone asked (the keys of ``answers``)."""
        fixed = utcnow() - dt.timedelta(days=days_ago)
        version = PlanVersion(
            plan_id=self.plan.id,
            number=number,
            created_at=fixed,
            created_by_id=by.id,
            content=json.dumps(plan_content(self.plan.id)),
            asked=",".join(str(u.id) for u in answers),
        )
        db.session.add(version)
        db.session.flush()
        for user, (answer, remark) in answers.items():
            db.session.add(
                Agreement(
                    version_id=version.id,
                    user_id=user.id,
                    answer=answer,
                    remark=remark,
                    answered_at=fixed + dt.timedelta(days=1),
                )
            )
        return version
