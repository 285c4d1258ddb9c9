"""Evaluations on plan pages: when the next one is due on the overview and in My plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.clock import utcnow
from samenplan.evaluations.due import Due, due_for_plans
from samenplan.evaluations.forms import CycleForm, cycle_label
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess
from samenplan.plans.panels import register_my_plans_line, register_overview_panel


def _next_planned(access: PlanAccess, now: dt.datetime) -> AgendaItem | None:
    return db.session.scalar(
        select(AgendaItem)
        .where(
            AgendaItem.plan_id == access.plan.id,
            *access.sees_where(AgendaItem),
            AgendaItem.kind == AgendaKind.EVALUATION,
            AgendaItem.cancelled_at.is_(None),
            AgendaItem.starts_at > now - dt.timedelta(days=1),
        )
        .order_by(AgendaItem.starts_at)
        .limit(1)
    )


def _context(access: PlanAccess, _locale: str) -> dict[str, Any] | None:
    now = utcnow()
    due = due_for_plans([access], now).get(access.plan.id)
    if due is None:  # a closed plan is not evaluated
        return None
    form = CycleForm()
    form.months.data = access.plan.evaluation_months
    return {
        "due": due,
        "planned": _next_planned(access, now),
        "cycle": cycle_label(access.plan.evaluation_months),
        "cycle_form": form,
    }


register_overview_panel(
    "evaluation", order=15, template="evaluations/_panel.html", context=_context
)


def _due(accesses: list[PlanAccess], now: dt.datetime) -> dict[int, Due]:
    return due_for_plans(accesses, now)


register_my_plans_line("evaluation", order=20, template="evaluations/_my_plans.html", values=_due)
