"""Writing to the logbook. Flushes and audits; never commits."""

from __future__ import annotations

from samenplan.accounts.models import User
from samenplan.audit.services import AuditAction, record
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.errors import ValidationFailed
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import (
    LogEntry,
    PlanRole,
)


def add_log_entry(
    access: PlanAccess, actor: User, *, text: str, shared_with_network: bool
) -> LogEntry:
    text = text.strip()
    if not text:
        raise ValidationFailed(str(_l("Write a message.")), field="text")
    # What a network member writes is for the network by nature.
    shared = True if access.role == PlanRole.NETWORK else shared_with_network
    entry = LogEntry(
        plan_id=access.plan.id, author_id=actor.id, text=text, shared_with_network=shared
    )
    db.session.add(entry)
    db.session.flush()
    record(AuditAction.LOG_ADDED, actor=actor, plan_id=access.plan.id, obj=entry)
    return entry
