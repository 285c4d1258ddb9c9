"""The survey's line on the plan overview: offered after an evaluation moment and when the
plan is closed; a thank-you once answered. Nothing for readers who take no part."""

from __future__ import annotations

from typing import Any

from samenplan.clock import utcnow
from samenplan.monitoring.surveys import current_offer
from samenplan.plans.access import PlanAccess
from samenplan.plans.panels import register_overview_panel


def _context(access: PlanAccess, locale: str) -> dict[str, Any] | None:
    offer = current_offer(access, now=utcnow())
    return None if offer is None else {"offer": offer}


register_overview_panel(
    "survey", order=1, template="monitoring/_survey_panel.html", context=_context
)
