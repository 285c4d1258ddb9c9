"""Print runs: several plan summaries rendered in the background into one PDF.

The row is the run's only state: the queue carries just its public id, so any worker can
pick it up again. ``updated_at`` is its heartbeat (touched per plan) and ``attempts`` counts
the workers that started it."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from samenplan.db import Base, Timestamped, UTCDateTime, enum_column
from samenplan.plans.models import new_public_id


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class PrintJob(Timestamped, Base):
    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    plan_ids: Mapped[list[int]] = mapped_column(JSON)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    status: Mapped[JobStatus] = mapped_column(
        enum_column(JobStatus, "print_job_status"), default=JobStatus.QUEUED
    )
    done: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
