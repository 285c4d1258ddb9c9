"""Agreed versions of a plan: the goals and actions fixed at one moment, and each client's
and the coordinator's answer to them."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samenplan.clock import utcnow
from samenplan.db import Base, UTCDateTime, enum_column


class Answer(enum.StrEnum):
    AGREE = "agree"
    AGREE_WITH_REMARK = "agree_remark"
    DISAGREE = "disagree"


class PlanVersion(Base):
    """The plan's goals and actions as they were when the coordinator asked for agreement
    (JSON: every item with what decides who may see it, filtered per viewer when shown)."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: {"goals": [...], "actions": [...]}
    content: Mapped[str] = mapped_column(Text)
    #: the user ids asked to answer, comma-separated (clients with a say, the coordinator)
    asked: Mapped[str] = mapped_column(String(500))


class Agreement(Base):
    __tablename__ = "plan_agreements"
    __table_args__ = (UniqueConstraint("version_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answer: Mapped[Answer] = mapped_column(enum_column(Answer, "agreement_answer"))
    remark: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
