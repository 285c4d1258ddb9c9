"""Sections that other features add to the plan overview.

Dependencies point from features to plans, not back: agenda and screening register a panel
here, and the overview renders whatever is registered, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import render_template
from markupsafe import Markup

from samenplan.policy import PlanAccess


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable[[PlanAccess, str], dict[str, Any] | None]


_PANELS: dict[str, Panel] = {}


def register_overview_panel(
    name: str,
    *,
    order: int,
    template: str,
    context: Callable[[PlanAccess, str], dict[str, Any] | None],
) -> None:
    """Add a section to the plan overview; ``context`` returns None to show nothing."""
    _PANELS[name] = Panel(order, template, context)


def render_overview_panels(access: PlanAccess, locale: str) -> list[Markup]:
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        context = panel.context(access, locale)
        if context is not None:
            rendered.append(Markup(render_template(panel.template, access=access, **context)))  # noqa: S704  # nosec B704  # autoescaped template
    return rendered
