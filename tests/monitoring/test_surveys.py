"""The satisfaction survey: offered after an evaluation and at closure, never forced,
answered once, and nobody but the respondent sees the answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select

from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.audit.models import AuditEvent
from samenplan.clock import utcnow
from samenplan.extensions import db
from samenplan.monitoring.models import SurveyAnswer, SurveyGroup, SurveyResponse
from samenplan.plans.models import PlanStatus
from tests.scenario import Scenario

ANSWERS = {"q_helps": "4", "q_heard": "5", "q_grade": "8", "remark": "Fijn dat Sanne er was."}


def _evaluation(scenario: Scenario, days_ago: int) -> AgendaItem:
    item = AgendaItem(
        plan_id=scenario.a.plan.id,
        title="Evaluatie",
        kind=AgendaKind.EVALUATION,
        starts_at=utcnow() - dt.timedelta(days=days_ago),
        shared_with_network=True,
        expected=[],
    )
    db.session.add(item)
    db.session.commit()
    return item


def _responses() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyResponse)) or 0


def test_no_survey_without_an_evaluation_or_closure(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    assert "Wat vind je ervan?" not in as_persona("client").get(f"/plans/{pid}/").get_data(True)
    page = as_persona("client").get(f"/plans/{pid}/survey").get_data(as_text=True)
    assert "Er zijn nu geen vragen voor je" in page
    as_persona("client").post(f"/plans/{pid}/survey", data=ANSWERS)
    assert _responses() == 0
    _evaluation(scenario, days_ago=60)  # too long ago: not offered any more
    assert "Wat vind je ervan?" not in as_persona("client").get(f"/plans/{pid}/").get_data(True)


def test_after_an_evaluation_the_family_answers_once(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    item = _evaluation(scenario, days_ago=2)
    family = as_persona("client")
    overview = family.get(f"/plans/{pid}/").get_data(as_text=True)
    assert "Wat vind je ervan?" in overview and "Beantwoord de vragen" in overview
    form = family.get(f"/plans/{pid}/survey").get_data(as_text=True)
    assert "De hulp helpt ons verder." in form and "Klopt helemaal" in form
    response = family.post(f"/plans/{pid}/survey", data=ANSWERS)
    assert response.status_code == 303
    family.post(f"/plans/{pid}/survey", data={**ANSWERS, "q_grade": "2"})  # back and again
    saved = db.session.scalars(select(SurveyResponse)).one()
    assert (saved.group, saved.occasion) == (SurveyGroup.FAMILY, f"evaluation-{item.id}")
    answers = dict(
        db.session.execute(
            select(SurveyAnswer.question_id, SurveyAnswer.value).where(
                SurveyAnswer.response_id == saved.id
            )
        ).all()
    )
    assert answers == {"helps": 4, "heard": 5, "grade": 8}  # the first answers are kept
    assert "Bedankt voor je antwoorden" in family.get(f"/plans/{pid}/").get_data(as_text=True)
    # the audit trail says that someone answered, never what
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "survey.answered")
    ).one()
    assert "8" not in str(event.details or "") and "Sanne" not in str(event.details or "")


def test_others_never_see_the_answers(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    _evaluation(scenario, days_ago=2)
    as_persona("client").post(f"/plans/{pid}/survey", data=ANSWERS)
    for persona in ("coordinator", "professional", "network", "team_lead"):
        for path in (f"/plans/{pid}/", f"/plans/{pid}/survey", f"/plans/{pid}/logbook"):
            page = as_persona(persona).get(path).get_data(as_text=True)
            assert "Fijn dat Sanne er was" not in page, (persona, path)
    # the network gets its own questions
    page = as_persona("network").get(f"/plans/{pid}/survey").get_data(as_text=True)
    assert "Ik doe genoeg mee in het plan." in page


def test_a_closed_plan_offers_the_survey_to_every_participant(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    scenario.a.plan.status = PlanStatus.CLOSED
    db.session.commit()
    pid = scenario.a.plan.public_id
    professional = as_persona("professional")
    assert "Het plan is afgesloten. Vier korte vragen" in professional.get(
        f"/plans/{pid}/"
    ).get_data(as_text=True)
    assert professional.post(f"/plans/{pid}/survey", data={"q_together": "3"}).status_code == 303
    saved = db.session.scalars(select(SurveyResponse)).one()
    assert (saved.group, saved.occasion) == (SurveyGroup.PROFESSIONAL, "closure")


def test_odd_answers_are_refused_and_kept(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    _evaluation(scenario, days_ago=1)
    family = as_persona("client")
    page = family.post(f"/plans/{pid}/survey", data={"q_grade": "11", "remark": "Mijn tekst"})
    assert page.status_code == 200 and "Mijn tekst" in page.get_data(as_text=True)
    empty = family.post(f"/plans/{pid}/survey", data={})
    assert "Beantwoord minstens één vraag" in empty.get_data(as_text=True)
    assert _responses() == 0
