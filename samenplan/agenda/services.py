"""Writes to a plan's agenda."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from samenplan.accounts.models import User
from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.audit.services import AuditAction, record
from samenplan.clock import utcnow
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.errors import ValidationFailed
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import Participation


@dataclass(frozen=True)
class AgendaInput:
    title: str
    kind: AgendaKind
    starts_at: dt.datetime  # aware
    ends_at: dt.datetime | None
    location: str
    notes: str
    shared_with_network: bool
    expected_ids: list[int]


def _apply(access: PlanAccess, item: AgendaItem, data: AgendaInput) -> None:
    if not data.title.strip():
        raise ValidationFailed(str(_l("Write what the appointment is about.")), field="title")
    if data.ends_at is not None and data.ends_at < data.starts_at:
        raise ValidationFailed(str(_l("The end must be after the start.")), field="end_time")
    expected = list(
        db.session.scalars(
            select(Participation).where(
                Participation.id.in_(data.expected_ids or [-1]),
                Participation.plan_id == access.plan.id,
                Participation.removed_at.is_(None),
            )
        )
    )
    item.title, item.kind = data.title.strip(), data.kind
    item.starts_at, item.ends_at = data.starts_at, data.ends_at
    item.location, item.notes = data.location.strip(), data.notes.strip()
    item.shared_with_network = data.shared_with_network
    item.expected = expected


def create_item(access: PlanAccess, actor: User, data: AgendaInput) -> AgendaItem:
    item = AgendaItem(plan_id=access.plan.id, created_by_id=actor.id, expected=[])
    _apply(access, item, data)
    db.session.add(item)
    db.session.flush()
    record(AuditAction.AGENDA_CREATED, actor=actor, plan_id=access.plan.id, obj=item)
    return item


def update_item(access: PlanAccess, actor: User, item: AgendaItem, data: AgendaInput) -> AgendaItem:
    if item.cancelled:
        raise ValidationFailed(str(_l("This appointment is cancelled. Make a new one.")))
    _apply(access, item, data)
    item.sequence += 1
    db.session.flush()
    record(AuditAction.AGENDA_CHANGED, actor=actor, plan_id=access.plan.id, obj=item)
    return item


def cancel_item(access: PlanAccess, actor: User, item: AgendaItem) -> None:
    """Call an appointment off: it stays in the agenda, marked, and calendar feeds carry the
    cancellation. Cancelling twice changes nothing."""
    if item.cancelled:
        return
    item.cancelled_at = utcnow()
    item.sequence += 1
    db.session.flush()
    record(AuditAction.AGENDA_CANCELLED, actor=actor, plan_id=access.plan.id, obj=item)
