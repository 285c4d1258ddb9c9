"""Writes to a plan and its household: start, close and reopen a plan; add and change
household members; the consent choices of youths and parents. Each takes the PlanAccess of
the acting user, checks the finer rules, records an audit event, flushes, never commits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from samenplan.accounts.models import Role, User
from samenplan.audit.services import AuditAction, record
from samenplan.clock import local_today, utcnow
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.errors import NotAllowed, ValidationFailed
from samenplan.extensions import db
from samenplan.municipalities import municipalities
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import (
    LogEntry,
    Participation,
    Person,
    Plan,
    PlanClosure,
    PlanRole,
    PlanStatus,
    Relation,
)
from samenplan.plans.rules import Stage, stage_on
from samenplan.policy import Permission


@dataclass(frozen=True)
class PersonInput:
    name: str
    relation: Relation
    date_of_birth: dt.date | None = None
    parental_authority: bool = True


def _checked_municipality(code: str | None) -> str | None:
    if code and code not in municipalities():
        raise ValidationFailed(
            str(_l("Choose a municipality from the list.")), field="municipality"
        )
    return code or None


def create_plan(
    actor: User,
    *,
    title: str,
    persons: list[PersonInput],
    coordinate: bool = True,
    municipality: str | None = None,
) -> Plan:
    """A professional starts a plan for a household, or a client starts their own.

    The creator takes part: a professional as professional (coordinator unless they say not
    to), a client as client and coordinator until they hand it to a professional."""
    if actor.role not in (Role.PROFESSIONAL, Role.CLIENT):
        raise NotAllowed(str(_l("Only professionals and families can start a plan.")))
    title = title.strip()
    if not title:
        raise ValidationFailed(str(_l("Give the plan a name.")), field="title")
    if not persons:
        raise ValidationFailed(str(_l("Add at least one household member.")), field="name")
    plan = Plan(
        title=title, created_by_id=actor.id, municipality_code=_checked_municipality(municipality)
    )
    db.session.add(plan)
    db.session.flush()
    for person in persons:
        _add_person(plan, person)
    role = PlanRole.PROFESSIONAL if actor.role == Role.PROFESSIONAL else PlanRole.CLIENT
    participation = Participation(
        plan_id=plan.id,
        user_id=actor.id,
        role=role,
        is_coordinator=coordinate or role == PlanRole.CLIENT,
        accepted_at=utcnow(),
    )
    db.session.add(participation)
    db.session.flush()
    record(
        AuditAction.PLAN_CREATED, actor=actor, plan_id=plan.id, obj=plan, details={"title": title}
    )
    return plan


def _checked_name(data: PersonInput) -> str:
    """The name to store; the same checks for adding and for changing a household member."""
    name = data.name.strip()
    if not name:
        raise ValidationFailed(str(_l("Enter a name.")), field="name")
    if data.date_of_birth and data.date_of_birth > local_today():
        raise ValidationFailed(
            str(_l("A date of birth cannot be in the future.")), field="date_of_birth"
        )
    return name


def _add_person(plan: Plan, data: PersonInput) -> Person:
    person = Person(
        plan_id=plan.id,
        name=_checked_name(data),
        relation=data.relation,
        date_of_birth=data.date_of_birth,
        parental_authority=data.parental_authority,
    )
    db.session.add(person)
    db.session.flush()
    return person


def add_person(access: PlanAccess, actor: User, data: PersonInput) -> Person:
    person = _add_person(access.plan, data)
    record(AuditAction.PERSON_ADDED, actor=actor, plan_id=access.plan.id, obj=person)
    return person


#: facts that rights hang on (DESIGN.md §2, §7): who is a child, how old, who has authority
RIGHTS_FACTS = ("date_of_birth", "relation", "parental_authority")


def changed_facts(person: Person, data: PersonInput) -> list[str]:
    """The rights facts this change would alter; a first date of birth is not a change."""
    return [
        fact
        for fact in RIGHTS_FACTS
        if getattr(person, fact) != getattr(data, fact)
        and not (fact == "date_of_birth" and person.date_of_birth is None)
    ]


def update_person(
    access: PlanAccess, actor: User, person: Person, data: PersonInput, *, reason: str = ""
) -> Person:
    """Change a household member. The family corrects names; a date of birth once set, the
    relation and parental authority change only by the coordinator (a professional), with
    a reason that goes into the plan's history and, for the family to read, its logbook."""
    name = _checked_name(data)
    facts = changed_facts(person, data)
    reason = reason.strip()
    if facts and not access.may_change_facts:
        raise NotAllowed(
            str(
                _l(
                    "Only the coordinator (a professional) can change this. "
                    "Ask them if it is not right."
                )
            ),
            field=facts[0],
        )
    if facts and not reason:
        raise ValidationFailed(str(_l("Write down why this changes.")), field="reason")
    changed = sorted(
        field
        for field in ("name", *RIGHTS_FACTS)
        if getattr(person, field) != (name if field == "name" else getattr(data, field))
    )
    person.name, person.relation = name, data.relation
    person.date_of_birth, person.parental_authority = data.date_of_birth, data.parental_authority
    db.session.flush()
    details: dict[str, Any] = {"fields": changed}
    if facts:
        details["reason"] = reason
        entry = LogEntry(
            plan_id=access.plan.id,
            author_id=actor.id,
            text=str(
                _l(
                    "%(actor)s changed the details of %(name)s (date of birth, relation or "
                    "parental authority). Reason: %(reason)s",
                    actor=actor.name,
                    name=person.name,
                    reason=reason,
                )
            ),
            shared_with_network=False,
        )
        db.session.add(entry)
    record(
        AuditAction.PERSON_CHANGED,
        actor=actor,
        plan_id=access.plan.id,
        obj=person,
        details=details,
    )
    return person


