"""The screening's section on the plan overview: the newest check per person, collapsed to the
life areas that need attention, with signals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from samenplan.core.i18n import gettext as _
from samenplan.plans import queries as plan_queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.panels import register_overview_panel
from samenplan.screening import queries
from samenplan.screening.bars import bar, legend
from samenplan.screening.instruments import Instrument, registry
from samenplan.screening.rules import Change, Signal, compare

ATTENTION_SCORE = 2


@dataclass
class PanelRow:
    label: str
    bar: Markup
    signals: list[Signal]
    change: Change | None = None
    score: int | None = None

    @property
    def needs_attention(self) -> bool:
        """A signal, or a score of 1 or 2 (acute or not self-reliant)."""
        return bool(self.signals) or (self.score is not None and self.score <= ATTENTION_SCORE)


@dataclass
class PanelItem:
    name: str
    latest: queries.Latest
    instrument: Instrument
    rows: list[PanelRow]
    others: int = 0


def latest_items(access: PlanAccess, locale: str, *, with_changes: bool = False) -> list[PanelItem]:
    """The newest completed screening per person (and the household) as labelled bars with
    their signals; with ``with_changes``, also the shift against the one before. The overview
    and the summary PDF both show these."""
    persons = {p.id: p.name for p in plan_queries.persons(access)}
    items = []
    for latest in queries.latest_per_subject(access):
        instrument = registry().get(latest.screening.instrument_id)
        if instrument is None:
            continue
        now = queries.entries(latest.scores)
        changes: dict[str, Change] = {}
        if with_changes and latest.previous:
            before = queries.entries(latest.previous_scores)
            changes = {c.domain_id: c for c in compare(list(now), before, now)}
        rows = [
            PanelRow(
                d.label(locale),
                bar(d.label(locale), now[d.id]),
                latest.signals.get(d.id, []),
                changes.get(d.id),
                now[d.id].score,
            )
            for d in instrument.domains
            if d.id in now and not now[d.id].blank
        ]
        name = persons.get(latest.screening.person_id or -1, str(_("The whole household")))
        items.append(PanelItem(name, latest, instrument, rows))
    return items


def _context(access: PlanAccess, locale: str) -> dict[str, Any]:
    """The overview is one phone screen: the newest check with only the areas that need
    attention, the other people's newest checks as one line each; every check is one link
    away."""
    items = sorted(
        latest_items(access, locale),
        key=lambda i: (i.latest.screening.moment, i.latest.screening.id),
        reverse=True,
    )
    for item in items:
        item.others = sum(1 for r in item.rows if not r.needs_attention)
        item.rows = [r for r in item.rows if r.needs_attention]
    return {
        "latest": items,
        "legend": legend() if items and items[0].rows else "",
        "hidden": sum(queries.hidden_counts(access).values()) if not items else 0,
    }


register_overview_panel("screening", order=10, template="screening/_panel.html", context=_context)
