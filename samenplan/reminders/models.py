"""Reminders by email: what each person chose per kind, and a ledger of every reminder, so
that none is sent twice (DESIGN.md §5; the mails carry no care content)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samenplan.clock import utcnow
from samenplan.db import Base, UTCDateTime, enum_column


class Frequency(enum.StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class ReminderKind(enum.StrEnum):
    #: their own actions due in the next two days, or overdue
    ACTIONS = "actions"
    #: appointments tomorrow
    APPOINTMENTS = "appointments"
    #: a new message in the logbook from someone else
    LOGBOOK = "logbook"
    #: an evaluation moment in the coming week
    EVALUATIONS = "evaluations"
    #: a version of the plan they are asked to agree to and have not answered
    VERSIONS = "versions"
    #: an invitation they sent that has not been accepted after a few days
    INVITATIONS = "invitations"


DEFAULT_FREQUENCY = Frequency.DAILY


class ReminderSetting(Base):
    """A person's choice for one kind; no row means the default (a daily digest)."""

    __tablename__ = "reminder_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[ReminderKind] = mapped_column(
        enum_column(ReminderKind, "reminder_kind"), primary_key=True
    )
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency, "reminder_frequency"))


class Reminder(Base):
    """One thing to remind one person of, found once (``subject`` names it: an action and its
    due state, an appointment, a message); ``sent_at`` is set when it went out in a mail, or
    was passed over because that kind is off."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "subject"),
        Index("ix_reminders_user_id_sent_at", "user_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    kind: Mapped[ReminderKind] = mapped_column(enum_column(ReminderKind, "reminder_kind"))
    subject: Mapped[str] = mapped_column(String(100))
    found_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: passed over (the kind was off), never mailed
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
