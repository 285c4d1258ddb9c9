"""Reads of a plan's agenda, always through the viewer's PlanAccess."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.clock import AMSTERDAM
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import Participation


def _visible(access: PlanAccess, *, with_expected: bool = True) -> Select[tuple[AgendaItem]]:
    stmt = select(AgendaItem).where(
        AgendaItem.plan_id == access.plan.id, *access.sees_where(AgendaItem)
    )
    if not with_expected:  # who is expected stays unloaded (reading it raises)
        return stmt
    return stmt.options(selectinload(AgendaItem.expected).joinedload(Participation.user))


def item_in_plan(access: PlanAccess, item_id: int) -> AgendaItem | None:
    return db.session.scalar(_visible(access).where(AgendaItem.id == item_id))


def upcoming(
    access: PlanAccess,
    *,
    now: dt.datetime,
    limit: int | None = None,
    with_expected: bool = True,
) -> list[AgendaItem]:
    stmt = _visible(access, with_expected=with_expected).where(
        AgendaItem.starts_at >= now - dt.timedelta(hours=2)
    )
    stmt = stmt.order_by(AgendaItem.starts_at, AgendaItem.id)
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def latest_evaluation(
    access: PlanAccess, *, now: dt.datetime, within: dt.timedelta
) -> AgendaItem | None:
    """The most recent evaluation moment of the plan that has begun, no longer ago than
    ``within`` (the satisfaction survey is offered after it)."""
    stmt = _visible(access, with_expected=False).where(
        AgendaItem.kind == AgendaKind.EVALUATION,
        AgendaItem.cancelled_at.is_(None),
        AgendaItem.starts_at <= now,
        AgendaItem.starts_at >= now - within,
    )
    return db.session.scalar(stmt.order_by(AgendaItem.starts_at.desc(), AgendaItem.id.desc()))


def in_month(access: PlanAccess, year: int, month: int) -> list[AgendaItem]:
    start = dt.datetime(year, month, 1, tzinfo=AMSTERDAM)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=AMSTERDAM)
    stmt = _visible(access).where(AgendaItem.starts_at >= start, AgendaItem.starts_at < end)
    return list(db.session.scalars(stmt.order_by(AgendaItem.starts_at, AgendaItem.id)))


def next_items_for_plans(
    plan_ids: list[int], shared_only_plan_ids: set[int], now: dt.datetime
) -> dict[int, AgendaItem]:
    """The next agenda item of each plan (for My plans), in one query: the first upcoming
    item per plan that the viewer of that plan may see."""
    if not plan_ids:
        return {}
    ranked = (
        select(
            AgendaItem.id,
            func.row_number()
            .over(partition_by=AgendaItem.plan_id, order_by=(AgendaItem.starts_at, AgendaItem.id))
            .label("rank"),
        )
        .where(
            AgendaItem.plan_id.in_(plan_ids),
            AgendaItem.starts_at >= now,
            AgendaItem.cancelled_at.is_(None),
            or_(
                AgendaItem.shared_with_network.is_(True),
                AgendaItem.plan_id.not_in(shared_only_plan_ids or {-1}),
            ),
        )
        .subquery()
    )
    rows = db.session.scalars(
        select(AgendaItem).join(ranked, ranked.c.id == AgendaItem.id).where(ranked.c.rank == 1)
    )
    return {item.plan_id: item for item in rows}
