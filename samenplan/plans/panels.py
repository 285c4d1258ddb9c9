"""What other features add to plan pages: sections of the plan overview, and lines on each
plan in My plans.

Dependencies point from features to plans, not back: agenda and screening register here,
and the pages render whatever is registered, in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import render_template
from markupsafe import Markup

from samenplan.plans.access import PlanAccess


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


@dataclass(frozen=True)
class ListLine:
    order: int
    template: str
    values: Callable[[list[PlanAccess], dt.datetime], dict[int, Any]]


@dataclass(frozen=True)
class Extra:
    """One registered line on one plan in My plans: its template gets ``value``."""

    template: str
    value: Any


_LIST_LINES: dict[str, ListLine] = {}


def register_my_plans_line(
    name: str,
    *,
    order: int,
    template: str,
    values: Callable[[list[PlanAccess], dt.datetime], dict[int, Any]],
) -> None:
    """Add a line to each plan in My plans. ``values`` gets every listed plan's access at
    once (one query for all, not one per plan) and returns a value per plan id; a plan
    without a value shows no line."""
    _LIST_LINES[name] = ListLine(order, template, values)


def my_plans_extras(accesses: list[PlanAccess], now: dt.datetime) -> dict[int, list[Extra]]:
    extras: dict[int, list[Extra]] = {a.plan.id: [] for a in accesses}
    for line in sorted(_LIST_LINES.values(), key=lambda x: x.order):
        for plan_id, value in line.values(accesses, now).items():
            if value is not None and plan_id in extras:
                extras[plan_id].append(Extra(line.template, value))
    return extras
