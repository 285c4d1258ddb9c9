"""Account services: organisations, teams, users, passwords and login failures.

Login sessions live in ``sessions.py``, the second factor in ``totp.py``. Plain functions
taking the acting user; they flush, record audit events and raise domain errors, and never
commit (the view or CLI command does).
"""

from __future__ import annotations

import secrets

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select

from samenplan.accounts.models import (
    SELF_SERVICE_ROLES,
    Organisation,
    Role,
    Team,
    User,
    UserSession,
)
from samenplan.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from samenplan.accounts.sessions import end_all_sessions
from samenplan.audit.services import AuditAction, record
from samenplan.clock import utcnow
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.errors import Conflict, NotAllowed, ValidationFailed
from samenplan.extensions import db

# --- validation helpers -------------------------------------------------------------------


def normalise_email(email: str) -> str:
    """Lower-cased, syntax-checked address; raises ValidationFailed on the ``email`` field."""
    try:
        info = validate_email(
            email.strip(),
            check_deliverability=False,
            # the demo and tests use the reserved .test domain
            test_environment=current_app.config["SAMENPLAN_ENV"] != "production",
        )
    except EmailNotValidError as exc:
        raise ValidationFailed(
            str(_l("Enter an email address like name@example.nl.")), field="email"
        ) from exc
    return info.normalized.lower()


def check_new_password(password: str, *, email: str, name: str) -> None:
    problem = password_problem(password, user_inputs=(email, name))
    if problem:
        raise ValidationFailed(problem, field="password")


def require_admin(actor: User | None) -> None:
    # actor None means the shell (create-user, demo): trusted by whoever has the server.
    if actor is not None and actor.role != Role.ADMIN:
        raise NotAllowed(str(_l("Only an administrator can do this.")))


# --- organisations and teams ---------------------------------------------------------------


def create_organisation(actor: User | None, *, name: str) -> Organisation:
    require_admin(actor)
    name = name.strip()
    if db.session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
        raise Conflict(str(_l("There is already an organisation with this name.")), field="name")
    organisation = Organisation(name=name)
    db.session.add(organisation)
    db.session.flush()
    record(
        AuditAction.ORGANISATION_CREATED,
        actor=actor,
        obj=organisation,
        details={"name": name},
    )
    return organisation


def create_team(actor: User | None, organisation: Organisation, *, name: str) -> Team:
    require_admin(actor)
    name = name.strip()
    exists = db.session.scalar(
        select(Team.id).where(Team.organisation_id == organisation.id, Team.name == name)
    )
    if exists is not None:
        raise Conflict(
            str(_l("This organisation already has a team with this name.")), field="name"
        )
    team = Team(organisation=organisation, name=name)
    db.session.add(team)
    db.session.flush()
    record(
        AuditAction.TEAM_CREATED,
        actor=actor,
        obj=team,
        details={"name": name, "organisation_id": organisation.id},
    )
    return team


# --- users ---------------------------------------------------------------------------------


def _check_membership(role: Role, organisation: Organisation | None, team: Team | None) -> None:
    if team is not None and organisation is not None and team.organisation_id != organisation.id:
        raise ValidationFailed(str(_l("This team belongs to another organisation.")), field="team")
    if role in (Role.PROFESSIONAL, Role.TEAM_LEAD) and organisation is None:
        raise ValidationFailed(
            str(_l("Choose the organisation this person works for.")), field="organisation"
        )
    if role == Role.TEAM_LEAD and team is None:
        raise ValidationFailed(str(_l("A team lead needs a team.")), field="team")


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(
    actor: User | None,
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    organisation: Organisation | None = None,
    team: Team | None = None,
    must_change_password: bool = False,
) -> User:
    """An administrator creates a staff account, or completes one that an imported plan made
    for this email (families and network make theirs through an invitation)."""
    require_admin(actor)
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise ValidationFailed(str(_l("Enter a name.")), field="name")
    if team is not None and organisation is None:
        organisation = team.organisation
    _check_membership(role, organisation, team)
    user = _fill_account(
        email,
        password,
        name=name,
        role=role,
        organisation=organisation,
        team=team,
        must_change_password=must_change_password,
    )
    record(
        AuditAction.USER_CREATED,
        actor=actor,
        obj=user,
        details={"role": role.value, "email": email},
    )
    return user


def create_invited_account(*, email: str, name: str, password: str, role: Role) -> User:
    """A family or network member makes their own account through an invitation link."""
    if role not in SELF_SERVICE_ROLES:
        raise NotAllowed(str(_l("Ask your administrator for an account.")))
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise ValidationFailed(str(_l("Enter your name.")), field="name")
    user = _fill_account(email, password, name=name, role=role)
    record(
        AuditAction.USER_CREATED,
        actor=user,
        obj=user,
        details={"role": role.value, "via": "invitation"},
    )
    return user


def _fill_account(
    email: str,
    password: str,
    *,
    name: str,
    role: Role,
    organisation: Organisation | None = None,
    team: Team | None = None,
    must_change_password: bool = False,
) -> User:
    """A new account, or the one an imported plan made for this email that waited for its
    owner; any other account with the email is a conflict."""
    user = get_user_by_email(email)
    if user is not None and not user.awaiting_invitation:
        raise Conflict(
            str(_l("There is already an account with this email address.")), field="email"
        )
    check_new_password(password, email=email, name=name)
    if user is None:
        user = User(email=email)
        db.session.add(user)
    user.name, user.role, user.organisation, user.team = name, role, organisation, team
    _set_password(user, password)  # flushes
    user.must_change_password = must_change_password
    user.active = True
    db.session.flush()
    return user


