"""Evaluation moments: when the next one is due (overview, My plans), the coordinator's cycle,
and the evaluation page (goals since last time, the strengths check, the report into the
logbook), each as its viewer may see the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.audit.models import AuditEvent
from samenplan.clock import local_today, utcnow
from samenplan.extensions import db
from samenplan.plans.models import LogEntry, ProgressEntry
from tests.scenario import Scenario


def _evaluation(scenario: Scenario, days: int, *, shared: bool = True) -> AgendaItem:
    item = AgendaItem(
        plan_id=scenario.a.plan.id,
        title="Evaluatie",
        kind=AgendaKind.EVALUATION,
        starts_at=utcnow() + dt.timedelta(days=days),
        shared_with_network=shared,
        expected=[],
    )
    db.session.add(item)
    db.session.commit()
    return item


def test_an_overdue_evaluation_shows_on_the_overview_and_in_my_plans(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    plan = scenario.a.plan
    plan.created_at = utcnow() - dt.timedelta(days=150)  # 3 months ago and more
    db.session.commit()
    parent = as_persona("client")
    overview = parent.get(f"/plans/{plan.public_id}/").get_data(as_text=True)
    assert "Samen terugkijken" in overview and "hadden al op" in overview
    assert "Evaluatie te laat" in parent.get("/plans/").get_data(as_text=True)
    # A planned evaluation replaces the warning, with a link to its page.
    item = _evaluation(scenario, 10)
    overview = parent.get(f"/plans/{plan.public_id}/").get_data(as_text=True)
    assert "hadden al op" not in overview
    assert f"/plans/{plan.public_id}/evaluations/{item.id}" in overview
    assert "Volgende evaluatie" in parent.get("/plans/").get_data(as_text=True)


def test_the_coordinator_sets_the_cycle(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    plan = scenario.a.plan
    pid = plan.public_id
    coordinator = as_persona("coordinator")
    overview = coordinator.get(f"/plans/{pid}/").get_data(as_text=True)
    assert 'name="months"' in overview and '<option selected value="3">' in overview
    assert (
        coordinator.post(f"/plans/{pid}/evaluation-cycle", data={"months": "6"}).status_code == 303
    )
    db.session.refresh(plan)
    assert plan.evaluation_months == 6
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "plan.evaluation_cycle_set")
    )
    assert event.details == {"months": [3, 6]}
    # An odd value changes nothing; the parent has no say over the cycle.
    coordinator.post(f"/plans/{pid}/evaluation-cycle", data={"months": "5"})
    parent = as_persona("client")
    assert parent.post(f"/plans/{pid}/evaluation-cycle", data={"months": "1"}).status_code == 403
    db.session.refresh(plan)
    assert plan.evaluation_months == 6
    overview = parent.get(f"/plans/{pid}/").get_data(as_text=True)
    assert "elke 6 maanden" in overview and 'name="months"' not in overview


def test_the_evaluation_page_looks_back_and_the_report_goes_into_the_logbook(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    a = scenario.a
    assert a.goal is not None
    earlier = _evaluation(scenario, -30)
    item = _evaluation(scenario, 0)
    # progress before the last evaluation (3) and since (the scenario's 4 of today)
    db.session.add(
        ProgressEntry(
            plan_id=a.plan.id,
            goal_id=a.goal.id,
            value=3,
            recorded_on=local_today() - dt.timedelta(days=40),
            author_id=scenario.users["client"].id,
        )
    )
    db.session.commit()
    url = f"/plans/{a.plan.public_id}/evaluations/{item.id}"
    coordinator = as_persona("coordinator")
    page = coordinator.get(url).get_data(as_text=True)
    assert "Gedeeld doel" in page and "Van 3 naar 4 van de 10" in page
    assert "Prive doel" in page and "Nu 6 van de 10" in page
    assert "De laatste krachtenmeting is van" in page  # five days old: no new one yet
    response = coordinator.post(
        f"{url}/report",
        data={"text": "Het gaat beter. Volgende keer over werk.", "shared_with_network": "y"},
    )
    assert response.status_code == 303
    entry = db.session.scalars(select(LogEntry).order_by(LogEntry.id.desc())).first()
    assert entry is not None and entry.shared_with_network
    assert (
        entry.text.startswith("Verslag van de evaluatie van ")
        and "Volgende keer over werk" in entry.text
    )
    # An empty report is refused beside the field, nothing is written.
    empty = coordinator.post(f"{url}/report", data={"text": "  "})
    assert empty.status_code == 200 and "Schrijf op wat jullie afspreken" in empty.get_data(
        as_text=True
    )
    # The network sees the shared goals only, and no evaluation that is kept from it.
    network = as_persona("network")
    page = network.get(url).get_data(as_text=True)
    assert "Gedeeld doel" in page and "Prive doel" not in page
    hidden = _evaluation(scenario, 5, shared=False)
    assert network.get(f"/plans/{a.plan.public_id}/evaluations/{hidden.id}").status_code == 404
    # An appointment that is no evaluation has no evaluation page.
    assert a.item is not None
    assert coordinator.get(f"/plans/{a.plan.public_id}/evaluations/{a.item.id}").status_code == 404
    assert earlier.id  # the one before this evaluation sets "since last time"


def test_planning_an_evaluation_from_the_overview_preselects_its_kind(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    page = as_persona("coordinator").get(
        f"/plans/{scenario.a.plan.public_id}/agenda/new?kind=evaluation"
    )
    assert '<option selected value="evaluation">' in page.get_data(as_text=True)
