"""Screening instruments are data: YAML files validated against instrument.schema.json.

The shipped files live in ``instruments/``; an organisation adds its own (for instance with
licensed criteria texts it holds) by pointing SCREENING_INSTRUMENTS_DIR at a folder of files.
A broken file stops the app at start-up with a message naming the file and the field.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from samenplan import domains
from samenplan.plans.rules import age_on

HERE = Path(__file__).resolve().parent
SHIPPED_DIR = HERE / "instruments"
SCHEMA_PATH = HERE / "instrument.schema.json"


class InstrumentError(RuntimeError):
    """An instrument file cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Text:
    nl: str
    en: str

    def __call__(self, locale: str) -> str:
        return self.en if locale == "en" else self.nl


@dataclass(frozen=True)
class Domain:
    id: str
    label: Text
    description: Text
    supplement: str | None = None
    criteria: dict[int, Text] | None = None
    #: the life area as a family member would name it, with a one-line example
    family_label: Text | None = None
    example: Text | None = None

    @property
    def plain(self) -> Text:
        return self.family_label or self.label


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    name: Text
    credit: Text | None
    for_whom: str  # adult | youth | household
    min_age: int | None
    max_age: int | None
    scale: dict[int, Text]
    not_applicable: Text
    domains: tuple[Domain, ...]
    source: str
    #: the scores and "does not apply" in the family's words (else the professional ones)
    family_scale: dict[int, Text] | None = None
    family_not_applicable: Text | None = None

    def domain(self, domain_id: str) -> Domain | None:
        return next((d for d in self.domains if d.id == domain_id), None)

    def fits_age(self, age: int) -> bool:
        return (self.min_age is None or age >= self.min_age) and (
            self.max_age is None or age <= self.max_age
        )


def _text(data: dict[str, str]) -> Text:
    return Text(nl=data["nl"], en=data["en"])


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def parse_instrument(path: Path) -> Instrument:
    """Read and validate one instrument file."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InstrumentError(f"{path.name}: cannot be read as YAML: {exc}") from exc
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        field = ".".join(str(p) for p in first.absolute_path) or "(top level)"
        raise InstrumentError(f"{path.name}: field {field}: {first.message}")
    ids = [d["id"] for d in data["domains"]]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise InstrumentError(f"{path.name}: field domains: domain id {duplicate!r} appears twice")
    family = data.get("family")
    for field, scale in (("scale", data["scale"]), ("family.scale", (family or {}).get("scale"))):
        if scale is not None and sorted(s["value"] for s in scale) != [1, 2, 3, 4, 5]:
            raise InstrumentError(f"{path.name}: field {field}: needs the values 1 to 5 once each")
    return Instrument(
        id=data["id"],
        version=data["version"],
        name=_text(data["name"]),
        credit=_text(data["credit"]) if "credit" in data else None,
        for_whom=data["for_whom"],
        min_age=data["age_range"]["min"],
        max_age=data["age_range"]["max"],
        scale={s["value"]: Text(s["nl"], s["en"]) for s in data["scale"]},
        not_applicable=_text(data["not_applicable"]),
        domains=tuple(
            Domain(
                id=d["id"],
                label=Text(d["nl"], d["en"]),
                description=_text(d["description"]),
                supplement=d.get("supplement"),
                criteria={int(k): _text(v) for k, v in d["criteria"].items()}
                if "criteria" in d
                else None,
                family_label=Text(d["family"]["nl"], d["family"]["en"]) if "family" in d else None,
                example=_text(d["family"]["example"]) if "family" in d else None,
            )
            for d in data["domains"]
        ),
        source=path.name,
        family_scale={s["value"]: Text(s["nl"], s["en"]) for s in family["scale"]}
        if family
        else None,
        family_not_applicable=_text(family["not_applicable"]) if family else None,
    )


class Registry:
    """All instruments by id, in a stable order (shipped first)."""

    def __init__(self, instruments: Iterable[Instrument]) -> None:
        self._by_id: dict[str, Instrument] = {}
        for instrument in instruments:
            if instrument.id in self._by_id:
                raise InstrumentError(
                    f"{instrument.source}: field id: instrument {instrument.id!r} is also defined "
                    f"in {self._by_id[instrument.id].source}"
                )
            self._by_id[instrument.id] = instrument

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._by_id.values())

    def get(self, instrument_id: str) -> Instrument | None:
        return self._by_id.get(instrument_id)

    def for_household(self) -> list[Instrument]:
        return [i for i in self if i.for_whom == "household"]

    def for_person(self, age: int | None) -> list[Instrument]:
        """Instruments that fit a person of this age (unknown age: adult instruments)."""
        people = [i for i in self if i.for_whom != "household"]
        if age is None:
            return [i for i in people if i.for_whom == "adult"]
        return [i for i in people if i.fits_age(age)]

    def default(self, *, household: bool, age: int | None) -> Instrument | None:
        options = self.for_household() if household else self.for_person(age)
        return options[0] if options else None


def load_registry(extra_dirs: Iterable[str | Path] = ()) -> Registry:
    files = sorted(SHIPPED_DIR.glob("*.yaml"))
    for folder in extra_dirs:
        path = Path(folder)
        if not path.is_dir():
            raise InstrumentError(f"{path}: SCREENING_INSTRUMENTS_DIR is not a folder")
        files.extend(sorted(path.glob("*.yaml")))
    order = {"zrm-2017": 0, "zrm-j": 1, "zrm-huishouden": 2}
    instruments = sorted(
        (parse_instrument(f) for f in files), key=lambda i: (order.get(i.id, 9), i.id)
    )
    return Registry(instruments)


def registry() -> Registry:
    """The app's instruments (loaded and validated once, in create_app)."""
    from flask import current_app

    found = current_app.extensions.get("samenplan_instruments")
    if not isinstance(found, Registry):
        raise RuntimeError("instruments not loaded; create_app() loads them")
    return found


def today_age(date_of_birth: dt.date | None, today: dt.date) -> int | None:
    return age_on(date_of_birth, today) if date_of_birth else None


domains.register_shipped_instruments(load_registry)
