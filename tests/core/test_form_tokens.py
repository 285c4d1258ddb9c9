"""One-time form tokens: every create form, sent twice with the same token, makes one row
and sends the second post to what the first one made (core/once.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from samenplan.accounts.models import Organisation, Team, User
from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.agreements.models import PlanVersion
from samenplan.clock import local_today, utcnow
from samenplan.core import once
from samenplan.core.models import FormToken
from samenplan.extensions import db
from samenplan.monitoring.models import SurveyResponse
from samenplan.plans.models import (
    Action,
    Goal,
    Invitation,
    LogEntry,
    Person,
    Plan,
    ProgressEntry,
)
from samenplan.reports.models import PrintJob
from samenplan.screening.models import Screening
from tests.scenario import Scenario

REPEAT = "Je had dit al verstuurd. Het is één keer opgeslagen: hier is het."


@dataclass(frozen=True)
class Create:
    """One create form: who sends it, where, with what, and the rows it makes."""

    persona: str
    path: Callable[[Scenario], str]
    data: Callable[[Scenario], dict[str, Any]]
    model: Any
    prefix: str = ""


def _plan(s: Scenario) -> str:
    return f"/plans/{s.a.plan.public_id}"


def _evaluation(s: Scenario, days_ago: int = 0) -> int:
    assert s.a.item is not None
    s.a.item.kind = AgendaKind.EVALUATION
    s.a.item.starts_at = utcnow() - dt.timedelta(days=days_ago)
    db.session.commit()
    return s.a.item.id


CREATES: dict[str, Create] = {
    "plan": Create(
        "coordinator",
        lambda s: "/plans/new",
        lambda s: {"title": "Ons plan", "name": "Sanne", "relation": "parent", "coordinate": "y"},
        Plan,
    ),
    "household member": Create(
        "coordinator",
        lambda s: f"{_plan(s)}/household",
        lambda s: {"name": "Tim", "relation": "child", "date_of_birth": "1-2-2015"},
        Person,
    ),
    "invitation": Create(
        "coordinator",
        lambda s: f"{_plan(s)}/participants",
        lambda s: {"email": "nieuw@example.test", "role": "professional", "person": "None"},
        Invitation,
    ),
    "goal": Create(
        "client",
        lambda s: f"{_plan(s)}/goals/new",
        lambda s: {"domain": "housing", "person_id": "None", "title": "Een eigen kamer"},
        Goal,
    ),
    "action": Create(
        "client",
        lambda s: f"{_plan(s)}/goals/{s.a.goal.id}/actions",  # type: ignore[union-attr]
        lambda s: {
            "description": "De woningcorporatie bellen",
            "assignee": str(s.a.participations["client"].id),
        },
        Action,
    ),
    "progress entry": Create(
        "client",
        lambda s: f"{_plan(s)}/goals/{s.a.goal.id}/progress",  # type: ignore[union-attr]
        lambda s: {"value": "6", "note": "Het gaat beter"},
        ProgressEntry,
    ),
    "log entry": Create(
        "network",
        lambda s: f"{_plan(s)}/logbook",
        lambda s: {"text": "Ik haal de kinderen woensdag op."},
        LogEntry,
    ),
    "agenda item": Create(
        "coordinator",
        lambda s: f"{_plan(s)}/agenda/new",
        lambda s: {
            "title": "Huisbezoek",
            "kind": "appointment",
            "date": f"{local_today() + dt.timedelta(days=7):%d-%m-%Y}",
            "start_time": "14:30",
        },
        AgendaItem,
    ),
    "evaluation report": Create(
        "coordinator",
        lambda s: f"{_plan(s)}/evaluations/{_evaluation(s)}/report",
        lambda s: {"text": "We spraken af dat het zo doorgaat."},
        LogEntry,
    ),
    "survey answers": Create(
        "client",
        lambda s: f"{_plan(s)}/survey" if _evaluation(s, days_ago=1) else "",
        lambda s: {"q_helps": "4", "q_heard": "5", "q_grade": "8"},
        SurveyResponse,
    ),
    "plan version": Create(
        "coordinator", lambda s: f"{_plan(s)}/versions/new", lambda s: {}, PlanVersion
    ),
    "strengths check": Create(
        "professional",
        lambda s: f"{_plan(s)}/screenings/new",
        lambda s: {
            "start-subject": str(s.a.persons["parent"].id),
            "start-instrument": "zrm-2017",
            "start-moment": f"{local_today():%d-%m-%Y}",
        },
        Screening,
        prefix="start-",
    ),
    "print run": Create(
        "team_lead", lambda s: "/plans/team/print", lambda s: {"plan": [str(s.a.plan.id)]}, PrintJob
    ),
    "organisation": Create(
        "admin", lambda s: "/admin/organisations", lambda s: {"name": "Buurtzorg"}, Organisation
    ),
    "team": Create(
        "admin",
        lambda s: "/admin/teams",
        lambda s: {"organisation": str(_organisation_id()), "name": "Oost"},
        Team,
    ),
    "account": Create(
        "admin",
        lambda s: "/admin/users/new",
        lambda s: {
            "name": "Nieuwe Collega",
            "role": "professional",
            "email": "collega@example.test",
            "password": "een-lange-eerste-zin-42",
            "organisation": str(_organisation_id()),
            "team": "None",
        },
        User,
    ),
}


def _organisation_id() -> int:
    found = db.session.scalar(select(Organisation.id).order_by(Organisation.id).limit(1))
    assert found is not None
    return found


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("what", sorted(CREATES))
def test_a_create_form_sent_twice_makes_one(
    what: str, scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    case = CREATES[what]
    who = as_persona(case.persona)
    path, data = case.path(scenario), case.data(scenario)
    data[f"{case.prefix}{once.FIELD}"] = once.new_token()
    before = _count(case.model)

    first = who.post(path, data=data)
    assert first.status_code == 303, first.get_data(as_text=True)[:2000]
    assert _count(case.model) == before + 1

    again = who.post(path, data=data)  # back, and send again
    assert again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]  # to what the first made
    assert _count(case.model) == before + 1
    assert REPEAT in who.get(again.headers["Location"]).get_data(as_text=True)


def test_the_token_comes_with_the_page_and_a_second_send_makes_nothing(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    """The issue's case: a progress entry, sent again from the same page."""
    parent = as_persona("client")
    goal_url = f"{_plan(scenario)}/goals/{scenario.a.goal.id}"  # type: ignore[union-attr]
    page = parent.get(goal_url).get_data(as_text=True)
    form = page[page.index('action="' + goal_url + '/progress"') :]
    token = re.search(r'name="form_token" type="hidden" value="([\w-]+)"', form)
    assert token and once.readable(token.group(1))
    assert 'id="form_token"' not in page  # several forms on one page: no repeated ids
    entries = _count(ProgressEntry)
    stored = _count(FormToken)
    data = {"value": "7", "note": "Goed gesprek", "form_token": token.group(1)}
    assert parent.post(f"{goal_url}/progress", data=data).status_code == 303
    assert parent.post(f"{goal_url}/progress", data=data).status_code == 303
    assert _count(ProgressEntry) == entries + 1
    assert _count(FormToken) == stored + 1
    # showing the page stored nothing; the next page has a new token
    again = parent.get(goal_url).get_data(as_text=True)
    assert token.group(1) not in again