def create_waiting_account(
    *, email: str, name: str, role: Role, organisation: Organisation | None = None
) -> User:
    """An account for someone in an imported plan who has none here. It has a password nobody
    knows and stays inactive until they accept their invitation (or an administrator makes
    it a staff account)."""
    user = User(
        email=normalise_email(email),
        name=name.strip() or email,
        role=role,
        organisation=organisation,
        password_hash=hash_password(secrets.token_urlsafe(32)),
        active=False,
        awaiting_invitation=True,
    )
    db.session.add(user)
    db.session.flush()
    record(
        AuditAction.USER_CREATED,
        actor=None,
        obj=user,
        details={"role": role.value, "via": "import"},
    )
    return user


def update_user(
    actor: User | None,
    user: User,
    *,
    name: str,
    role: Role,
    organisation: Organisation | None,
    team: Team | None,
    active: bool,
) -> User:
    """Change an account's name, role, team or active flag; deactivation ends its sessions."""
    require_admin(actor)
    if actor is not None and user.id == actor.id and (not active or role != Role.ADMIN):
        raise NotAllowed(
            str(_l("You cannot take away your own administrator rights or deactivate yourself."))
        )
    name = name.strip()
    if not name:
        raise ValidationFailed(str(_l("Enter a name.")), field="name")
    if team is not None and organisation is None:
        organisation = team.organisation
    _check_membership(role, organisation, team)
    old_role = user.role
    was_active = user.active
    changes = {
        key: [str(old), str(new)]
        for key, old, new in (
            ("name", user.name, name),
            ("organisation_id", user.organisation_id, organisation.id if organisation else None),
            ("team_id", user.team_id, team.id if team else None),
        )
        if old != new
    }
    user.name, user.organisation, user.team, user.role, user.active = (
        name,
        organisation,
        team,
        role,
        active,
    )
    db.session.flush()
    if changes:
        record(AuditAction.USER_UPDATED, actor=actor, obj=user, details=changes)
    if old_role != role:
        record(
            AuditAction.ROLE_CHANGED,
            actor=actor,
            obj=user,
            details={"from": old_role.value, "to": role.value},
        )
    if was_active and not active:
        end_all_sessions(user, reason="deactivated")
        record(AuditAction.USER_DEACTIVATED, actor=actor, obj=user)
    elif active and not was_active:
        record(AuditAction.USER_REACTIVATED, actor=actor, obj=user)
    return user


def change_password(
    user: User, *, current_password: str, new_password: str, keep_session: UserSession | None
) -> None:
    """The user changes their own password; every other session ends at once."""
    if not verify_password(user.password_hash, current_password):
        raise ValidationFailed(
            str(_l("This is not your current password.")), field="current_password"
        )
    if new_password == current_password:
        raise ValidationFailed(
            str(_l("Choose a password you did not use just now.")), field="password"
        )
    check_new_password(new_password, email=user.email, name=user.name)
    _set_password(user, new_password)
    end_all_sessions(
        user, reason="password_changed", except_id=keep_session.id if keep_session else None
    )
    record(AuditAction.PASSWORD_CHANGED, actor=user, obj=user)


def reset_password(actor: User | None, user: User, *, new_password: str) -> None:
    """An administrator sets a new one-time password; the user must change it at login."""
    require_admin(actor)
    check_new_password(new_password, email=user.email, name=user.name)
    _set_password(user, new_password)
    user.must_change_password = True
    # A lost phone is the usual reason: the user enrols their second step again.
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    end_all_sessions(user, reason="password_reset")
    record(AuditAction.PASSWORD_RESET_BY_ADMIN, actor=actor, obj=user)


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    user.awaiting_invitation = False  # someone knows a password for it now
    db.session.flush()


# --- login ---------------------------------------------------------------------------------


def check_credentials(email: str, password: str) -> User | None:
    """The active user with this email and password, or None. The same for every failure.
    Reads only (the hash check takes a while; it should not hold a write lock)."""
    user = get_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        return None
    return user


def upgrade_password_hash(user: User, password: str) -> None:
    """After a successful login: store the hash again when the hashing settings got stronger."""
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)


def record_login_failure(email: str, user: User | None, *, reason: str) -> None:
    """A failed login, recorded on the account it tried (so its holder sees it on their
    sessions page). ``user`` is the account when its password was right (a wrong code);
    for a wrong password nobody is proven, so the actor stays empty."""
    email = email.strip().lower()[:254]
    account = user or get_user_by_email(email)
    record(
        AuditAction.LOGIN_FAILED,
        actor=user,
        obj=account,
        details={"email": email, "reason": reason},
    )


def record_login_throttled(email: str) -> None:
    """A login refused because of too many failures, on the account it tried (if any)."""
    email = email.strip().lower()[:254]
    record(
        AuditAction.LOGIN_THROTTLED,
        actor=None,
        obj=get_user_by_email(email),
        details={"email": email},
    )


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()
