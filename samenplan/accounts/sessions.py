"""Server-side login sessions: start, check, touch and end them, and the pending step
between a right password and the second factor.

Plain functions; they flush and record audit events, and never commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from samenplan.accounts.models import User, UserSession
from samenplan.audit.services import AuditAction, record
from samenplan.clock import utcnow
from samenplan.core.tokens import new_token, token_hash
from samenplan.extensions import db


@dataclass(frozen=True)
class SessionLimits:
    idle: dt.timedelta
    absolute: dt.timedelta


def start_session(user: User, *, ip: str | None, user_agent: str | None) -> tuple[UserSession, str]:
    """A new server-side session with a fresh random token (never reuse one from before login)."""
    token = new_token()
    user_session = UserSession(
        token_hash=token_hash(token),
        user=user,
        ip=ip,
        user_agent=(user_agent or "")[:255] or None,
        last_seen_at=utcnow(),
    )
    db.session.add(user_session)
    db.session.flush()
    record(AuditAction.LOGIN_SUCCEEDED, actor=user, obj=user_session)
    return user_session, token


def start_pending_login(user: User, *, ip: str | None, user_agent: str | None) -> str:
    """The password was right and the second factor is still to come: a server-side record
    of that step. Returns the random token the browser holds; nothing else about the step
    is taken from the browser."""
    token = new_token()
    db.session.add(
        UserSession(
            token_hash=token_hash(token),
            user=user,
            ip=ip,
            user_agent=(user_agent or "")[:255] or None,
            last_seen_at=utcnow(),
            awaiting_second_factor=True,
        )
    )
    db.session.flush()
    return token


def _pending_step(token: str) -> UserSession | None:
    return db.session.scalar(
        select(UserSession).where(
            UserSession.token_hash == token_hash(token),
            UserSession.awaiting_second_factor.is_(True),
            UserSession.ended_at.is_(None),
        )
    )


def find_pending_login(token: str, *, max_age: dt.timedelta) -> User | None:
    """Whose password was right, for this token, no longer than ``max_age`` ago."""
    step = _pending_step(token)
    if step is None or utcnow() - step.created_at > max_age or not step.user.active:
        return None
    return step.user


def end_pending_login(token: str) -> None:
    step = _pending_step(token)
    if step is not None:
        end_session(step, reason="second_step_done")


#: Only write last_seen_at when it is this old, so not every request is a write.
TOUCH_INTERVAL = dt.timedelta(seconds=60)


#: what noting a session's activity writes: a new last-seen time
TOUCH = "touch"


def check_session(
    token: str, limits: SessionLimits, *, now: dt.datetime | None = None
) -> tuple[UserSession | None, str | None]:
    """The session for ``token`` and what must be written about it: the reason it ends now
    (timed out, user left), ``TOUCH`` (activity, at most once per TOUCH_INTERVAL) or None.
    Reads only, so that a page that only reads can write the verdict in a short transaction
    of its own (``apply_session_check``)."""
    now = now or utcnow()
    user_session = db.session.scalar(
        select(UserSession).where(
            UserSession.token_hash == token_hash(token),
            UserSession.awaiting_second_factor.is_(False),
        )
    )
    if user_session is None or user_session.ended_at is not None:
        return None, None
    if not user_session.user.active:
        return user_session, "deactivated"
    if now - user_session.created_at > limits.absolute:
        return user_session, "absolute_timeout"
    if now - user_session.last_seen_at > limits.idle:
        return user_session, "idle_timeout"
    if now - user_session.last_seen_at > TOUCH_INTERVAL:
        return user_session, TOUCH
    return user_session, None


def apply_session_check(
    user_session: UserSession, verdict: str, *, now: dt.datetime | None = None
) -> UserSession | None:
    """Write what ``check_session`` decided; the session if it lives on."""
    now = now or utcnow()
    if verdict == TOUCH:
        user_session.last_seen_at = now
        return user_session
    end_session(user_session, reason=verdict, now=now)
    return None


def end_session(user_session: UserSession, *, reason: str, now: dt.datetime | None = None) -> None:
    if user_session.ended_at is None:
        user_session.ended_at = now or utcnow()
        user_session.ended_reason = reason
        db.session.flush()


def end_own_session(user: User, session_id: int) -> bool:
    """End one of the user's own sessions (the "sign out elsewhere" button)."""
    user_session = db.session.scalar(
        select(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id)
    )
    if user_session is None or user_session.ended_at is not None:
        return False
    end_session(user_session, reason="ended_by_user")
    record(AuditAction.SESSION_ENDED, actor=user, obj=user_session)
    return True


def end_all_sessions(user: User, *, reason: str, except_id: int | None = None) -> None:
    stmt = (
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_reason=reason)
        .execution_options(synchronize_session="fetch")
    )
    if except_id is not None:
        stmt = stmt.where(UserSession.id != except_id)
    db.session.execute(stmt)


def logout(user_session: UserSession) -> None:
    end_session(user_session, reason="logout")
    record(AuditAction.LOGOUT, actor=user_session.user, obj=user_session)
