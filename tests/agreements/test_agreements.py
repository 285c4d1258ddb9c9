"""Agreement on the plan: the coordinator fixes a version, the parent with authority and the
coordinator answer it, the overview shows who agrees and what changed since the last
version everyone agreed to, and nobody sees more of a version than of the plan."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.agreements.models import PlanVersion
from samenplan.audit.models import AuditEvent
from samenplan.extensions import db
from samenplan.plans.models import Goal
from tests.reports.test_summary_pdf import pdf_text
from tests.scenario import Scenario


def _new_version(c: FlaskClient, pid: str) -> str:
    response = c.post(f"/plans/{pid}/versions/new")
    assert response.status_code == 303, response.status_code
    return str(response.headers["Location"])


def test_a_version_is_answered_and_the_overview_shows_what_changed(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    coordinator, parent = as_persona("coordinator"), as_persona("client")
    url = _new_version(coordinator, pid)
    assert url.endswith(f"/plans/{pid}/versions/1")
    [version] = db.session.scalars(select(PlanVersion))
    # asked: the coordinator and the parent with authority (the child is 7)
    assert sorted(int(u) for u in version.asked.split(",")) == sorted(
        [scenario.users["coordinator"].id, scenario.users["client"].id]
    )
    overview = parent.get(f"/plans/{pid}/").get_data(as_text=True)
    assert "0 van 2 eens" in overview and "Je hebt nog niet geantwoord" in overview
    # not agreeing needs a reason, and the text typed is kept
    refused = parent.post(url, data={"answer": "disagree", "remark": " "})
    assert refused.status_code == 200
    assert "Schrijf op waarom je het niet eens bent" in refused.get_data(as_text=True)
    assert (
        parent.post(url, data={"answer": "disagree", "remark": "Te veel tegelijk"}).status_code
        == 303
    )
    page = parent.get(url).get_data(as_text=True)
    assert "Ik ben het niet eens" in page and "Te veel tegelijk" in page
    # a later answer replaces the earlier one
    assert parent.post(url, data={"answer": "agree", "remark": ""}).status_code == 303
    assert (
        coordinator.post(
            url, data={"answer": "agree_remark", "remark": "Werk komt later"}
        ).status_code
        == 303
    )
    overview = parent.get(f"/plans/{pid}/").get_data(as_text=True)
    assert "2 van 2 eens" in overview
    # after the agreed version, a new goal shows as a change on the overview
    db.session.add(
        Goal(
            plan_id=scenario.a.plan.id,
            domain="housing",
            title="Een eigen kamer voor Kind",
            shared_with_network=True,
        )
    )
    db.session.commit()
    overview = parent.get(f"/plans/{pid}/").get_data(as_text=True)
    assert "Sinds versie 1" in overview and "Toegevoegd: Een eigen kamer voor Kind" in overview
    # a new version: the old one can no longer be answered, the new one lists the change
    second = _new_version(coordinator, pid)
    old = parent.post(url, data={"answer": "agree", "remark": ""})
    assert old.status_code == 200 and "nieuwere versie" in old.get_data(as_text=True)
    page = parent.get(second).get_data(as_text=True)
    assert "Wat is er veranderd sinds versie 1" in page and "Toegevoegd: Een eigen kamer" in page
    actions = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert {"plan.version_created", "plan.version_answered"} <= actions


def test_the_network_sees_only_its_part_of_a_version_and_does_not_answer(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    url = _new_version(as_persona("coordinator"), pid)
    network = as_persona("network")
    page = network.get(url).get_data(as_text=True)
    assert "Gedeeld doel" in page and "Prive doel" not in page and "Prive actie" not in page
    assert network.post(url, data={"answer": "agree", "remark": ""}).status_code == 403
    # a professional who is not asked cannot answer either
    assert as_persona("professional").post(url, data={"answer": "agree"}).status_code == 403
    # only the coordinator fixes a version
    assert as_persona("client").post(f"/plans/{pid}/versions/new").status_code == 403


def test_versions_and_answers_are_in_the_pdf_without_remarks_for_the_network(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    url = _new_version(as_persona("coordinator"), pid)
    parent = as_persona("client")
    parent.post(url, data={"answer": "agree_remark", "remark": "Pas na de zomer"})
    summary = f"/plans/{pid}/summary.pdf"
    text = pdf_text(as_persona("coordinator").get(summary).data)
    assert "Versie 1 van" in text and "Pas na de zomer" in text
    network = pdf_text(as_persona("network").get(summary).data)
    assert "Versie 1 van" in network and "Pas na de zomer" not in network
    # nor on the version page
    assert "Pas na de zomer" not in as_persona("network").get(url).get_data(as_text=True)
