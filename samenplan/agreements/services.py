"""Agreement on the plan: the coordinator fixes the goals and actions as a version; each
client with a say (a parent with parental authority, a youth of 12 or older) and the
coordinator answer it. What changed since the last agreed version is worked out from the
versions' contents. Flushes and audits; never commits."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from samenplan.accounts.models import User
from samenplan.agreements.models import Agreement, Answer, PlanVersion
from samenplan.audit.services import AuditAction, record
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.errors import NotAllowed, ValidationFailed
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import Action, Goal, Participation, Relation
from samenplan.plans.rules import age_on

#: from this age a youth answers the plan version too
YOUTH_AGREES_FROM = 12


def plan_content(plan_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every goal and action of the plan, whoever fixes it; each viewer sees their part."""
    goals = list(db.session.scalars(select(Goal).where(Goal.plan_id == plan_id).order_by(Goal.id)))
    actions = list(
        db.session.scalars(
            select(Action)
            .where(Action.plan_id == plan_id)
            .options(joinedload(Action.assignee).joinedload(Participation.user))
            .order_by(Action.id)
        )
    )
    return {
        "goals": [
            {
                "id": g.id,
                "title": g.title,
                "domain": g.domain,
                "status": g.status.value,
                "target_date": g.target_date.isoformat() if g.target_date else None,
                "shared": g.shared_with_network,
                "person_id": g.person_id,
            }
            for g in goals
        ],
        "actions": [
            {
                "id": a.id,
                "goal_id": a.goal_id,
                "description": a.description,
                "who": a.assignee.user.name if a.assignee.user else "",
                "due_date": a.due_date.isoformat() if a.due_date else None,
                "status": a.status.value,
            }
            for a in actions
        ],
    }


def current_content(access: PlanAccess) -> dict[str, list[dict[str, Any]]]:
    return plan_content(access.plan.id)


def asked_users(access: PlanAccess, today: dt.date) -> list[int]:
    """Who answers a new version: the coordinator, the parents with parental authority and
    the youths of 12 and older who take part with an account of their own."""
    taking_part = set(
        db.session.scalars(
            select(Participation.user_id).where(
                Participation.plan_id == access.plan.id, Participation.active
            )
        )
    )
    asked = set(
        db.session.scalars(
            select(Participation.user_id).where(
                Participation.plan_id == access.plan.id,
                Participation.active,
                Participation.is_coordinator.is_(True),
            )
        )
    )
    for person in access.persons:
        if person.user_id is None or person.user_id not in taking_part:
            continue
        if (person.relation == Relation.PARENT and person.parental_authority) or (
            person.relation == Relation.CHILD
            and person.date_of_birth is not None
            and age_on(person.date_of_birth, today) >= YOUTH_AGREES_FROM
        ):
            asked.add(person.user_id)
    return sorted(asked)


def latest(plan_id: int) -> PlanVersion | None:
    return db.session.scalar(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan_id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )


def create_version(access: PlanAccess, actor: User, today: dt.date) -> PlanVersion:
    number = (
        db.session.scalar(
            select(func.max(PlanVersion.number)).where(PlanVersion.plan_id == access.plan.id)
        )
        or 0
    ) + 1
    version = PlanVersion(
        plan_id=access.plan.id,
        number=number,
        created_by_id=actor.id,
        content=json.dumps(plan_content(access.plan.id)),
        asked=",".join(str(u) for u in asked_users(access, today)),
    )
    db.session.add(version)
    db.session.flush()
    record(
        AuditAction.VERSION_CREATED,
        actor=actor,
        plan_id=access.plan.id,
        obj=version,
        details={"number": number},
    )
    return version


def asked_of(version: PlanVersion) -> list[int]:
    return [int(u) for u in version.asked.split(",") if u]


def answers(version: PlanVersion) -> dict[int, Agreement]:
    return {
        a.user_id: a
        for a in db.session.scalars(select(Agreement).where(Agreement.version_id == version.id))
    }


