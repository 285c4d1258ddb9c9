"""The Dutch municipalities (gemeenten) with their CBS codes, from the data file shipped with
the app (``data/municipalities.csv``: code, name, province). A plan names its household's
municipality by code; a policy officer's account names the codes they may monitor. When
municipalities merge (usually on 1 January), replace the file and keep the old codes of plans
as they are: the monitor shows an unknown code by the code itself."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    province: str


@functools.cache
def municipalities() -> dict[str, Municipality]:
    """All municipalities by CBS code (``GM0080``), in the order of their names."""
    text = resources.files("samenplan").joinpath("data/municipalities.csv").read_text("utf-8")
    rows = [
        Municipality(r["code"], r["name"], r["province"]) for r in csv.DictReader(text.splitlines())
    ]
    return {m.code: m for m in sorted(rows, key=lambda m: m.name.lower().removeprefix("'s-"))}


def name_of(code: str | None) -> str:
    """The municipality's name; an unknown (or former) code as itself."""
    if not code:
        return ""
    found = municipalities().get(code)
    return found.name if found else code


def choices() -> list[tuple[str, str]]:
    """(code, name) for a select, by name."""
    return [(m.code, m.name) for m in municipalities().values()]
