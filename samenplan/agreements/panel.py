"""The plan's agreement on the overview: the latest version and who agrees, and what changed
since the last version everyone agreed to."""

from __future__ import annotations

from typing import Any

from samenplan.agreements import services
from samenplan.core.forms import ConfirmForm
from samenplan.plans.access import PlanAccess
from samenplan.plans.panels import register_overview_panel


def _context(access: PlanAccess, _locale: str) -> dict[str, Any] | None:
    version = services.latest(access.plan.id)
    agreed = services.last_agreed(access.plan.id)
    now = services.visible(access, services.current_content(access))
    changes = (
        services.changes(services.visible(access, services.content_of(agreed)), now)
        if agreed is not None
        else None
    )
    given = services.answers(version) if version else {}
    asked = services.asked_of(version) if version else []
    return {
        "version": version,
        "agreed_version": agreed,
        "changes": changes,
        "agreeing": sum(1 for u in asked if u in given and given[u].answer.value != "disagree"),
        "against": sum(1 for a in given.values() if a.answer.value == "disagree"),
        "asked": asked,
        "my_turn": version is not None
        and access.open
        and access.user_id in asked
        and access.user_id not in given,
        "form": ConfirmForm(),
    }


register_overview_panel("agreement", order=12, template="agreements/_panel.html", context=_context)
