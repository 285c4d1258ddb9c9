"""The agenda's section on the plan overview."""

from __future__ import annotations

from typing import Any

from samenplan.agenda import queries
from samenplan.db import utcnow
from samenplan.plans.panels import register_overview_panel
from samenplan.policy import PlanAccess


def _context(access: PlanAccess, _locale: str) -> dict[str, Any]:
    return {"upcoming": queries.upcoming(access, now=utcnow(), limit=3)}


register_overview_panel("agenda", order=20, template="agenda/_panel.html", context=_context)
