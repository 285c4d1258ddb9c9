"""Filling in, completing, correcting, the family's own view, signals and visibility."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.extensions import db
from samenplan.screening.models import DomainScore, Perspective, Screening, ScreeningStatus
from tests.scenario import Scenario

HOUSEHOLD_DOMAINS = [
    "household_finances",
    "housing",
    "household_organisation",
    "relations_at_home",
    "social_environment",
    "family_structure",
    "physical_care",
    "emotional_support",
    "socialisation",
    "childcare",
    "schooling",
]


def _fill(values: dict[str, tuple[str, str, str, str]], **extra: str) -> dict[str, str]:
    data = dict(extra)
    for domain, (score, own, network, professional) in values.items():
        data.update(
            {
                f"d-{domain}-score": score,
                f"d-{domain}-own": own,
                f"d-{domain}-network": network,
                f"d-{domain}-professional": professional,
            }
        )
    return data


def _scores(screening_id: int) -> dict[str, DomainScore]:
    return {
        s.domain_id: s
        for s in db.session.scalars(
            select(DomainScore).where(DomainScore.screening_id == screening_id)
        )
    }


def test_professional_starts_fills_in_and_completes(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    c = as_persona("professional")
    started = c.post(
        f"/plans/{pid}/screenings/new",
        data={
            "start-subject": str(scenario.a.persons["parent"].id),
            "start-instrument": "zrm-2017",
            "start-moment": "2026-11-01",
        },
    )
    assert started.status_code == 303
    screening = db.session.scalars(select(Screening).order_by(Screening.id.desc())).first()
    assert screening is not None and screening.status == ScreeningStatus.DRAFT
    url = f"/plans/{pid}/screenings/{screening.id}/edit"
    # a draft with one domain filled is fine
    assert (
        c.post(url, data=_fill({"finances": ("3", "40", "20", "40")}, finish="draft")).status_code
        == 303
    )
    assert _scores(screening.id)["finances"].own_share == 40
    # completing needs every domain
    incomplete = c.post(url, data=_fill({"finances": ("3", "40", "20", "40")}, finish="complete"))
    assert incomplete.status_code == 200 and "Kies een score of" in incomplete.get_data(
        as_text=True
    )
    domains = list(_scores(screening.id))
    everything = _fill({d: ("4", "60", "30", "10") for d in domains}, finish="complete")
    everything["d-justice-not_applicable"] = "y"
    everything.update(
        {
            "d-justice-score": "",
            "d-justice-own": "",
            "d-justice-network": "",
            "d-justice-professional": "",
        }
    )
    assert c.post(url, data=everything).status_code == 303
    db.session.refresh(screening)
    assert (
        screening.status == ScreeningStatus.COMPLETED
        and _scores(screening.id)["justice"].not_applicable
    )
    # completed is read-only
    assert c.get(url).status_code == 403
    page = c.get(f"/plans/{pid}/screenings/{screening.id}").get_data(as_text=True)
    assert "Financiën: 4 van 5; 60% eigen kracht, 30% netwerk, 10% hulpverlening" in page


def test_shares_that_do_not_add_up_are_refused_and_kept(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    draft = scenario.a.draft_screening
    url = f"/plans/{scenario.a.plan.public_id}/screenings/{draft.id}/edit"
    data = _fill({"housing": ("3", "50", "30", "30")}, finish="draft")
    data["d-housing-situation"] = "Schimmel in de slaapkamer"
    response = as_persona("coordinator").post(url, data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "De drie delen moeten samen 100 zijn." in body
    assert 'value="50"' in body and 'value="30"' in body and "Schimmel in de slaapkamer" in body
    assert 'href="#d-housing-own"' in body  # the error summary links to the field
    assert _scores(draft.id)["housing"].score is None  # nothing stored


def test_quick_choice_fills_the_shares_without_losing_other_input(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    draft = scenario.a.draft_screening
    url = f"/plans/{scenario.a.plan.public_id}/screenings/{draft.id}/edit"
    data = _fill({"housing": ("4", "", "", "")}, preset="housing:own")
    data["general_picture"] = "Goed gesprek"
    body = as_persona("coordinator").post(url, data=data).get_data(as_text=True)
    assert (
        'id="d-housing-own" inputmode="numeric" name="d-housing-own" type="number" value="100"'
        in body
        or ('name="d-housing-own"' in body and 'value="100"' in body)
    )
    assert "Goed gesprek" in body


def test_correction_makes_a_new_version_and_keeps_both(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid, original = scenario.a.plan.public_id, scenario.a.screening
    c = as_persona("coordinator")
    assert (
        c.post(f"/plans/{pid}/screenings/{original.id}/correct", data={"reason": ""}).status_code
        == 200
    )
    response = c.post(
        f"/plans/{pid}/screenings/{original.id}/correct",
        data={"reason": "Verkeerde datum genoteerd"},
    )
    assert response.status_code == 303
    copy = db.session.scalars(select(Screening).where(Screening.corrects_id == original.id)).one()
    assert _scores(copy.id)["finances"].own_share == 30  # starts from the original values
    domains = list(_scores(copy.id))
    done = c.post(
        f"/plans/{pid}/screenings/{copy.id}/edit",
        data=_fill({d: ("4", "40", "30", "30") for d in domains}, finish="complete"),
    )
    assert done.status_code == 303
    db.session.refresh(original)
    assert original.superseded_at is not None and _scores(original.id)["finances"].own_share == 30
    old_page = c.get(f"/plans/{pid}/screenings/{original.id}").get_data(as_text=True)
    assert "Deze versie is gecorrigeerd." in old_page
    assert "Verkeerde datum genoteerd" in c.get(f"/plans/{pid}/screenings/{copy.id}").get_data(
        as_text=True
    )


def test_family_adds_own_view_and_differences_are_marked(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid, reference = scenario.a.plan.public_id, scenario.a.screening
    family = as_persona("client")
    response = family.post(f"/plans/{pid}/screenings/{reference.id}/own-view")
    assert response.status_code == 303
    view = db.session.scalars(select(Screening).where(Screening.view_of_id == reference.id)).one()
    assert view.perspective == Perspective.CLIENT
    domains = list(_scores(view.id))
    values = {d: ("4", "30", "30", "40") for d in domains}
    values["finances"] = ("2", "20", "20", "60")
    assert (
        family.post(
            f"/plans/{pid}/screenings/{view.id}/edit", data=_fill(values, finish="complete")
        ).status_code
        == 303
    )
    page = (
        as_persona("coordinator")
        .get(f"/plans/{pid}/screenings/{reference.id}")
        .get_data(as_text=True)
    )
    assert page.count("De kijk verschilt 2 punten of meer.") == 1
    assert (
        "Financiën: 2 van 5; 20% eigen kracht" in page
    )  # the family's bar beside the professional's
    # the professional cannot fill in the family's view
    assert (
        as_persona("coordinator").get(f"/plans/{pid}/screenings/{view.id}/edit").status_code == 403
    )


def test_signals_and_shifts_show_on_the_screening_and_the_overview(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid, latest = scenario.a.plan.public_id, scenario.a.screening
    page = as_persona("client").get(f"/plans/{pid}/screenings/{latest.id}").get_data(as_text=True)
    # from 2 (20/20/60) to 4 (30/30/40): better, with less professional help; and own < 50 at a 4
    assert "minder hulp mogelijk" in page and "let op: leunt op anderen" in page
    assert "▲ +2" in page and "▼ -20 punten" in page
    overview = as_persona("client").get(f"/plans/{pid}/").get_data(as_text=True)
    assert "Laatste krachtenmetingen" in overview and "let op: leunt op anderen" in overview


def test_network_sees_only_shared_screenings(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    scenario.a.screening.shared_with_network = False
    db.session.commit()
    network = as_persona("network")
    assert network.get(f"/plans/{pid}/screenings/{scenario.a.screening.id}").status_code == 404
    assert (
        network.get(f"/plans/{pid}/screenings/{scenario.a.earlier_screening.id}").status_code == 200
    )
    assert (
        as_persona("client").get(f"/plans/{pid}/screenings/{scenario.a.screening.id}").status_code
        == 200
    )


def test_add_a_goal_for_a_domain_prefills_it(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid, person = scenario.a.plan.public_id, scenario.a.persons["parent"]
    page = (
        as_persona("client")
        .get(f"/plans/{pid}/goals/new?domain=finances&person={person.id}")
        .get_data(as_text=True)
    )
    assert '<option selected value="finances">' in page
    assert f'<option selected value="{person.id}">' in page


def test_household_instrument_has_the_childrens_supplement(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    draft = scenario.a.draft_screening
    page = as_persona("coordinator").get(
        f"/plans/{scenario.a.plan.public_id}/screenings/{draft.id}/edit"
    )
    body = page.get_data(as_text=True)
    for domain in HOUSEHOLD_DOMAINS:
        assert f'id="d-{domain}"' in body
