"""Items not shared with the network are absent for network participants, everywhere."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from tests.scenario import Scenario


def _pages(c: FlaskClient, s: Scenario) -> str:
    pid = s.a.plan.public_id
    urls = [
        f"/plans/{pid}/",
        f"/plans/{pid}/logbook",
        f"/plans/{pid}/agenda",
        "/plans/",
        "/plans/actions",
        f"/plans/{pid}/goals/{s.a.goal.id}",
    ]
    bodies = []
    for url in urls:
        response = c.get(url)
        assert response.status_code == 200, url
        bodies.append(response.get_data(as_text=True))
    return "\n".join(bodies)


def test_network_sees_only_what_is_shared(
    as_persona: Callable[[str], FlaskClient], scenario: Scenario
) -> None:
    network = _pages(as_persona("network"), scenario)
    family = _pages(as_persona("client"), scenario)
    for shared in ("Gedeeld doel", "Gedeelde actie", "Gedeelde afspraak", "Gedeeld bericht"):
        assert shared in network and shared in family, shared
    for private in ("Prive doel", "Prive actie", "Prive afspraak", "Prive bericht"):
        assert private in family, private
        assert private not in network, private
    # counts too: one open action visible to the network (its own), two to the family
    assert "Open acties (1)" in network and "Open acties (2)" in family
    assert "Berichten (1)" in as_persona("network").get(
        f"/plans/{scenario.a.plan.public_id}/logbook"
    ).get_data(as_text=True)


def test_private_objects_are_not_found_by_id_for_the_network(
    as_persona: Callable[[str], FlaskClient], scenario: Scenario
) -> None:
    c, a = as_persona("network"), scenario.a
    pid = a.plan.public_id
    assert c.get(f"/plans/{pid}/goals/{a.private_goal.id}").status_code == 404
    assert (
        c.post(f"/plans/{pid}/goals/{a.private_goal.id}/progress", data={"value": 5}).status_code
        == 404
    )
    assert (
        c.post(
            f"/plans/{pid}/actions/{a.private_action.id}/status", data={"status": "done"}
        ).status_code
        == 404
    )
    assert as_persona("client").get(f"/plans/{pid}/goals/{a.private_goal.id}").status_code == 200


def test_network_member_ticks_off_only_their_own_actions(
    as_persona: Callable[[str], FlaskClient], scenario: Scenario
) -> None:
    from samenplan.extensions import db
    from samenplan.plans.models import Action, ActionStatus

    a = scenario.a
    pid = a.plan.public_id
    c = as_persona("network")
    assert (
        c.post(f"/plans/{pid}/actions/{a.action.id}/status", data={"status": "done"}).status_code
        == 303
    )
    assert db.session.get(Action, a.action.id).status == ActionStatus.DONE
    # an action of someone else on a shared goal: refused
    other = Action(
        plan_id=a.plan.id,
        goal_id=a.goal.id,
        description="Van de ouder",
        assignee_id=a.participations["client"].id,
    )
    db.session.add(other)
    db.session.commit()
    assert (
        c.post(f"/plans/{pid}/actions/{other.id}/status", data={"status": "done"}).status_code
        == 403
    )
    assert db.session.get(Action, other.id).status == ActionStatus.OPEN


def test_what_a_network_member_writes_in_the_logbook_is_shared(
    as_persona: Callable[[str], FlaskClient], scenario: Scenario
) -> None:
    pid = scenario.a.plan.public_id
    as_persona("network").post(
        f"/plans/{pid}/logbook", data={"text": "Ik kom woensdag", "shared_with_network": ""}
    )
    assert "Ik kom woensdag" in as_persona("network").get(f"/plans/{pid}/logbook").get_data(
        as_text=True
    )


def test_ids_from_another_plan_are_not_found_in_my_plan(
    as_persona: Callable[[str], FlaskClient], scenario: Scenario
) -> None:
    a, b = scenario.a, scenario.b
    pid = a.plan.public_id
    c = as_persona("coordinator")
    swaps = [
        ("GET", f"/plans/{pid}/goals/{b.goal.id}"),
        ("GET", f"/plans/{pid}/goals/{b.goal.id}/edit"),
        ("POST", f"/plans/{pid}/goals/{b.goal.id}/progress"),
        ("POST", f"/plans/{pid}/goals/{b.goal.id}/actions"),
        ("GET", f"/plans/{pid}/actions/{b.action.id}/edit"),
        ("POST", f"/plans/{pid}/actions/{b.action.id}/status"),
        ("GET", f"/plans/{pid}/agenda/{b.item.id}/edit"),
        ("GET", f"/plans/{pid}/household/{b.persons['child'].id}"),
        ("POST", f"/plans/{pid}/participants/{b.participations['client'].id}/remove"),
        ("POST", f"/plans/{pid}/invitations/{b.invitation.id}/revoke"),
    ]
    for method, url in swaps:
        assert c.open(url, method=method, data={"status": "done", "value": 3}).status_code == 404, (
            url
        )
    family = as_persona("client")
    assert family.post(f"/plans/{pid}/consent/network/{b.persons['child'].id}").status_code == 404
