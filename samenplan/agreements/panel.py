"""The plan's agreement on the overview: the latest version and who agrees, and what changed
since the last version everyone agreed to."""

from __future__ import annotations

from typing import Any

from samenplan.agreements import services
from samenplan.core.forms import CreateButtonForm
from samenplan.plans.access import PlanAccess
from samenplan.plans.panels import register_overview_panel


def _context(access: PlanAccess, _locale: str) -> dict[str, Any] | None:
    standings = services.history(access.plan.id)
    latest = standings[0] if standings else None
    agreed = next((s for s in standings if s.agreed), None)
    changes = None
    if agreed is not None:  # the live plan is read only when there is something to compare
        changes = services.changes(
            services.visible(access, services.content_of(agreed.version)),
            services.visible(access, services.current_content(access)),
        )
    return {
        "latest": latest,
        "agreed_version": agreed.version if agreed else None,
        "changes": changes,
        "my_turn": latest is not None
        and access.open
        and access.user_id in latest.asked
        and access.user_id not in latest.answers,
        "form": CreateButtonForm(),
    }


register_overview_panel("agreement", order=12, template="agreements/_panel.html", context=_context)
