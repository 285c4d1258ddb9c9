"""The shared language of life domains (leefgebieden).

Plans and screenings speak of the same domains: the union of the domains of the instrument
definition files in ``screening/instruments/``, in file order (adult instrument first). This
module only reads those data files; the screening module validates and uses them in full.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "screening" / "instruments"
#: The instrument whose domain order comes first in lists.
PRIMARY_INSTRUMENT = "zrm-2017"


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


@functools.cache
def life_domains() -> dict[str, LifeDomain]:
    """Every domain id → its labels, ordered for display."""
    files = sorted(
        INSTRUMENTS_DIR.glob("*.yaml"), key=lambda p: (p.stem != PRIMARY_INSTRUMENT, p.stem)
    )
    domains: dict[str, LifeDomain] = {}
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data["domains"]:
            domains.setdefault(
                item["id"],
                LifeDomain(
                    id=item["id"],
                    nl=item["nl"],
                    en=item["en"],
                    description_nl=item["description"]["nl"],
                    description_en=item["description"]["en"],
                ),
            )
    return domains


def domain_label(domain_id: str, locale: str) -> str:
    domain = life_domains().get(domain_id)
    return domain.label(locale) if domain else domain_id
