"""Satisfaction surveys: one response per participant per occasion, one row per answer, so the
monitor can average them in SQL. A response is shown to nobody but its respondent."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samenplan.db import Base, Timestamped, enum_column


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
