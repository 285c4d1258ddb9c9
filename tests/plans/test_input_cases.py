"""What the family types is never lost or misread (#15): a long text is refused whole, a
Dutch date is read, a date in the past is said, the network default is the family's
choice, and an action the network member could not see is confirmed first."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.audit.models import AuditEvent
from samenplan.clock import local_today
from samenplan.extensions import db
from samenplan.plans.models import Action, Goal, Invitation, Plan
from tests.scenario import Scenario


def _plan(s: Scenario) -> str:
    return f"/plans/{s.a.plan.public_id}"


def _goal(title: str, **extra: str) -> dict[str, str]:
    return {"domain": "housing", "person_id": "None", "title": title, **extra}


def _checked(page: str, name: str = "shared_with_network") -> bool:
    tag = re.search(rf"<input[^>]*name=\"{name}\"[^>]*>", page)
    assert tag, f"no {name} box"
    return " checked" in tag.group(0)


def test_a_pasted_5000_character_goal_is_refused_and_kept_whole(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    parent = as_persona("client")
    url = f"{_plan(scenario)}/goals/new"
    form = parent.get(url).get_data(as_text=True)
    assert "maxlength" not in form  # the browser cuts nothing when pasting
    pasted = ("Ik wil dat we weer samen eten aan tafel, elke avond. " * 100)[:5000]
    goals = db.session.scalar(select(db_count(Goal)))
    reply = parent.post(url, data=_goal(pasted, why="Omdat het rust geeft."))
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200
    assert "Maak dit korter: maximaal 300 tekens (nu 5000)." in page
    assert f'value="{pasted}"' in page and "Omdat het rust geeft." in page
    assert "karakters" not in page and "maxlength" not in page
    assert db.session.scalar(select(db_count(Goal))) == goals


def db_count(model: type) -> object:
    from sqlalchemy import func

    return func.count(model.id)  # type: ignore[attr-defined]


def test_a_target_date_written_the_dutch_way_is_accepted(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    parent = as_persona("client")
    reply = parent.post(
        f"{_plan(scenario)}/goals/new", data=_goal("Een eigen kamer", target_date="31-12-2026")
    )
    assert reply.status_code == 303
    goal = db.session.scalars(select(Goal).where(Goal.title == "Een eigen kamer")).one()
    assert goal.target_date == dt.date(2026, 12, 31)
    page = parent.get(reply.headers["Location"]).get_data(as_text=True)
    assert "Streefdatum" in page and "Bereikt op" not in page


def test_a_target_date_in_the_past_is_accepted_with_a_notice(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    parent = as_persona("client")
    last_month = f"{local_today() - dt.timedelta(days=30):%d-%m-%Y}"
    reply = parent.post(
        f"{_plan(scenario)}/goals/new", data=_goal("Schulden op een rij", target_date=last_month)
    )
    assert reply.status_code == 303
    page = parent.get(reply.headers["Location"]).get_data(as_text=True)
    assert "Het doel is toegevoegd" in page
    assert "De streefdatum ligt in het verleden." in page
    # a date ahead says nothing
    ahead = f"{local_today() + dt.timedelta(days=30):%d-%m-%Y}"
    later = parent.post(f"{_plan(scenario)}/goals/new", data=_goal("Een baan", target_date=ahead))
    assert "in het verleden" not in parent.get(later.headers["Location"]).get_data(as_text=True)


def test_an_action_overdue_at_creation_is_accepted_with_a_notice(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    parent = as_persona("client")
    goal_url = f"{_plan(scenario)}/goals/{scenario.a.goal.id}"  # type: ignore[union-attr]
    yesterday = f"{local_today() - dt.timedelta(days=1):%d-%m-%Y}"
    reply = parent.post(
        f"{goal_url}/actions",
        data={
            "description": "Formulier inleveren",
            "assignee": str(scenario.a.participations["client"].id),
            "due_date": yesterday,
        },
    )
    assert reply.status_code == 303
    page = parent.get(reply.headers["Location"]).get_data(as_text=True)
    assert "De actie is toegevoegd." in page
    assert "De datum van deze actie ligt in het verleden" in page


def _set_default(plan: Plan, value: bool | None) -> None:
    plan.network_default = value
    db.session.commit()


def test_the_plans_network_default_presets_the_box_on_every_create_form(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    from samenplan.agenda.models import AgendaKind

    coordinator = as_persona("coordinator")
    assert scenario.a.item is not None
    scenario.a.item.kind = AgendaKind.EVALUATION
    db.session.commit()
    forms = [
        f"{_plan(scenario)}/goals/new",
        f"{_plan(scenario)}/logbook",
        f"{_plan(scenario)}/agenda/new",
        f"{_plan(scenario)}/evaluations/{scenario.a.item.id}",
    ]
    expected = {
        None: (True, "Het gezin heeft nog niet gekozen"),
        True: (True, "Het gezin koos: nieuwe onderdelen zijn te zien voor het netwerk."),
        False: (False, "Het gezin koos: nieuwe onderdelen zijn alleen voor het gezin"),
    }
    for choice, (ticked, line) in expected.items():
        _set_default(scenario.a.plan, choice)
        for url in forms:
            page = coordinator.get(url).get_data(as_text=True)
            assert _checked(page) is ticked, (choice, url)
            assert line in page, (choice, url)
            assert f'href="{_plan(scenario)}/network"' in page  # where it is changed
    # a goal being changed shows its own mark, not the default
    _set_default(scenario.a.plan, False)
    goal = scenario.a.goal
    assert goal is not None and goal.shared_with_network
    edit = coordinator.get(f"{_plan(scenario)}/goals/{goal.id}/edit").get_data(as_text=True)
    assert _checked(edit) and "Het gezin koos" not in edit


def test_the_family_chooses_the_default_when_inviting_the_first_network_member(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    from samenplan.clock import utcnow

    parent = as_persona("client")
    url = f"{_plan(scenario)}/participants"
    assert scenario.a.plan.network_default is None
    # plan A has a network member already: no question on the form (the overview asks)
    assert "Wat mag het netwerk zien" not in parent.get(url).get_data(as_text=True)
    assert scenario.a.invitation is not None
    scenario.a.participations["network"].removed_at = utcnow()
    scenario.a.invitation.revoked_at = utcnow()
    db.session.commit()
    assert "Wat mag het netwerk zien van nieuwe onderdelen?" in parent.get(url).get_data(
        as_text=True
    )
    invite = {"email": "buurvrouw@example.test", "role": "network", "person": "None"}
    refused = parent.post(url, data=invite)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Kies wat het netwerk mag zien van nieuwe onderdelen." in page
    assert 'value="buurvrouw@example.test"' in page  # what was typed stays
    assert db.session.scalar(select(Invitation).where(Invitation.email == invite["email"])) is None

    sent = parent.post(url, data={**invite, "network_default": "kept"})
    assert sent.status_code == 303
    db.session.refresh(scenario.a.plan)
    assert scenario.a.plan.network_default is False
    assert db.session.scalar(select(Invitation).where(Invitation.email == invite["email"]))
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "plan.network_default_set")
    )
    # asked once: the next invitation has no question, and new items start unticked
    assert "Wat mag het netwerk zien" not in parent.get(url).get_data(as_text=True)
    assert not _checked(parent.get(f"{_plan(scenario)}/goals/new").get_data(as_text=True))


def test_a_professional_inviting_is_not_asked_and_the_family_is_told_on_the_overview(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    coordinator, parent = as_persona("coordinator"), as_persona("client")
    url = f"{_plan(scenario)}/participants"
    assert "Wat mag het netwerk zien" not in coordinator.get(url).get_data(as_text=True)
    sent = coordinator.post(
        url, data={"email": "opa@example.test", "role": "network", "person": "None"}
    )
    assert sent.status_code == 303
    db.session.refresh(scenario.a.plan)
    assert scenario.a.plan.network_default is None
    overview = parent.get(f"{_plan(scenario)}/").get_data(as_text=True)
    assert "Kies wat het netwerk ziet" in overview  # the plan has a network member already
    assert "Kies wat het netwerk ziet" not in coordinator.get(f"{_plan(scenario)}/").get_data(
        as_text=True
    )


def test_the_network_page_shows_the_choice_and_only_the_family_changes_it(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    url = f"{_plan(scenario)}/network"
    parent, coordinator = as_persona("client"), as_persona("coordinator")
    assert "Het gezin maakt deze keuze." in coordinator.get(url).get_data(as_text=True)
    assert coordinator.post(url, data={"shared": "kept"}).status_code == 403
    assert parent.post(url, data={"shared": "maybe"}).status_code == 200  # not a choice
    assert parent.post(url, data={"shared": "shared"}).status_code == 303
    db.session.refresh(scenario.a.plan)
    assert scenario.a.plan.network_default is True
    page = parent.get(url).get_data(as_text=True)
    assert re.search(r'value="shared"[^>]* checked|checked[^>]* value="shared"', page)


def test_an_action_for_a_network_member_under_a_hidden_goal_is_confirmed_first(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    parent = as_persona("client")
    hidden = scenario.a.private_goal
    assert hidden is not None and not hidden.shared_with_network
    grandma = scenario.a.participations["network"]
    url = f"{_plan(scenario)}/goals/{hidden.id}/actions"
    typed = {
        "description": "Woensdag de kinderen ophalen",
        "assignee": str(grandma.id),
        "due_date": "31-12-2026",
    }
    actions = len(db.session.scalars(select(Action).where(Action.goal_id == hidden.id)).all())

    warned = parent.post(url, data=typed)
    page = warned.get_data(as_text=True)
    assert warned.status_code == 200
    assert f"{scenario.users['network'].name} kan dit doel niet zien" in page
    assert 'value="Woensdag de kinderen ophalen"' in page  # everything typed is kept
    assert f'<option selected value="{grandma.id}"' in page or (
        f'value="{grandma.id}" selected' in page
    )
    assert 'value="2026-12-31"' in page
    assert 'name="confirmed" value="yes"' in page  # "save anyway"
    assert len(db.session.scalars(select(Action).where(Action.goal_id == hidden.id)).all()) == (
        actions
    )

    form_token = re.search(r'name="form_token" type="hidden" value="([\w-]+)"', page)
    assert form_token
    saved = parent.post(url, data={**typed, "confirmed": "yes", "form_token": form_token[1]})
    assert saved.status_code == 303
    made = db.session.scalars(select(Action).where(Action.goal_id == hidden.id)).all()
    assert len(made) == actions + 1
    assert any(a.assignee_id == grandma.id and a.due_date == dt.date(2026, 12, 31) for a in made)


def test_no_warning_for_a_shared_goal_or_someone_from_the_family(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    parent = as_persona("client")
    shared, hidden = scenario.a.goal, scenario.a.private_goal
    assert shared is not None and hidden is not None
    grandma = scenario.a.participations["network"].id
    me = scenario.a.participations["client"].id
    for goal, assignee in ((shared, grandma), (hidden, me)):
        reply = parent.post(
            f"{_plan(scenario)}/goals/{goal.id}/actions",
            data={"description": "Bellen", "assignee": str(assignee)},
        )
        assert reply.status_code == 303


def test_changing_an_action_to_a_network_member_under_a_hidden_goal_warns_too(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    parent = as_persona("client")
    action = scenario.a.private_action
    assert action is not None
    url = f"{_plan(scenario)}/actions/{action.id}/edit"
    grandma = scenario.a.participations["network"]
    data = {"description": "Prive actie", "assignee": str(grandma.id), "version": "1"}
    warned = parent.post(url, data=data)
    assert warned.status_code == 200
    assert "kan dit doel niet zien" in warned.get_data(as_text=True)
    db.session.refresh(action)
    assert action.assignee_id != grandma.id
    assert parent.post(url, data={**data, "confirmed": "yes"}).status_code == 303
    db.session.refresh(action)
    assert action.assignee_id == grandma.id
