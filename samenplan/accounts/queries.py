"""Reads about accounts shared with other features."""

from __future__ import annotations

from sqlalchemy import select

from samenplan.accounts.models import Organisation, Team, User, UserSession
from samenplan.extensions import db


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
