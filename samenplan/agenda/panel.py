"""The agenda on plan pages: its section on the overview, the next appointment in My plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from samenplan.agenda import queries
from samenplan.clock import utcnow
from samenplan.plans.access import PlanAccess
from samenplan.plans.panels import register_my_plans_line, register_overview_panel


def _context(access: PlanAccess, _locale: str) -> dict[str, Any]:
    return {"upcoming": queries.upcoming(access, now=utcnow(), limit=3, with_expected=False)}


register_overview_panel("agenda", order=20, template="agenda/_panel.html", context=_context)


def _next_items(accesses: list[PlanAccess], now: dt.datetime) -> dict[int, Any]:
    return queries.next_items_for_plans(
        [a.plan.id for a in accesses], {a.plan.id for a in accesses if a.shared_only}, now
    )


register_my_plans_line(
    "agenda", order=10, template="agenda/_my_plans_next.html", values=_next_items
)
