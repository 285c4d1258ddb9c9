"""The family's own view, one life area per step: plain words, a pictured split instead of
three percentages, skip and "I don't know", each step stored at once and the view opening
where it was left; who filled in a view; what a network member reads about checks they
may not see."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.extensions import db
from samenplan.screening.instruments import registry
from samenplan.screening.models import DomainScore, Screening
from tests.scenario import Scenario, make_screening


def _start(family: FlaskClient, pid: str, reference_id: int) -> str:
    started = family.post(f"/plans/{pid}/screenings/{reference_id}/own-view")
    assert started.status_code == 303
    return str(started.headers["Location"])


def _areas(view_id: int) -> list[DomainScore]:
    return list(
        db.session.scalars(
            select(DomainScore)
            .where(DomainScore.screening_id == view_id)
            .order_by(DomainScore.position)
            .execution_options(populate_existing=True)
        )
    )


def test_the_family_goes_through_the_areas_one_at_a_time(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid, reference = scenario.a.plan.public_id, scenario.a.screening
    assert reference is not None
    family = as_persona("client")
    steps = _start(family, pid, reference.id)
    first = family.get(steps)
    assert first.headers["Location"].endswith("/steps/1")
    page = family.get(first.headers["Location"]).get_data(as_text=True)
    # plain words from the instrument's family labels, no percentages to add up
    assert "Deel 1 van 13" in page and '<h1 class="utrecht-heading-1">Geld</h1>' in page
    assert "Bijvoorbeeld: Rondkomen" in page and "Het gaat goed genoeg." in page
    assert "Samen met familie, vrienden of buren" in page and "%" not in page.split("<main")[1]
    base = first.headers["Location"].rsplit("/", 1)[0]

    answered = family.post(f"{base}/1", data={"go": "next", "answer": "4", "split": "together"})
    assert answered.headers["Location"].endswith("/steps/2")
    assert family.post(f"{base}/2", data={"go": "skip", "answer": "2"}).status_code == 303
    assert family.post(f"{base}/3", data={"go": "next", "answer": "unknown"}).status_code == 303
    # a score without who helps: asked again, nothing stored
    missing = family.post(f"{base}/4", data={"go": "next", "answer": "3"})
    assert missing.status_code == 200 and "Kies wie er helpt." in missing.get_data(as_text=True)
    nothing = family.post(f"{base}/4", data={"go": "next"})
    assert "Kies hoe het gaat, of sla dit over." in nothing.get_data(as_text=True)

    view = db.session.scalars(select(Screening).where(Screening.view_of_id == reference.id)).one()
    money, work, day, housing = _areas(view.id)[:4]
    assert (money.score, money.own_share, money.network_share, money.professional_share) == (
        4,
        50,
        50,
        0,
    )
    assert work.answered_at is not None and work.score is None and not work.dont_know
    assert day.dont_know and day.score is None and day.answered_at is not None
    assert housing.answered_at is None
    # the phone locked: the view opens at the first area not answered yet
    assert family.get(steps).headers["Location"].endswith("/steps/4")
    # going back shows what was chosen
    back = family.get(f"{base}/1").get_data(as_text=True)
    assert re.search(r'value="4" checked', back) and re.search(r'value="together" checked', back)

    done = family.get(f"{base}/done").get_data(as_text=True)
    assert "Overgeslagen" in done and "Ik weet het niet" in done and "Nog niet beantwoord" in done
    finished = family.post(
        f"{base}/done", data={"general_picture": "Het gaat beter dan vorig jaar."}
    )
    assert finished.headers["Location"].endswith(f"/screenings/{view.id}")
    db.session.refresh(view)
    assert view.completed and view.general_picture == "Het gaat beter dan vorig jaar."
    shown = family.get(f"/plans/{pid}/screenings/{view.id}").get_data(as_text=True)
    assert "weet het niet" in shown
    # a completed view is not filled in again step by step
    assert family.get(f"{base}/1").status_code == 403


def test_only_the_author_fills_in_their_view(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid, reference = scenario.a.plan.public_id, scenario.a.screening
    assert reference is not None
    steps = _start(as_persona("client"), pid, reference.id)
    for persona in ("coordinator", "network"):
        assert as_persona(persona).get(f"{steps}/1").status_code == 403, persona
    # a professional's check is not a family's step-by-step view
    assert (
        as_persona("client").get(f"/plans/{pid}/screenings/{reference.id}/steps/1").status_code
        == 404
    )


def test_a_view_says_who_filled_it_in(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    """The parent's view of the child's check reads as the parent's, not as the child's."""
    a = scenario.a
    check = make_screening(
        a.plan,
        a.persons["child"],
        scenario.users["coordinator"],
        days_ago=1,
        values=(3, 40, 30, 30),
    )
    db.session.commit()
    pid = a.plan.public_id
    family = as_persona("client")
    _start(family, pid, check.id)
    view = db.session.scalars(select(Screening).where(Screening.view_of_id == check.id)).one()
    name = scenario.users["client"].name
    assert f"kijk van {name} op Kind" in family.get(f"/plans/{pid}/screenings").get_data(
        as_text=True
    )
    assert f"kijk van {name} op Kind" in family.get(f"/plans/{pid}/screenings/{view.id}").get_data(
        as_text=True
    )


def test_the_network_reads_that_there_are_checks_it_cannot_see(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    a = scenario.a
    for screening in db.session.scalars(select(Screening).where(Screening.plan_id == a.plan.id)):
        screening.shared_with_network = False
    db.session.commit()
    network = as_persona("network")
    page = network.get(f"/plans/{a.plan.public_id}/screenings").get_data(as_text=True)
    assert "Er zijn 2 krachtenmetingen die niet met jou zijn gedeeld." in page
    overview = network.get(f"/plans/{a.plan.public_id}/").get_data(as_text=True)
    assert "niet met jou zijn gedeeld" in overview and "Nog geen krachtenmeting" not in overview
    # the family sees them all, and reads no such line
    family = as_persona("client").get(f"/plans/{a.plan.public_id}/screenings")
    assert "niet met jou" not in family.get_data(as_text=True)


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_instrument_has_family_words(app: Flask, locale: str) -> None:
    """Reviewed B1 wording: five plain scores, 'does not apply', and per life area a plain
    name with an example, in Dutch and English; no professional jargon in them."""
    jargon = re.compile(r"ADL|socialis|participatie|participation|zelfredzaam|self-relian", re.I)
    with app.app_context():
        for instrument in registry():
            assert instrument.family_scale and instrument.family_not_applicable, instrument.id
            texts = [t(locale) for t in instrument.family_scale.values()]
            texts.append(instrument.family_not_applicable(locale))
            for domain in instrument.domains:
                assert domain.family_label and domain.example, (instrument.id, domain.id)
                texts += [domain.family_label(locale), domain.example(locale)]
            assert len(set(texts)) == len(texts), instrument.id  # every choice reads apart
            for text in texts:
                assert not jargon.search(text), (instrument.id, text)
                # short sentences: a B1 reader reads a choice at a glance
                assert len(text.split()) <= 15, (instrument.id, text)


def test_each_area_over_all_checks_and_any_two_compared(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    a = scenario.a
    assert a.screening is not None and a.earlier_screening is not None
    middle = make_screening(
        a.plan,
        a.persons["parent"],
        scenario.users["coordinator"],
        days_ago=30,
        values=(3, 25, 25, 50),
    )
    db.session.commit()
    pro = as_persona("coordinator")
    index = pro.get(f"/plans/{a.plan.public_id}/screenings").get_data(as_text=True)
    # any two: both lists hold every check, the first and the newest chosen
    assert index.count(f'<option value="{middle.id}">') == 2
    assert f'<option value="{a.earlier_screening.id}" selected>' in index
    assert f'<option value="{a.screening.id}" selected>' in index
    picked = pro.get(
        f"/plans/{a.plan.public_id}/screenings/compare?a={middle.id}&b={a.screening.id}"
    )
    assert picked.status_code == 200
    page = pro.get(
        f"/plans/{a.plan.public_id}/screenings/timeline/{a.persons['parent'].id}"
    ).get_data(as_text=True)
    # every area is a line across all three checks, the oldest first
    assert "Financiën: 2 of 5" not in page  # the page is Dutch
    for score in ("Financiën: 2 van 5", "Financiën: 3 van 5", "Financiën: 4 van 5"):
        assert score in page, score
    assert page.index("Financiën: 2 van 5") < page.index("Financiën: 3 van 5")
    assert pro.get(f"/plans/{a.plan.public_id}/screenings/timeline/999999").status_code == 404


def test_contradictory_signals_get_one_explanation(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    """Score 4 with little own strength ("relies on others") while professional help went
    down ("less help may be possible"): one combined line, not two that contradict."""
    a = scenario.a
    assert a.screening is not None
    page = (
        as_persona("coordinator")
        .get(f"/plans/{a.plan.public_id}/screenings/{a.screening.id}")
        .get_data(as_text=True)
    )
    assert "gaat goed, met veel hulp" in page and "Praat samen over wie wat kan overnemen" in page
    assert "leunt op anderen" not in page and "minder hulp mogelijk" not in page
