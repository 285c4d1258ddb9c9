"""Filling in, completing, correcting, the family's own view, signals and visibility."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from samenplan.accounts.models import Role, User
from samenplan.extensions import db
from samenplan.plans.models import PlanRole
from samenplan.screening.instruments import registry
from samenplan.screening.models import DomainScore, Perspective, Screening, ScreeningStatus
from tests.scenario import Scenario, join, make_screening, new_user

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
    # from 2 (20/20/60) to 4 (30/30/40): better, with less professional help; and own < 50 at
    # a 4 — the two signals together read as one (test_family_steps has the words)
    assert "gaat goed, met veel hulp" in page
    assert "▲ +2" in page and "▼ -20 punten" in page
    overview = as_persona("client").get(f"/plans/{pid}/").get_data(as_text=True)
    assert "Laatste krachtenmetingen" in overview and "gaat goed, met veel hulp" in overview


def test_overview_shows_only_the_areas_that_need_attention(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    plan = scenario.a.plan
    check = make_screening(
        plan, None, scenario.users["professional"], days_ago=0, values=(4, 70, 20, 10)
    )
    finances = _scores(check.id)["finances"]
    finances.score, finances.own_share, finances.network_share = 1, 10, 10
    finances.professional_share = 80
    db.session.commit()
    overview = as_persona("client").get(f"/plans/{plan.public_id}/").get_data(as_text=True)
    section = overview.split('id="screening-title"')[1].split("</section>")[0]
    section = section.split("Het hele gezin")[1]  # the new check, after the scenario's
    assert "Financiën" in section and "Huisvesting" not in section
    others = sum(1 for d in registry().get("zrm-2017").domains) - 1  # type: ignore[union-attr]
    assert f"{others} andere levensgebieden zonder aandachtspunt" in section
    assert f"/screenings/{check.id}" in section


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


def _own_view(scenario: Scenario, author: User, scores: dict[str, int] | None = None) -> Screening:
    """A completed own view of plan A's reference screening (every domain 4 unless given)."""
    view = make_screening(
        scenario.a.plan,
        scenario.a.persons["parent"],
        author,
        days_ago=5,
        values=(4, 30, 30, 40),
        perspective=Perspective.CLIENT,
        view_of=scenario.a.screening,
    )
    for domain, score in (scores or {}).items():
        _scores(view.id)[domain].score = score
    db.session.commit()
    return view


def test_own_view_button_shows_a_completed_own_view_instead_of_refusing(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid, reference = scenario.a.plan.public_id, scenario.a.screening
    family = as_persona("client")
    started = family.post(f"/plans/{pid}/screenings/{reference.id}/own-view")
    view = db.session.scalars(select(Screening).where(Screening.view_of_id == reference.id)).one()
    assert started.headers["Location"].endswith(f"/screenings/{view.id}/steps")  # a draft
    domains = list(_scores(view.id))
    assert (
        family.post(
            f"/plans/{pid}/screenings/{view.id}/edit",
            data=_fill({d: ("3", "30", "30", "40") for d in domains}, finish="complete"),
        ).status_code
        == 303
    )
    again = family.post(f"/plans/{pid}/screenings/{reference.id}/own-view")
    assert again.status_code == 303
    assert again.headers["Location"].endswith(f"/plans/{pid}/screenings/{view.id}")
    followed = family.post(
        f"/plans/{pid}/screenings/{reference.id}/own-view", follow_redirects=True
    )
    assert followed.status_code == 200
    assert followed.request.path == f"/plans/{pid}/screenings/{view.id}"
    assert (
        db.session.scalar(
            select(func.count()).select_from(Screening).where(Screening.view_of_id == reference.id)
        )
        == 1
    )  # no second view was started


def test_own_view_button_after_a_correction_goes_to_the_newest_version(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid, reference = scenario.a.plan.public_id, scenario.a.screening
    original = _own_view(scenario, scenario.users["client"])
    family = as_persona("client")
    assert (
        family.post(
            f"/plans/{pid}/screenings/{original.id}/correct", data={"reason": "Verkeerd ingevuld"}
        ).status_code
        == 303
    )
    copy = db.session.scalars(select(Screening).where(Screening.corrects_id == original.id)).one()
    # while the correction is a draft, the button continues filling it in
    pending = family.post(f"/plans/{pid}/screenings/{reference.id}/own-view")
    assert pending.headers["Location"].endswith(f"/screenings/{copy.id}/steps")
    domains = list(_scores(copy.id))
    assert (
        family.post(
            f"/plans/{pid}/screenings/{copy.id}/edit",
            data=_fill({d: ("3", "30", "30", "40") for d in domains}, finish="complete"),
        ).status_code
        == 303
    )
    done = family.post(f"/plans/{pid}/screenings/{reference.id}/own-view", follow_redirects=True)
    assert done.status_code == 200 and done.request.path == f"/plans/{pid}/screenings/{copy.id}"


def test_correct_link_only_for_who_may_correct(
    scenario: Scenario,
    as_persona: Callable[[str], FlaskClient],
    client_as: Callable[[User], FlaskClient],
) -> None:
    pid = scenario.a.plan.public_id
    second_parent = new_user("tweede.ouder@example.test", Role.CLIENT)
    db.session.flush()
    join(scenario.a.plan, second_parent, PlanRole.CLIENT)
    view = _own_view(scenario, scenario.users["client"])
    page, link = f"/plans/{pid}/screenings/{view.id}", f"/plans/{pid}/screenings/{view.id}/correct"
    assert link in as_persona("client").get(page).get_data(as_text=True)
    other_parent = client_as(second_parent)
    seen = other_parent.get(page)
    assert seen.status_code == 200 and link not in seen.get_data(as_text=True)
    assert other_parent.get(link).status_code == 403  # the link and the page agree
    # a professional neither sees nor may use it on the family's view
    assert link not in as_persona("coordinator").get(page).get_data(as_text=True)
    reference = scenario.a.screening
    reference_page = f"/plans/{pid}/screenings/{reference.id}"
    assert f"{reference_page}/correct" in as_persona("coordinator").get(reference_page).get_data(
        as_text=True
    )
    assert f"{reference_page}/correct" not in other_parent.get(reference_page).get_data(
        as_text=True
    )


def test_difference_sentences_use_the_configured_number_of_points(
    app: Flask,
    scenario: Scenario,
    as_persona: Callable[[str], FlaskClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "VIEW_DIFFERENCE", 3)
    _own_view(scenario, scenario.users["client"], {"finances": 1, "housing": 2})  # 3 and 2 apart
    scenario.users["coordinator"].locale = "en"
    db.session.commit()
    page = (
        as_persona("coordinator")
        .get(f"/plans/{scenario.a.plan.public_id}/screenings/{scenario.a.screening.id}")
        .get_data(as_text=True)
    )
    assert "Differences of 3 or more are marked" in page
    assert page.count("The views differ by 3 or more points.") == 1
    assert "2 or more" not in page