def set_municipality(access: PlanAccess, actor: User, code: str | None) -> None:
    """Where the household lives: it decides which municipality's monitor counts the plan."""
    access.plan.municipality_code = _checked_municipality(code)
    db.session.flush()
    record(
        AuditAction.MUNICIPALITY_SET,
        actor=actor,
        plan_id=access.plan.id,
        obj=access.plan,
        details={"code": access.plan.municipality_code},
    )


def set_network_default(access: PlanAccess, actor: User, *, shared: bool) -> None:
    """The family's choice whether new goals, appointments and logbook messages start as
    shared with the network (each item can still be changed)."""
    if not access.permits(Permission.SET_NETWORK_DEFAULT):
        raise NotAllowed(str(_l("Only the family chooses what the network sees.")))
    if access.plan.network_default is shared:
        return
    access.plan.network_default = shared
    db.session.flush()
    record(
        AuditAction.NETWORK_DEFAULT_SET,
        actor=actor,
        plan_id=access.plan.id,
        obj=access.plan,
        details={"shared": shared},
    )


def close_plan(access: PlanAccess, actor: User, reason: PlanClosure) -> None:
    """Close with a reason; closing twice (a double submit) keeps the first closing."""
    if not access.plan.is_open:
        return
    access.plan.status = PlanStatus.CLOSED
    access.plan.closed_at = utcnow()
    access.plan.closure_reason = reason
    db.session.flush()
    record(
        AuditAction.PLAN_CLOSED,
        actor=actor,
        plan_id=access.plan.id,
        obj=access.plan,
        details={"reason": reason.value},
    )


def reopen_plan(access: PlanAccess, actor: User) -> None:
    access.plan.status = PlanStatus.OPEN
    access.plan.closed_at = None
    access.plan.closure_reason = None
    db.session.flush()
    record(AuditAction.PLAN_REOPENED, actor=actor, plan_id=access.plan.id, obj=access.plan)


def set_parents_consent(access: PlanAccess, actor: User, *, allowed: bool) -> Person:
    """A youth of 16+ lets their parents see their part of the plan, or stops it."""
    person = _own_person(access)
    if stage_on(person.date_of_birth, local_today()) != Stage.DECIDES:
        raise NotAllowed(str(_l("From 16 you decide this yourself.")))
    person.parents_consent = allowed
    db.session.flush()
    record(
        AuditAction.CONSENT_CHANGED,
        actor=actor,
        plan_id=access.plan.id,
        obj=person,
        details={"parents": allowed},
    )
    return person


def set_network_consent(
    access: PlanAccess, actor: User, person: Person, *, allowed: bool
) -> Person:
    """Whoever has the say (a parent under 12, the youth from 12) lets the network see the
    items about this child that are marked for the network."""
    if actor.id not in access.consent_holders(person, local_today()):
        raise NotAllowed(str(_l("Someone else decides this for this child.")))
    person.network_consent_by_id = actor.id if allowed else None
    person.network_consent_at = utcnow() if allowed else None
    db.session.flush()
    record(
        AuditAction.CONSENT_CHANGED,
        actor=actor,
        plan_id=access.plan.id,
        obj=person,
        details={"network": allowed},
    )
    return person


def _own_person(access: PlanAccess) -> Person:
    if access.own_person_id is None:
        raise NotAllowed(str(_l("Only the young person can decide this.")))
    person = db.session.get(Person, access.own_person_id)
    assert person is not None
    return person
