"""Organisations, teams, user accounts and their server-side login sessions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.clock import utcnow
from samenplan.db import Base, Timestamped, UTCDateTime, enum_column
from samenplan.policy import Role as Role  # the policy's vocabulary, kept where accounts live

#: Roles that must use a second factor when TOTP_REQUIRED is on.
STAFF_ROLES = frozenset({Role.PROFESSIONAL, Role.TEAM_LEAD, Role.POLICY, Role.ADMIN})
#: Roles an administrator creates; clients and network members join through invitations.
ADMIN_CREATABLE_ROLES = (Role.PROFESSIONAL, Role.TEAM_LEAD, Role.POLICY, Role.ADMIN)
#: Roles of accounts people make themselves through an invitation link.
SELF_SERVICE_ROLES = frozenset({Role.CLIENT, Role.NETWORK})


def role_enum() -> Enum:
    return enum_column(Role, "user_role")


class Organisation(Timestamped, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    teams: Mapped[list[Team]] = relationship(
        back_populates="organisation", order_by="Team.name", lazy="raise"
    )


class Team(Timestamped, Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    organisation: Mapped[Organisation] = relationship(back_populates="teams", lazy="joined")


class User(Timestamped, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(role_enum())
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: made by an imported plan for someone without an account here: no usable password and
    #: no login until its owner accepts their invitation (or an administrator completes it)
    awaiting_invitation: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: the last accepted TOTP time step, so a code cannot be used twice
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    team: Mapped[Team | None] = relationship(lazy="joined")

    # Flask-Login protocol (we do not use UserMixin: is_active must come from the column)
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class UserMunicipality(Base):
    """A municipality a policy officer may monitor (by CBS code)."""

    __tablename__ = "user_municipalities"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(6), primary_key=True)


class UserSession(Timestamped, Base):
    """A server-side login session; the browser only holds its random token."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[str | None] = mapped_column(String(30))
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    #: the step between a right password and the second factor: not yet a login
    awaiting_second_factor: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    user: Mapped[User] = relationship(lazy="joined")


class LoginFailure(Base):
    """One failed (or refused) login attempt, kept only as long as the longest throttling
    window (accounts/throttle.py). The audit trail keeps the lasting record."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email_at", "email", "at"),
        Index("ix_login_failures_ip_at", "ip", "at"),
        Index("ix_login_failures_device_at", "device", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: the address typed, lower-cased; also for accounts that do not exist
    email: Mapped[str] = mapped_column(String(254))
    #: the client address (an IPv6 address as its /64 network)
    ip: Mapped[str] = mapped_column(String(45))
    #: the nonce of the device cookie when it names this account (a known browser), else NULL
    device: Mapped[str | None] = mapped_column(String(32))
    #: "credentials", "otp", or "throttled" (a refused attempt: not counted, see throttle.py)
    reason: Mapped[str] = mapped_column(String(20))
