"""The shared language of life domains (leefgebieden).

Plans and screenings speak of the same domains: the union of the domains of the screening
instruments (data files, see ``screening/instruments.py``), adult instrument first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from samenplan.screening.instruments import Instrument


@dataclass(frozen=True)
class LifeDomain:
    id: str
    nl: str
    en: str
    description_nl: str
    description_en: str

    def label(self, locale: str) -> str:
        return self.en if locale == "en" else self.nl

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" else self.description_nl


#: where the shipped instruments come from when there is no app: the screening feature
#: registers its loader (``screening.instruments``); this module sits beneath it
_shipped_loader: Callable[[], Iterable[Instrument]] | None = None


def register_shipped_instruments(loader: Callable[[], Iterable[Instrument]]) -> None:
    global _shipped_loader
    _shipped_loader = loader
    _shipped.cache_clear()


@functools.cache
def _shipped() -> dict[str, LifeDomain]:
    if _shipped_loader is None:
        raise RuntimeError("no instruments registered: import samenplan.screening.instruments")
    return _collect(_shipped_loader())


def _collect(instruments: Iterable[Instrument]) -> dict[str, LifeDomain]:
    domains: dict[str, LifeDomain] = {}
    for instrument in instruments:
        for d in instrument.domains:
            domains.setdefault(
                d.id, LifeDomain(d.id, d.label.nl, d.label.en, d.description.nl, d.description.en)
            )
    return domains


def life_domains() -> dict[str, LifeDomain]:
    """Every domain id → its labels, ordered for display: the domains of the app's
    instruments (shipped and the organisation's own), adult instrument first."""
    from flask import current_app, has_app_context

    if has_app_context() and "samenplan_instruments" in current_app.extensions:
        cached = current_app.extensions.get("samenplan_domains")
        if cached is None:
            cached = _collect(current_app.extensions["samenplan_instruments"])
            current_app.extensions["samenplan_domains"] = cached
        return dict(cached)
    return _shipped()


def domain_label(domain_id: str, locale: str) -> str:
    domain = life_domains().get(domain_id)
    return domain.label(locale) if domain else domain_id
