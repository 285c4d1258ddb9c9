"""Writes to a plan. Each takes the PlanAccess of the acting user (loaded through the policy),
checks the finer rules the policy's route check cannot see, records an audit event, flushes,
and never commits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from samenplan.accounts.models import Role, User
from samenplan.audit.services import AuditAction, record
from samenplan.clock import local_today, utcnow
from samenplan.core.tokens import new_token, token_hash
from samenplan.domains import life_domains
from samenplan.errors import Conflict, NotAllowed, ValidationFailed
from samenplan.extensions import db
from samenplan.plans import queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import (
    Action,
    ActionStatus,
    Goal,
    GoalStatus,
    Invitation,
    LogEntry,
    Participation,
    Person,
    Plan,
    PlanRole,
    PlanStatus,
    ProgressEntry,
    Relation,
)
from samenplan.plans.rules import Stage, stage_on

# --- plans and household ----------------------------------------------------------------


@dataclass(frozen=True)
class PersonInput:
    name: str
    relation: Relation
    date_of_birth: dt.date | None = None
    parental_authority: bool = True


def create_plan(
    actor: User, *, title: str, persons: list[PersonInput], coordinate: bool = True
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
    plan = Plan(title=title, created_by_id=actor.id)
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


def close_plan(access: PlanAccess, actor: User) -> None:
    access.plan.status = PlanStatus.CLOSED
    access.plan.closed_at = utcnow()
    db.session.flush()
    record(AuditAction.PLAN_CLOSED, actor=actor, plan_id=access.plan.id, obj=access.plan)


def reopen_plan(access: PlanAccess, actor: User) -> None:
    access.plan.status = PlanStatus.OPEN
    access.plan.closed_at = None
    db.session.flush()
    record(AuditAction.PLAN_REOPENED, actor=actor, plan_id=access.plan.id, obj=access.plan)


# --- participants and invitations ---------------------------------------------------------


def roles_inviter_may_give(access: PlanAccess) -> tuple[PlanRole, ...]:
    """DESIGN.md §2: a client invites network members and professionals; the coordinator
    invites anyone (and hands over coordination by inviting a coordinator)."""
    if not access.open:
        return ()
    if access.coordinator:
        return (PlanRole.CLIENT, PlanRole.NETWORK, PlanRole.PROFESSIONAL, PlanRole.COORDINATOR)
    if access.role == PlanRole.CLIENT:
        return (PlanRole.NETWORK, PlanRole.PROFESSIONAL)
    return ()


def invite(
    access: PlanAccess,
    actor: User,
    *,
    email: str,
    role: PlanRole,
    person: Person | None,
    valid_days: int,
) -> tuple[Invitation, str]:
    """Create a single-use invitation; returns it with the secret token for the link."""
    from samenplan.accounts.services import normalise_email

    if role not in roles_inviter_may_give(access) or access.participation is None:
        raise NotAllowed(str(_l("You cannot invite someone with this role.")), field="role")
    email = normalise_email(email)
    already = db.session.scalar(
        select(Participation.id)
        .join(User, User.id == Participation.user_id)
        .where(
            Participation.plan_id == access.plan.id,
            Participation.active,
            User.email == email,
        )
    )
    if already is not None:
        raise Conflict(str(_l("This person already takes part in the plan.")), field="email")
    if person is not None and person.user_id is not None:
        raise Conflict(
            str(_l("This household member already has their own login.")), field="person"
        )
    # A new invitation to the same address replaces an open one.
    _revoke_open_invitations(Invitation.plan_id == access.plan.id, Invitation.email == email)
    return issue_invitation(
        access.plan.id,
        actor=actor,
        email=email,
        role=role,
        invited_by=access.participation,
        valid_days=valid_days,
        person=person,
    )


def issue_invitation(
    plan_id: int,
    *,
    actor: User | None,
    email: str,
    role: PlanRole,
    invited_by: Participation,
    valid_days: int,
    person: Person | None = None,
    details: dict[str, str] | None = None,
) -> tuple[Invitation, str]:
    """Store a single-use invitation (only the token's hash) and audit it; returns the token
    for the link. Callers have checked that the invitation may be given."""
    token = new_token()
    invitation = Invitation(
        plan_id=plan_id,
        email=email,
        role=role,
        person_id=person.id if person else None,
        token_hash=token_hash(token),
        expires_at=utcnow() + dt.timedelta(days=valid_days),
        invited_by_id=invited_by.id,
    )
    db.session.add(invitation)
    db.session.flush()
    record(
        AuditAction.PARTICIPANT_INVITED,
        actor=actor,
        plan_id=plan_id,
        obj=invitation,
        details={"email": email, "role": role.value} | (details or {}),
    )
    return invitation, token


def _revoke_open_invitations(*conditions: Any) -> None:
    db.session.execute(
        update(Invitation)
        .where(*conditions, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )


def find_invitation(token: str) -> Invitation | None:
    """The invitation for a link token, if it can still be used."""
    if not token or len(token) > 100:
        return None
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    )
    if invitation is None or invitation.used_at or invitation.revoked_at:
        return None
    if invitation.expires_at <= utcnow():
        return None
    inviter = db.session.get(Participation, invitation.invited_by_id)
    if inviter is None or inviter.removed_at is not None:
        return None
    return invitation


def account_role_for(plan_role: PlanRole) -> Role:
    return {PlanRole.CLIENT: Role.CLIENT, PlanRole.NETWORK: Role.NETWORK}.get(
        plan_role, Role.PROFESSIONAL
    )


def accept_invitation(invitation: Invitation, user: User) -> Participation:
    """The invitee joins the plan with the invited role."""
    if user.email != invitation.email:
        raise NotAllowed(str(_l("This invitation is for another email address.")))
    staff_role = invitation.role in (PlanRole.PROFESSIONAL, PlanRole.COORDINATOR)
    if staff_role != (user.role == Role.PROFESSIONAL):
        raise NotAllowed(str(_l("Your account does not fit the role of this invitation.")))
    role = PlanRole.PROFESSIONAL if invitation.role == PlanRole.COORDINATOR else invitation.role
    participation = db.session.scalar(
        select(Participation).where(
            Participation.plan_id == invitation.plan_id,
            Participation.user_id == user.id,
            Participation.removed_at.is_(None),
        )
    )
    if participation is None:
        participation = Participation(
            plan_id=invitation.plan_id,
            user_id=user.id,
            role=role,
            invited_by_id=invitation.invited_by_id,
            accepted_at=utcnow(),
        )
        db.session.add(participation)
        db.session.flush()
    elif participation.pending:
        # Invited again after an import: the plan opens for them now, with the invited role.
        participation.pending, participation.role = False, role
    if invitation.role == PlanRole.COORDINATOR:
        _make_coordinator(invitation.plan_id, participation)
    if invitation.person_id is not None:
        person = db.session.get(Person, invitation.person_id)
        if person is not None and person.plan_id == invitation.plan_id and person.user_id is None:
            person.user_id = user.id
    invitation.used_at = utcnow()
    db.session.flush()
    record(
        AuditAction.PARTICIPANT_JOINED,
        actor=user,
        plan_id=invitation.plan_id,
        obj=participation,
        details={"role": invitation.role.value},
    )
    return participation


def _make_coordinator(plan_id: int, participation: Participation) -> None:
    db.session.execute(
        update(Participation)
        .where(Participation.plan_id == plan_id, Participation.id != participation.id)
        .values(is_coordinator=False)
        .execution_options(synchronize_session="fetch")
    )
    participation.is_coordinator = True
    db.session.flush()


def hand_over_coordination(access: PlanAccess, actor: User, to: Participation) -> None:
    """The coordinator hands coordination to a client or another professional."""
    if not access.coordinator:
        raise NotAllowed(str(_l("Only the coordinator can hand over coordination.")))
    if to.plan_id != access.plan.id or not to.active or to.role == PlanRole.NETWORK:
        raise ValidationFailed(str(_l("Choose a family member or professional of this plan.")))
    _make_coordinator(access.plan.id, to)
    record(AuditAction.COORDINATION_HANDED_OVER, actor=actor, plan_id=access.plan.id, obj=to)


def remove_participant(access: PlanAccess, actor: User, participation: Participation) -> None:
    """End someone's part in the plan now, and the invitations they sent that are still open."""
    if participation.plan_id != access.plan.id or participation.removed_at is not None:
        raise ValidationFailed(str(_l("This person does not take part in the plan.")))
    if participation.is_coordinator:
        raise NotAllowed(str(_l("Hand over coordination before removing the coordinator.")))
    if not access.may_remove(participation):
        raise NotAllowed(str(_l("You can only remove network members.")))
    participation.removed_at = utcnow()
    _revoke_open_invitations(Invitation.invited_by_id == participation.id)
    db.session.execute(
        update(Person)
        .where(Person.plan_id == access.plan.id, Person.user_id == participation.user_id)
        .values(user_id=None)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    record(AuditAction.PARTICIPANT_REMOVED, actor=actor, plan_id=access.plan.id, obj=participation)


def revoke_invitation(access: PlanAccess, actor: User, invitation: Invitation) -> None:
    invitation.revoked_at = utcnow()
    db.session.flush()
    record(AuditAction.INVITATION_REVOKED, actor=actor, plan_id=access.plan.id, obj=invitation)


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


# --- goals, actions, progress, logbook ----------------------------------------------------


@dataclass(frozen=True)
class GoalInput:
    domain: str
    title: str
    person_id: int | None = None
    why: str = ""
    desired_situation: str = ""
    target_date: dt.date | None = None
    status: GoalStatus = GoalStatus.OPEN
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
        "shared_with_network": data.shared_with_network,
    }


def create_goal(access: PlanAccess, actor: User, data: GoalInput) -> Goal:
    _check_goal_input(access, data)
    goal = Goal(plan_id=access.plan.id, created_by_id=actor.id, **_goal_values(data))
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


def add_log_entry(
    access: PlanAccess, actor: User, *, text: str, shared_with_network: bool
) -> LogEntry:
    text = text.strip()
    if not text:
        raise ValidationFailed(str(_l("Write a message.")), field="text")
    # What a network member writes is for the network by nature.
    shared = True if access.role == PlanRole.NETWORK else shared_with_network
    entry = LogEntry(
        plan_id=access.plan.id, author_id=actor.id, text=text, shared_with_network=shared
    )
    db.session.add(entry)
    db.session.flush()
    record(AuditAction.LOG_ADDED, actor=actor, plan_id=access.plan.id, obj=entry)
    return entry
