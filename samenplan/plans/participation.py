"""Who takes part in a plan: invitations (made, accepted, withdrawn), removal, and handing
over coordination. Flushes and audits; never commits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update

from samenplan.accounts.models import Role, User
from samenplan.accounts.services import normalise_email
from samenplan.audit.services import AuditAction, record
from samenplan.clock import utcnow
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.tokens import new_token, token_hash
from samenplan.errors import Conflict, NotAllowed, ValidationFailed
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import (
    Invitation,
    Participation,
    Person,
    PlanRole,
)


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
