"""Rights follow facts, not edits: a family member cannot move a youth's rights by changing a
date of birth (or a relation, or parental authority); the coordinator can, with a reason that
the family reads in the logbook and in the plan's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.audit.models import AuditEvent
from samenplan.errors import NotAllowed
from samenplan.extensions import db
from samenplan.plans import household
from samenplan.plans.guard import load_plan_access
from samenplan.plans.household import PersonInput
from samenplan.plans.models import LogEntry, Person
from tests.plans.test_youth import BORN, _youth_in_plan
from tests.scenario import Scenario


def _form(person: Person, **changes: object) -> dict[str, str]:
    data = {
        "name": person.name,
        "relation": person.relation.value,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "parental_authority": "y" if person.parental_authority else "",
    }
    data.update({k: str(v) for k, v in changes.items()})
    return {k: v for k, v in data.items() if v != ""}


def _url(scenario: Scenario, person: Person) -> str:
    return f"/plans/{scenario.a.plan.public_id}/household/{person.id}"


def test_neither_parent_nor_youth_can_change_the_youths_age(
    scenario: Scenario,
    as_persona: Callable[[str], FlaskClient],
    client_as: Callable[..., FlaskClient],
) -> None:
    youth, _goal = _youth_in_plan(scenario)  # 14 today (born 2012)
    child = scenario.a.persons["child"]
    url = _url(scenario, child)
    attempts = [
        (as_persona("client"), dt.date(2016, 1, 1)),  # the parent makes him 10: he loses his plan
        (client_as(youth), dt.date(2009, 1, 1)),  # he makes himself 17: the parent loses sight
    ]
    for who, born in attempts:
        page = who.get(url).get_data(as_text=True)
        assert 'name="date_of_birth"' not in page  # shown, not asked
        response = who.post(url, data=_form(child, date_of_birth=born.isoformat()))
        assert response.status_code in (200, 303)  # the posted date is not taken
        db.session.expire_all()
        assert db.session.get(Person, child.id).date_of_birth == BORN
    # the relation and parental authority are facts too
    parent = scenario.a.persons["parent"]
    as_persona("client").post(_url(scenario, parent), data=_form(parent, relation="child"))
    db.session.expire_all()
    assert db.session.get(Person, parent.id).relation.value == "parent"


def test_the_family_still_corrects_names(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    child = scenario.a.persons["child"]
    response = as_persona("client").post(_url(scenario, child), data=_form(child, name="Kees"))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Person, child.id).name == "Kees"


def test_the_coordinator_changes_a_date_of_birth_with_a_reason_the_family_reads(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    child = scenario.a.persons["child"]
    url = _url(scenario, child)
    coordinator = as_persona("coordinator")
    new_date = dt.date(2018, 3, 4).isoformat()
    without = coordinator.post(url, data=_form(child, date_of_birth=new_date))
    assert without.status_code == 200 and "Schrijf op waarom" in without.get_data(as_text=True)
    reason = "Geboortedatum stond verkeerd; gecontroleerd met de BRP."
    done = coordinator.post(url, data=_form(child, date_of_birth=new_date, reason=reason))
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Person, child.id).date_of_birth == dt.date(2018, 3, 4)
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "person.changed", AuditEvent.object_id == str(child.id))
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None and event.details == {"fields": ["date_of_birth"], "reason": reason}
    logbook = as_persona("client").get(f"/plans/{scenario.a.plan.public_id}/logbook")
    assert reason in logbook.get_data(as_text=True)
    # ... and not the network: it is about a household member's details
    network_log = as_persona("network").get(f"/plans/{scenario.a.plan.public_id}/logbook")
    assert reason not in network_log.get_data(as_text=True)
    assert db.session.scalar(select(LogEntry).where(LogEntry.text.contains(reason))) is not None


def test_the_service_refuses_a_family_member_who_changes_a_fact(scenario: Scenario) -> None:
    parent_user = scenario.users["client"]
    access = load_plan_access(parent_user, scenario.a.plan.public_id)
    assert access is not None and not access.may_change_facts
    child = scenario.a.persons["child"]
    older = PersonInput(
        name=child.name,
        relation=child.relation,
        date_of_birth=dt.date(2009, 1, 1),
        parental_authority=child.parental_authority,
    )
    with pytest.raises(NotAllowed) as refused:
        household.update_person(access, parent_user, child, older, reason="ik wil het")
    assert refused.value.field == "date_of_birth"
    db.session.rollback()
