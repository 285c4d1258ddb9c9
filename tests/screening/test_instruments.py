"""Instruments are data files, validated against a schema; a broken file is named clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from samenplan.screening.instruments import (
    SHIPPED_DIR,
    InstrumentError,
    load_registry,
    parse_instrument,
)

ZRM_DOMAINS = [
    "Financiën",
    "Werk & opleiding",
    "Tijdsbesteding",
    "Huisvesting",
    "Huiselijke relaties",
    "Geestelijke gezondheid",
    "Lichamelijke gezondheid",
    "Middelengebruik",
    "Basale ADL",
    "Instrumentele ADL",
    "Sociaal netwerk",
    "Maatschappelijke participatie",
    "Justitie",
]


def test_shipped_instruments_are_valid_and_complete() -> None:
    registry = load_registry()
    adults, youths, household = (
        registry.get("zrm-2017"),
        registry.get("zrm-j"),
        registry.get("zrm-huishouden"),
    )
    assert adults and youths and household
    assert [d.label.nl for d in adults.domains] == ZRM_DOMAINS
    assert [d.id for d in youths.domains] == [d.id for d in adults.domains]
    assert [d.label.nl for d in household.domains if d.supplement is None] == [
        "Financiën op huishoudniveau",
        "Huisvesting",
        "Organisatie van het huishouden",
        "Relaties in huis",
        "Sociale omgeving",
    ]
    assert [d.label.nl for d in household.domains if d.supplement == "children"] == [
        "Gezinsstructuur",
        "Lichamelijke verzorging",
        "Emotionele ondersteuning",
        "Socialisering",
        "Opvang",
        "Scholing",
    ]
    for instrument in registry:
        assert [instrument.scale[v].nl for v in range(1, 6)] == [
            "acute problematiek",
            "niet zelfredzaam",
            "beperkt zelfredzaam",
            "voldoende zelfredzaam",
            "volledig zelfredzaam",
        ]
        assert all(d.description.nl and d.description.en for d in instrument.domains)


def test_the_default_instrument_follows_age() -> None:
    registry = load_registry()
    assert registry.default(household=False, age=14).id == "zrm-j"  # type: ignore[union-attr]
    assert registry.default(household=False, age=18).id == "zrm-2017"  # type: ignore[union-attr]
    assert registry.default(household=False, age=None).id == "zrm-2017"  # type: ignore[union-attr]
    assert registry.default(household=True, age=None).id == "zrm-huishouden"  # type: ignore[union-attr]
    assert registry.default(household=False, age=8) is None  # under 12: the household instrument


def _broken(
    tmp_path: Path, change: dict[str, object] | None = None, text: str | None = None
) -> Path:
    data = yaml.safe_load((SHIPPED_DIR / "zrm-2017.yaml").read_text())
    data["id"] = "eigen-matrix"
    if change:
        for key, value in change.items():
            target = data
            *path, last = key.split(".")
            for part in path:
                target = target[int(part)] if part.isdigit() else target[part]
            target[last] = value  # type: ignore[index]
    path = tmp_path / "eigen.yaml"
    path.write_text(text if text is not None else yaml.safe_dump(data, allow_unicode=True))
    return path


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"for_whom": "pets"}, "eigen.yaml: field for_whom"),
        ({"domains.2.nl": ""}, "eigen.yaml: field domains.2.nl"),
        ({"scale.0.value": 7}, "eigen.yaml: field scale.0.value"),
        (
            {"domains.1.id": "finances"},
            "eigen.yaml: field domains: domain id 'finances' appears twice",
        ),
        ({"age_range": {"min": 18}}, "eigen.yaml: field age_range"),
    ],
)
def test_a_broken_file_names_the_file_and_field(
    tmp_path: Path, change: dict[str, object], expected: str
) -> None:
    with pytest.raises(InstrumentError, match=expected.replace(".", r"\.").replace("'", ".")):
        parse_instrument(_broken(tmp_path, change))


def test_unreadable_yaml_and_duplicates_are_named(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match=r"eigen\.yaml: cannot be read as YAML"):
        parse_instrument(_broken(tmp_path, text="id: [unclosed"))
    clash = tmp_path / "clash"
    clash.mkdir()
    (clash / "kopie.yaml").write_text((SHIPPED_DIR / "zrm-2017.yaml").read_text())
    with pytest.raises(
        InstrumentError, match=r"kopie\.yaml: field id: instrument 'zrm-2017' is also defined"
    ):
        load_registry([clash])


def test_an_organisation_adds_its_own_instrument_without_code(tmp_path: Path) -> None:
    path = _broken(
        tmp_path, {"domains.0.criteria": {"1": {"nl": "Eigen criterium", "en": "Own criterion"}}}
    )
    registry = load_registry([path.parent])
    own = registry.get("eigen-matrix")
    assert own is not None and own.domains[0].criteria is not None
    assert own.domains[0].criteria[1].nl == "Eigen criterium"


def test_the_app_refuses_to_start_with_a_broken_instrument(tmp_path: Path) -> None:
    from samenplan import create_app

    _broken(tmp_path, {"for_whom": "pets"})
    with pytest.raises(InstrumentError, match=r"eigen\.yaml: field for_whom"):
        create_app({"DATABASE_URL": "sqlite://", "SCREENING_INSTRUMENTS_DIRS": [str(tmp_path)]})
