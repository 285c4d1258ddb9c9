"""The screening's section on the plan overview: the newest bars per person, with signals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from samenplan.plans import queries as plan_queries
from samenplan.plans.panels import register_overview_panel
from samenplan.policy import PlanAccess
from samenplan.screening import queries
from samenplan.screening.bars import bar, legend
from samenplan.screening.instruments import registry
from samenplan.screening.rules import Signal


@dataclass
class PanelRow:
    label: str
    bar: Markup
    signals: list[Signal]


@dataclass
class PanelItem:
    name: str
    latest: queries.Latest
    rows: list[PanelRow]


def _context(access: PlanAccess, locale: str) -> dict[str, Any]:
    from flask_babel import gettext as _

    persons = {p.id: p.name for p in plan_queries.persons(access)}
    items = []
    for latest in queries.latest_per_subject(access):
        instrument = registry().get(latest.screening.instrument_id)
        if instrument is None:
            continue
        entries = queries.entries(latest.scores)
        rows = [
            PanelRow(
                d.label(locale), bar(d.label(locale), entries[d.id]), latest.signals.get(d.id, [])
            )
            for d in instrument.domains
            if d.id in entries and not entries[d.id].blank
        ]
        name = persons.get(latest.screening.person_id or -1, str(_("The whole household")))
        items.append(PanelItem(name, latest, rows))
    return {"latest": items, "legend": legend()}


register_overview_panel("screening", order=10, template="screening/_panel.html", context=_context)