@dataclass(frozen=True)
class Standing:
    """One version with its answers: who was asked, who agrees, who does not."""

    version: PlanVersion
    answers: dict[int, Agreement]

    @property
    def asked(self) -> list[int]:
        return asked_of(self.version)

    @property
    def agreeing(self) -> int:
        return sum(
            1 for u in self.asked if u in self.answers and self.answers[u].answer != Answer.DISAGREE
        )

    @property
    def against(self) -> int:
        return sum(1 for a in self.answers.values() if a.answer == Answer.DISAGREE)

    @property
    def agreed(self) -> bool:
        """Everyone asked has agreed (with or without a remark)."""
        return self.agreeing == len(self.asked)


def history(plan_id: int) -> list[Standing]:
    """Every version of the plan, newest first, with its answers: two queries."""
    versions = all_versions(plan_id)
    given: dict[int, dict[int, Agreement]] = {v.id: {} for v in versions}
    for agreement in db.session.scalars(
        select(Agreement).where(Agreement.version_id.in_(list(given) or [-1]))
    ):
        given[agreement.version_id][agreement.user_id] = agreement
    return [Standing(v, given[v.id]) for v in versions]


def give_answer(
    access: PlanAccess, actor: User, version: PlanVersion, answer: Answer, remark: str
) -> Agreement:
    """Answer the latest version; a later answer to it replaces an earlier one."""
    if actor.id not in asked_of(version):
        raise NotAllowed(str(_l("You are not asked to answer this version.")))
    newest = latest(access.plan.id)
    if newest is None or newest.id != version.id:
        raise ValidationFailed(str(_l("There is a newer version of the plan. Answer that one.")))
    remark = remark.strip()
    if answer != Answer.AGREE and not remark:
        message = (
            _l("Write why you do not agree.")
            if answer == Answer.DISAGREE
            else _l("Write your remark.")
        )
        raise ValidationFailed(str(message), field="remark")
    found = answers(version).get(actor.id)
    if found is None:
        found = Agreement(version_id=version.id, user_id=actor.id, answer=answer, remark=remark)
        db.session.add(found)
    else:
        found.answer, found.remark = answer, remark
    db.session.flush()
    record(
        AuditAction.VERSION_ANSWERED,
        actor=actor,
        plan_id=access.plan.id,
        obj=version,
        details={"answer": answer.value},
    )
    return found


def visible(
    access: PlanAccess, content: dict[str, list[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """What this viewer may see of a version: goals by their sharing and person, actions
    with their goal."""
    goals = [
        g
        for g in content["goals"]
        if access.sees(shared_with_network=g["shared"], person_id=g["person_id"])
    ]
    ids = {g["id"] for g in goals}
    return {"goals": goals, "actions": [a for a in content["actions"] if a["goal_id"] in ids]}


@dataclass
class Changes:
    added: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    closed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.closed)


GOAL_FIELDS = ("title", "domain", "target_date")
ACTION_FIELDS = ("description", "who", "due_date", "goal_id")


def changes(
    before: dict[str, list[dict[str, Any]]], now: dict[str, list[dict[str, Any]]]
) -> dict[str, Changes]:
    """Goals and actions added, changed or closed (no longer open, or gone) from ``before``
    to ``now``."""
    result = {}
    for kind, fields in (("goals", GOAL_FIELDS), ("actions", ACTION_FIELDS)):
        old = {i["id"]: i for i in before.get(kind, [])}
        new = {i["id"]: i for i in now.get(kind, [])}
        found = Changes()
        for item_id, item in new.items():
            was = old.get(item_id)
            if was is None:
                found.added.append(item)
            elif was["status"] == "open" and item["status"] != "open":
                found.closed.append(item)
            elif any(was.get(f) != item.get(f) for f in fields):
                found.changed.append(item)
        found.closed += [
            i for item_id, i in old.items() if item_id not in new and i["status"] == "open"
        ]
        result[kind] = found
    return result


def content_of(version: PlanVersion) -> dict[str, list[dict[str, Any]]]:
    data: dict[str, list[dict[str, Any]]] = json.loads(version.content)
    return data


def all_versions(plan_id: int) -> list[PlanVersion]:
    return list(
        db.session.scalars(
            select(PlanVersion)
            .where(PlanVersion.plan_id == plan_id)
            .order_by(PlanVersion.number.desc())
        )
    )


def names(user_ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(User.id, User.name).where(User.id.in_(user_ids or [-1])))
    return {user_id: name for user_id, name in rows}
