"""Youths and parents: rights flip on the 12th and 16th birthdays (DESIGN.md §2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import time_machine
from flask.testing import FlaskClient

from samenplan.accounts.models import Role, User
from samenplan.extensions import db
from samenplan.plans.models import Goal, Participation, PlanRole
from samenplan.plans.rules import Stage, age_on, stage_on
from tests.scenario import Scenario, join, new_user

BORN = dt.date(2012, 6, 15)


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


def test_age_and_stage_turn_on_the_birthday() -> None:
    assert age_on(BORN, dt.date(2024, 6, 14)) == 11
    assert age_on(BORN, dt.date(2024, 6, 15)) == 12
    assert stage_on(BORN, dt.date(2024, 6, 14)) == Stage.CHILD
    assert stage_on(BORN, dt.date(2024, 6, 15)) == Stage.YOUTH
    assert stage_on(BORN, dt.date(2028, 6, 14)) == Stage.YOUTH
    assert stage_on(BORN, dt.date(2028, 6, 15)) == Stage.DECIDES
    assert stage_on(BORN, dt.date(2030, 6, 15)) == Stage.ADULT
    leap = dt.date(2012, 2, 29)
    assert age_on(leap, dt.date(2024, 2, 28)) == 11 and age_on(leap, dt.date(2024, 2, 29)) == 12


def _youth_in_plan(scenario: Scenario) -> tuple[User, Goal]:
    """The child of plan A gets their own login and a goal of their own."""
    a = scenario.a
    child = a.persons["child"]
    child.date_of_birth = BORN
    youth = new_user("jongere@example.test", Role.CLIENT)
    db.session.flush()
    child.user_id = youth.id
    join(a.plan, youth, PlanRole.CLIENT)
    goal = Goal(
        plan_id=a.plan.id,
        person_id=child.id,
        domain="work_education",
        title="Elke dag naar school",
        shared_with_network=True,
    )
    db.session.add(goal)
    db.session.commit()
    return youth, goal


def test_youth_login_opens_the_plan_from_the_12th_birthday(
    scenario: Scenario, client_as: Callable[[User], FlaskClient]
) -> None:
    youth, _goal = _youth_in_plan(scenario)
    url = f"/plans/{scenario.a.plan.public_id}/"
    with time_machine.travel(_noon(dt.date(2024, 6, 14)), tick=False):
        assert client_as(youth).get(url).status_code == 404  # under 12: the parents decide
    with time_machine.travel(_noon(dt.date(2024, 6, 15)), tick=False):
        assert client_as(youth).get(url).status_code == 200


def test_from_16_parents_see_the_youths_part_only_with_consent(
    scenario: Scenario,
    client_as: Callable[[User], FlaskClient],
    as_persona: Callable[[str], FlaskClient],
) -> None:
    youth, goal = _youth_in_plan(scenario)
    pid = scenario.a.plan.public_id
    goal_url = f"/plans/{pid}/goals/{goal.id}"
    with time_machine.travel(_noon(dt.date(2028, 6, 14)), tick=False):
        parent = as_persona("client")
        assert parent.get(goal_url).status_code == 200
        assert "Elke dag naar school" in parent.get(f"/plans/{pid}/").get_data(as_text=True)
    with time_machine.travel(_noon(dt.date(2028, 6, 15)), tick=False):
        parent = as_persona("client")
        assert parent.get(goal_url).status_code == 404
        assert "Elke dag naar school" not in parent.get(f"/plans/{pid}/").get_data(as_text=True)
        # professionals still see it; the youth decides
        assert as_persona("coordinator").get(goal_url).status_code == 200
        young = client_as(youth)
        assert "Mijn ouders mogen het zien" in young.get(f"/plans/{pid}/household").get_data(
            as_text=True
        )
        assert young.post(f"/plans/{pid}/consent/parents", data={"allowed": "y"}).status_code == 303
        assert parent.get(goal_url).status_code == 200
        assert young.post(f"/plans/{pid}/consent/parents", data={}).status_code == 303  # withdrawn
        assert parent.get(goal_url).status_code == 404
        # a parent cannot give this consent for the youth
        assert (
            parent.post(f"/plans/{pid}/consent/parents", data={"allowed": "y"}).status_code == 403
        )


def test_the_parents_consent_is_the_youths_to_give_only_from_16(
    scenario: Scenario, client_as: Callable[[User], FlaskClient]
) -> None:
    youth, _goal = _youth_in_plan(scenario)
    url = f"/plans/{scenario.a.plan.public_id}/consent/parents"
    with time_machine.travel(_noon(dt.date(2028, 6, 14)), tick=False):
        refused = client_as(youth).post(url, data={"allowed": "y"}, follow_redirects=True)
        assert "Vanaf 16 jaar" in refused.get_data(as_text=True)
    assert scenario.a.persons["child"].parents_consent is False
    with time_machine.travel(_noon(dt.date(2028, 6, 15)), tick=False):
        assert client_as(youth).post(url, data={"allowed": "y"}).status_code == 303
    assert scenario.a.persons["child"].parents_consent is True


def test_network_consent_given_by_a_parent_ends_on_the_12th_birthday(
    scenario: Scenario,
    client_as: Callable[[User], FlaskClient],
    as_persona: Callable[[str], FlaskClient],
) -> None:
    youth, goal = _youth_in_plan(scenario)
    pid = scenario.a.plan.public_id
    goal_url = f"/plans/{pid}/goals/{goal.id}"
    consent_url = f"/plans/{pid}/consent/network/{scenario.a.persons['child'].id}"
    with time_machine.travel(_noon(dt.date(2024, 6, 10)), tick=False):
        network, parent = as_persona("network"), as_persona("client")
        assert network.get(goal_url).status_code == 404  # no consent yet
        assert parent.post(consent_url, data={"allowed": "y"}).status_code == 303
        assert network.get(goal_url).status_code == 200
    with time_machine.travel(_noon(dt.date(2024, 6, 15)), tick=False):
        network, parent = as_persona("network"), as_persona("client")
        assert network.get(goal_url).status_code == 404  # from 12 the youth decides
        parent.post(consent_url, data={"allowed": "y"})  # the parent no longer can
        assert network.get(goal_url).status_code == 404
        assert client_as(youth).post(consent_url, data={"allowed": "y"}).status_code == 303
        assert network.get(goal_url).status_code == 200


def test_parent_participation_stays_intact(scenario: Scenario) -> None:
    assert db.session.get(Participation, scenario.a.participations["client"].id) is not None
