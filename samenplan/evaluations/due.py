"""When a plan's next evaluation is due: the next evaluation moment in the agenda, or else
one cycle (``Plan.evaluation_months``) after the last one (or after the plan began)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, func, or_, select

from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.clock import AMSTERDAM
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import Plan

CYCLE_CHOICES = (1, 2, 3, 4, 6, 12)


@dataclass(frozen=True)
class Due:
    #: the date of the next evaluation, planned or by the cycle
    on: dt.date
    #: the evaluation moment in the agenda, when one is planned
    planned: bool
    #: no evaluation planned and the cycle's date has passed
    overdue: bool
    #: the last evaluation moment that has begun, if any
    last: dt.date | None


def _local(moment: dt.datetime) -> dt.date:
    return moment.astimezone(AMSTERDAM).date()


def due_from(
    plan: Plan, *, last: dt.datetime | None, planned: dt.datetime | None, today: dt.date
) -> Due:
    last_day = _local(last) if last else None
    if planned is not None:
        return Due(_local(planned), planned=True, overdue=False, last=last_day)
    start = last_day or _local(plan.created_at)
    on = start + relativedelta(months=plan.evaluation_months)
    return Due(on, planned=False, overdue=on < today, last=last_day)


def _evaluations(plan_ids: list[int], shared_only: set[int]) -> list[ColumnElement[bool]]:
    return [
        AgendaItem.plan_id.in_(plan_ids),
        AgendaItem.kind == AgendaKind.EVALUATION,
        AgendaItem.cancelled_at.is_(None),
        or_(
            AgendaItem.shared_with_network.is_(True),
            AgendaItem.plan_id.not_in(shared_only or {-1}),
        ),
    ]


def due_for_plans(accesses: list[PlanAccess], now: dt.datetime) -> dict[int, Due]:
    """Each open plan's next evaluation, as its viewer may see the agenda: two grouped
    queries for all plans (My plans, the overview)."""
    open_plans = [a for a in accesses if a.open]
    if not open_plans:
        return {}
    ids = [a.plan.id for a in open_plans]
    where = _evaluations(ids, {a.plan.id for a in open_plans if a.shared_only})
    last: dict[int, dt.datetime] = {
        plan_id: moment
        for plan_id, moment in db.session.execute(
            select(AgendaItem.plan_id, func.max(AgendaItem.starts_at))
            .where(*where, AgendaItem.starts_at <= now)
            .group_by(AgendaItem.plan_id)
        )
    }
    planned: dict[int, dt.datetime] = {
        plan_id: moment
        for plan_id, moment in db.session.execute(
            select(AgendaItem.plan_id, func.min(AgendaItem.starts_at))
            .where(*where, AgendaItem.starts_at > now)
            .group_by(AgendaItem.plan_id)
        )
    }
    today = _local(now)
    return {
        a.plan.id: due_from(
            a.plan, last=last.get(a.plan.id), planned=planned.get(a.plan.id), today=today
        )
        for a in open_plans
    }
