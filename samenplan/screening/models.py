"""Screenings (krachtenmetingen) and their per-domain scores with the three shares."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenplan.accounts.models import User
from samenplan.db import Base, Timestamped, UTCDateTime, enum_column


class Perspective(enum.StrEnum):
    PROFESSIONAL = "professional"  # the reference for monitoring
    CLIENT = "client"  # the person's (or youth's) own view of the same moment


class ScreeningStatus(enum.StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"


class Screening(Timestamped, Base):
    __tablename__ = "screenings"
    __table_args__ = (
        Index("ix_screenings_plan_id_person_id_moment", "plan_id", "person_id", "moment"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    #: the household member screened; None for the household as a whole
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    instrument_id: Mapped[str] = mapped_column(String(40))
    instrument_version: Mapped[str] = mapped_column(String(20))
    perspective: Mapped[Perspective] = mapped_column(
        enum_column(Perspective, "screening_perspective")
    )
    moment: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[ScreeningStatus] = mapped_column(
        enum_column(ScreeningStatus, "screening_status"), default=ScreeningStatus.DRAFT
    )
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    general_picture: Mapped[str] = mapped_column(Text, default="")
    shared_with_network: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the client's own view points to the professional screening of the same moment
    view_of_id: Mapped[int | None] = mapped_column(ForeignKey("screenings.id"))
    #: a correction is a new version of a completed screening, with the reason
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("screenings.id"))
    correction_reason: Mapped[str] = mapped_column(Text, default="")
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship(lazy="raise")
    scores: Mapped[list[DomainScore]] = relationship(
        back_populates="screening", lazy="raise", order_by="DomainScore.position"
    )

    @property
    def completed(self) -> bool:
        return self.status == ScreeningStatus.COMPLETED


class DomainScore(Timestamped, Base):
    __tablename__ = "domain_scores"
    __table_args__ = (
        UniqueConstraint("screening_id", "domain_id"),
        CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name="score_1_5"),
        CheckConstraint(
            "(own_share IS NULL AND network_share IS NULL AND professional_share IS NULL) OR "
            "(own_share >= 0 AND network_share >= 0 AND professional_share >= 0 AND "
            "own_share + network_share + professional_share = 100)",
            name="shares_100",
        ),
        CheckConstraint("NOT (not_applicable AND score IS NOT NULL)", name="na_has_no_score"),
        CheckConstraint("NOT (dont_know AND score IS NOT NULL)", name="dont_know_has_no_score"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    screening_id: Mapped[int] = mapped_column(
        ForeignKey("screenings.id", ondelete="CASCADE"), index=True
    )
    domain_id: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    score: Mapped[int | None] = mapped_column(Integer)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    own_share: Mapped[int | None] = mapped_column(Integer)
    network_share: Mapped[int | None] = mapped_column(Integer)
    professional_share: Mapped[int | None] = mapped_column(Integer)
    #: the family answered "I don't know" (their own view, step by step)
    dont_know: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: when this area was answered or skipped in the step-by-step own view (where to go on)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    situation: Mapped[str] = mapped_column(Text, default="")
    own_text: Mapped[str] = mapped_column(Text, default="")
    network_text: Mapped[str] = mapped_column(Text, default="")
    professional_text: Mapped[str] = mapped_column(Text, default="")

    screening: Mapped[Screening] = relationship(back_populates="scores", lazy="raise")

    def copy_from(self, other: DomainScore) -> None:
        """Take over everything filled in for this life area (a correction starts so)."""
        for attribute, _key in DOMAIN_FIELDS:
            setattr(self, attribute, getattr(other, attribute))
        self.answered_at = other.answered_at


#: What is filled in per life area: the model attribute and its name in forms and in the
#: export file. Copying a check, the form, the export and the import all use this one list.
DOMAIN_FIELDS: tuple[tuple[str, str], ...] = (
    ("score", "score"),
    ("not_applicable", "not_applicable"),
    ("dont_know", "dont_know"),
    ("own_share", "own"),
    ("network_share", "network"),
    ("professional_share", "professional"),
    ("situation", "situation"),
    ("own_text", "own_text"),
    ("network_text", "network_text"),
    ("professional_text", "professional_text"),
)
#: the free texts among them (names as in forms and the export)
DOMAIN_TEXTS = ("situation", "own_text", "network_text", "professional_text")
