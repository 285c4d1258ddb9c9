"""Two people edit the same goal or action: the second save does not overwrite the first."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient

from samenplan.extensions import db
from samenplan.plans.models import Action, Goal
from tests.scenario import Scenario


def _version(html: str) -> str:
    match = re.search(r'name="version" type="hidden" value="(\d+)"', html)
    assert match, "no version in the form"
    return match.group(1)


def _goal_data(version: str, title: str, why: str) -> dict[str, str]:
    return {
        "domain": "finances",
        "person_id": "None",
        "title": title,
        "why": why,
        "desired_situation": "",
        "target_date": "",
        "status": "open",
        "shared_with_network": "y",
        "version": version,
    }


def test_second_goal_save_sees_both_versions_and_can_reapply(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    url = f"/plans/{scenario.a.plan.public_id}/goals/{scenario.a.goal.id}/edit"
    mother, worker = as_persona("client"), as_persona("coordinator")
    v_mother = _version(mother.get(url).get_data(as_text=True))
    v_worker = _version(worker.get(url).get_data(as_text=True))
    assert v_mother == v_worker

    first = worker.post(
        url, data=_goal_data(v_worker, "Rondkomen met ons geld", "Van de hulpverlener")
    )
    assert first.status_code == 303

    second = mother.post(url, data=_goal_data(v_mother, "Geen schulden meer", "Mijn eigen woorden"))
    body = second.get_data(as_text=True)
    assert second.status_code == 200
    assert "Iemand anders heeft dit intussen veranderd" in body
    assert "Rondkomen met ons geld" in body and "Van de hulpverlener" in body  # what is saved now
    assert 'value="Geen schulden meer"' in body and "Mijn eigen woorden" in body  # what she typed
    goal = db.session.get(Goal, scenario.a.goal.id)
    assert goal.title == "Rondkomen met ons geld"  # not overwritten

    # Saving again from the conflict page applies her version on top.
    again = mother.post(
        url, data=_goal_data(_version(body), "Geen schulden meer", "Mijn eigen woorden")
    )
    assert again.status_code == 303
    db.session.expire_all()
    goal = db.session.get(Goal, scenario.a.goal.id)
    assert (goal.title, goal.why) == ("Geen schulden meer", "Mijn eigen woorden")
    assert goal.version == int(v_mother) + 2


def test_second_action_save_is_a_conflict_too(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    url = f"/plans/{scenario.a.plan.public_id}/actions/{scenario.a.action.id}/edit"
    one, two = as_persona("client"), as_persona("professional")
    v1 = _version(one.get(url).get_data(as_text=True))
    _version(two.get(url).get_data(as_text=True))
    assignee = str(scenario.a.participations["network"].id)
    assert (
        two.post(
            url, data={"description": "Bellen op maandag", "assignee": assignee, "version": v1}
        ).status_code
        == 303
    )
    response = one.post(
        url, data={"description": "Mailen op dinsdag", "assignee": assignee, "version": v1}
    )
    body = response.get_data(as_text=True)
    assert (
        response.status_code == 200
        and "Bellen op maandag" in body
        and 'value="Mailen op dinsdag"' in body
    )
    assert db.session.get(Action, scenario.a.action.id).description == "Bellen op maandag"
