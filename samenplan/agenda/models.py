"""Agenda items of a plan: appointments, evaluation moments and deadlines."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.db import Base, Timestamped, UTCDateTime, enum_column
from samenplan.plans.models import Participation


class AgendaKind(enum.StrEnum):
    APPOINTMENT = "appointment"
    EVALUATION = "evaluation"
    DEADLINE = "deadline"


agenda_expected = Table(
    "agenda_expected",
    Base.metadata,
    Column("agenda_item_id", ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True),
    Column("participation_id", ForeignKey("participations.id"), primary_key=True),
)


class AgendaItem(Timestamped, Base):
    __tablename__ = "agenda_items"
    __table_args__ = (Index("ix_agenda_items_plan_id_starts_at", "plan_id", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[AgendaKind] = mapped_column(enum_column(AgendaKind, "agenda_kind"))
    #: stored in UTC; shown in Europe/Amsterdam
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    shared_with_network: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: set when the appointment is called off; it stays in the agenda (and in calendar
    #: feeds, as cancelled) so that nobody turns up for it
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: RFC 5545 SEQUENCE: one up on every change, so calendar apps take the new version
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    expected: Mapped[list[Participation]] = relationship(secondary=agenda_expected, lazy="raise")

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class CalendarFeed(Timestamped, Base):
    """A user's personal calendar feed: a secret link (only its hash is kept) that a phone
    calendar subscribes to. One live link per user; making a new one or stopping it ends
    the old one at once."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
