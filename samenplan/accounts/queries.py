"""Reads about accounts shared with other features."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from samenplan.accounts.models import Organisation, Team, User, UserSession
from samenplan.audit.models import AuditEvent
from samenplan.clock import utcnow
from samenplan.extensions import db

#: how far back, and how many, failed logins the account holder sees
FAILED_LOGIN_DAYS = 30
FAILED_LOGIN_LIMIT = 20


def active_sessions(user: User) -> list[UserSession]:
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.awaiting_second_factor.is_(False),
            )
            .order_by(UserSession.last_seen_at.desc())
        )
    )


def user_id_by_email(email: str) -> int | None:
    return db.session.scalar(select(User.id).where(User.email == email.strip().lower()))


@dataclass(frozen=True)
class FailedLogin:
    """A failed or refused login on the account, for its holder's sessions page."""

    at: dt.datetime
    ip: str | None
    #: "password" (wrong password), "code" (wrong or missing code), "blocked" (too many tries)
    kind: str


def failed_logins(user: User, *, now: dt.datetime | None = None) -> list[FailedLogin]:
    """Failed and refused logins on the account in the last FAILED_LOGIN_DAYS, newest
    first, from the audit trail (the throttling rows live only an hour)."""
    since = (now or utcnow()) - dt.timedelta(days=FAILED_LOGIN_DAYS)
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.object_type == "User",
            AuditEvent.object_id == str(user.id),
            AuditEvent.action.in_(("login.failed", "login.throttled")),
            AuditEvent.created_at >= since,
        )
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(FAILED_LOGIN_LIMIT)
    )
    return [
        FailedLogin(
            at=event.created_at,
            ip=event.ip,
            kind="blocked"
            if event.action == "login.throttled"
            else "code"
            if (event.details or {}).get("reason") == "otp"
            else "password",
        )
        for event in events
    ]


def organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def teams() -> list[Team]:
    return list(
        db.session.scalars(
            select(Team).join(Team.organisation).order_by(Organisation.name, Team.name)
        )
    )


def users(*, page: int, per_page: int = 50, search: str = "") -> tuple[list[User], int]:
    from sqlalchemy import func, or_

    stmt = select(User)
    if search:
        pattern = f"%{search.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(pattern), User.email.like(pattern)))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(User.name, User.id).limit(per_page).offset((page - 1) * per_page)
    )
    return list(rows), total
