"""The append-only audit trail."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from samenplan.clock import utcnow
from samenplan.db import Base, UTCDateTime

if TYPE_CHECKING:  # the trail sits beneath the features; it names its actor by table
    from samenplan.accounts.models import User


class AuditEvent(Base):
    """Who did what, when, from where. Rows are never updated or deleted."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_plan_id_id", "plan_id", "id"),
        Index("ix_audit_events_actor_id_created_at", "actor_id", "created_at"),
        Index("ix_audit_events_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(45))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: the chain (audit.chain): the previous event's hash, and this event's over both. NULL
    #: only in the schema (SQLite cannot add a NOT NULL column in place); verify counts a
    #: missing hash as a broken link.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship("User", lazy="raise")


class AuditIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(_mapper: Mapper[Any], _connection: Any, target: AuditEvent) -> None:
    raise AuditIsAppendOnly(f"audit event {target.id} cannot be changed or deleted")