def test_a_post_without_a_token_still_works(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    """A page opened before tokens existed, or a post with an odd token, goes through as it
    always did (each post is new)."""
    parent = as_persona("client")
    url = f"{_plan(scenario)}/goals/{scenario.a.goal.id}/progress"  # type: ignore[union-attr]
    entries = _count(ProgressEntry)
    assert parent.post(url, data={"value": "5"}).status_code == 303
    assert parent.post(url, data={"value": "5", "form_token": "x"}).status_code == 303
    assert parent.post(url, data={"value": "5", "form_token": "x" * 5000}).status_code == 303
    assert _count(ProgressEntry) == entries + 3


def test_a_refused_post_does_not_use_up_its_token(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    parent = as_persona("client")
    url = f"{_plan(scenario)}/goals/{scenario.a.goal.id}/actions"  # type: ignore[union-attr]
    token = once.new_token()
    refused = parent.post(url, data={"description": "", "assignee": "1", "form_token": token})
    assert refused.status_code == 200
    assert f'value="{token}"' in refused.get_data(as_text=True)  # the same token, kept
    fixed = {
        "description": "Bellen",
        "assignee": str(scenario.a.participations["client"].id),
        "form_token": token,
    }
    actions = _count(Action)
    assert parent.post(url, data=fixed).status_code == 303
    assert _count(Action) == actions + 1


def test_a_broken_rule_undoes_the_claim_with_the_request(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    """The service refuses (a DomainError): nothing is made, and the token can be used."""
    coordinator = as_persona("coordinator")
    url = f"{_plan(scenario)}/participants"
    token = once.new_token()
    taken = scenario.users["client"].email  # already takes part
    data = {"email": taken, "role": "professional", "person": "None", "form_token": token}
    assert coordinator.post(url, data=data).status_code == 200
    assert db.session.scalar(select(FormToken).where(FormToken.token == token)) is None


def test_old_tokens_are_forgotten(app: Any) -> None:
    old, new = once.new_token(), once.new_token()
    now = utcnow()
    db.session.add_all(
        [
            FormToken(token=old, created_at=now - dt.timedelta(days=once.KEEP_DAYS + 1)),
            FormToken(token=new, created_at=now - dt.timedelta(days=1)),
        ]
    )
    db.session.commit()
    assert once.forget_old(now) >= 1
    kept = set(db.session.scalars(select(FormToken.token)))
    assert new in kept and old not in kept


def test_the_worker_forgets_old_tokens_every_night(app: Any) -> None:
    from samenplan import tasks

    old = once.new_token()
    db.session.add(FormToken(token=old, created_at=utcnow() - dt.timedelta(days=40)))
    db.session.commit()
    assert "form_tokens" in {task.name for task in tasks.queue()._registry.periodic_tasks}
    tasks.forget_form_tokens()
    db.session.expire_all()
    assert db.session.scalar(select(FormToken).where(FormToken.token == old)) is None
