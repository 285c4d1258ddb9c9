"""Satisfaction surveys: one response per participant per occasion, one row per answer, so the
monitor can average them in SQL. A response is shown to nobody but its respondent."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samenplan.db import Base, Timestamped, UTCDateTime, enum_column


class SurveyGroup(enum.StrEnum):
    """Who answers: the family (clients), their network, or a professional."""

    FAMILY = "family"
    NETWORK = "network"
    PROFESSIONAL = "professional"


class SurveyResponse(Timestamped, Base):
    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("plan_id", "user_id", "occasion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    group: Mapped[SurveyGroup] = mapped_column(enum_column(SurveyGroup, "survey_group"))
    #: "closure", or "evaluation-<agenda item id>"
    occasion: Mapped[str] = mapped_column(String(40))
    survey_version: Mapped[str] = mapped_column(String(20))
    remark: Mapped[str] = mapped_column(Text, default="")


class SurveyAnswer(Base):
    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(Integer)


class MonitorSnapshot(Base):
    """The monitor's figures for one scope and period, computed in SQL and kept for a while
    (``MONITOR_CACHE_SECONDS``): a region's year takes seconds to count, and is read far
    more often than its figures change. Refreshed when older than that on the next view, and
    every few minutes by the worker for the periods people look at most (tasks.py)."""

    __tablename__ = "monitor_snapshots"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: the query results as JSON (counts of households, never a person)
    payload: Mapped[str] = mapped_column(Text)
