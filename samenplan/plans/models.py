"""The shared plan: household, participants, invitations, goals, actions, progress, logbook."""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
    false,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from samenplan.accounts.models import User
from samenplan.db import Base, Timestamped, UTCDateTime, enum_column


def new_public_id() -> str:
    """Opaque, unguessable id for URLs (never the database id)."""
    return secrets.token_urlsafe(12)


class PlanStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class PlanRole(enum.StrEnum):
    """A participant's role in one plan (DESIGN.md §2). Coordinator is a flag on top of the
    client or professional role; inviting "as coordinator" hands coordination over."""

    CLIENT = "client"
    NETWORK = "network"
    PROFESSIONAL = "professional"
    COORDINATOR = "coordinator"


class Relation(enum.StrEnum):
    PARENT = "parent"
    CHILD = "child"
    PARTNER = "partner"
    OTHER = "other"


class GoalStatus(enum.StrEnum):
    """Open, or how the goal ended: the outcome counted in monitoring (DESIGN.md §6)."""

    OPEN = "open"
    ACHIEVED = "achieved"
    PARTLY_ACHIEVED = "partly_achieved"
    NOT_ACHIEVED = "not_achieved"
    STOPPED = "stopped"


#: the outcomes that need a reason: the goal was not (fully) reached
UNFINISHED_GOAL = frozenset(
    {GoalStatus.PARTLY_ACHIEVED, GoalStatus.NOT_ACHIEVED, GoalStatus.STOPPED}
)


class GoalEndReason(enum.StrEnum):
    """Why a goal ended without being (fully) reached: a short fixed list."""

    SITUATION_CHANGED = "situation_changed"
    OTHER_GOAL = "other_goal"
    FAMILY_STOPPED = "family_stopped"
    HELP_ENDED = "help_ended"
    OTHER = "other"


class PlanClosure(enum.StrEnum):
    """Why a plan was closed; a drop-out is one of the national outcome indicators."""

    GOALS_REACHED = "goals_reached"
    MOVED = "moved"
    DROPPED_OUT = "dropped_out"
    HANDED_OVER = "handed_over"
    OTHER = "other"


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Plan(Timestamped, Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[PlanStatus] = mapped_column(
        enum_column(PlanStatus, "plan_status"), default=PlanStatus.OPEN
    )
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closure_reason: Mapped[PlanClosure | None] = mapped_column(
        enum_column(PlanClosure, "plan_closure")
    )
    #: the household's municipality, its CBS code (``GM0080``); see samenplan/municipalities.py
    municipality_code: Mapped[str | None] = mapped_column(String(6), index=True)
    #: the evaluation cycle: the family and professionals look back together this often
    evaluation_months: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    #: the family's choice whether new goals, appointments and logbook messages are shared
    #: with the network unless unticked (asked when the first network member is invited);
    #: None until they chose
    network_default: Mapped[bool | None] = mapped_column(Boolean)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    persons: Mapped[list[Person]] = relationship(
        back_populates="plan", order_by="Person.id", lazy="raise"
    )
    participations: Mapped[list[Participation]] = relationship(
        back_populates="plan", order_by="Participation.id", lazy="raise"
    )

    @property
    def is_open(self) -> bool:
        return self.status == PlanStatus.OPEN

    @property
    def shares_by_default(self) -> bool:
        """Whether a new item's "shared with the network" box starts ticked: the family's
        choice, or ticked until they made one (as before there was a choice)."""
        return True if self.network_default is None else self.network_default


class Person(Timestamped, Base):
    """A household member the plan is about."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    relation: Mapped[Relation] = mapped_column(enum_column(Relation, "person_relation"))
    #: for parents: whether they hold parental authority (gezag) over the children
    parental_authority: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the account of this person, when they take part themselves (a parent, a youth)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: a youth of 16+ lets their parents see their part of the plan (DESIGN.md §2)
    parents_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    #: who agreed that items about this person may be shared with the network, and when;
    #: valid only while that person still has the say (a parent under 12, the youth from 12)
    network_consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    network_consent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship(back_populates="persons", lazy="raise")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="raise")


class Participation(Timestamped, Base):
    __tablename__ = "participations"
    __table_args__ = (Index("ix_participations_user_id_plan_id", "user_id", "plan_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[PlanRole] = mapped_column(enum_column(PlanRole, "plan_role"))
    is_coordinator: Mapped[bool] = mapped_column(Boolean, default=False)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("participations.id"))
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: brought in by an imported plan and invited again: no access until the invitation is
    #: accepted here (``accepted_at`` keeps when they first joined the plan)
    pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    plan: Mapped[Plan] = relationship(back_populates="participations", lazy="raise")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")

    @hybrid_property
    def active(self) -> bool:
        """Taking part now: not removed and not waiting to accept an invitation."""
        return self.removed_at is None and not self.pending

    @active.inplace.expression
    @classmethod
    def _active_expression(cls) -> ColumnElement[bool]:
        return and_(cls.removed_at.is_(None), cls.pending.is_(False))


class Invitation(Timestamped, Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[PlanRole] = mapped_column(enum_column(PlanRole, "invitation_role"))
    #: the household member the invitee is (a parent or youth with their own login)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("participations.id"), index=True)

    plan: Mapped[Plan] = relationship(lazy="raise")
    invited_by: Mapped[Participation] = relationship(lazy="raise")


class Goal(Timestamped, Base):
    __tablename__ = "goals"
    __table_args__ = (Index("ix_goals_plan_id_domain", "plan_id", "domain"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    #: the household member the goal is about; None for the whole household
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    domain: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    why: Mapped[str] = mapped_column(Text, default="")
    desired_situation: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[GoalStatus] = mapped_column(
        enum_column(GoalStatus, "goal_status"), default=GoalStatus.OPEN
    )
    end_reason: Mapped[GoalEndReason | None] = mapped_column(
        enum_column(GoalEndReason, "goal_end_reason")
    )
    #: when the goal left "open"; monitoring counts outcomes by this date
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    shared_with_network: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__: dict[str, Any] = {"version_id_col": version}

    person: Mapped[Person | None] = relationship(lazy="raise")


class Action(Timestamped, Base):
    __tablename__ = "actions"
    __table_args__ = (Index("ix_actions_plan_id_status", "plan_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("participations.id"), index=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus, "action_status"), default=ActionStatus.OPEN
    )
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__: dict[str, Any] = {"version_id_col": version}

    goal: Mapped[Goal] = relationship(lazy="raise")
    assignee: Mapped[Participation] = relationship(lazy="raise")

    def is_overdue(self, today: dt.date) -> bool:
        """Open, with a due date before today (in Amsterdam)."""
        return (
            self.status == ActionStatus.OPEN and self.due_date is not None and self.due_date < today
        )


class ProgressEntry(Timestamped, Base):
    __tablename__ = "progress_entries"
    __table_args__ = (CheckConstraint("value >= 0 AND value <= 10", name="value_0_10"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"), index=True)
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    author: Mapped[User] = relationship(lazy="raise")


class LogEntry(Timestamped, Base):
    __tablename__ = "log_entries"
    __table_args__ = (Index("ix_log_entries_plan_id_created_at", "plan_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    shared_with_network: Mapped[bool] = mapped_column(Boolean, default=True)

    author: Mapped[User] = relationship(lazy="raise")
