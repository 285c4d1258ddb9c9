"""Starting, closing and reopening plans; audit of views and changes; the team lead's list."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.accounts.models import Role, User
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import record_plan_view
from samenplan.extensions import db
from samenplan.plans.models import Goal, Participation, Person, Plan, PlanClosure, PlanRole
from tests.scenario import Scenario


def _events(plan_id: int, action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.plan_id == plan_id, AuditEvent.action == action)
        )
    )


def test_professional_starts_a_plan_and_coordinates_it(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    pro = users[Role.PROFESSIONAL]
    c = client_as(pro)
    response = c.post(
        "/plans/new",
        data={
            "title": "Plan van Bakker",
            "name": "Els Bakker",
            "relation": "parent",
            "date_of_birth": "1990-02-03",
            "parental_authority": "y",
            "coordinate": "y",
        },
    )
    assert response.status_code == 303
    plan = db.session.scalars(select(Plan).where(Plan.title == "Plan van Bakker")).one()
    assert response.headers["Location"] == f"/plans/{plan.public_id}/household"
    assert len(plan.public_id) >= 16 and not plan.public_id.isdigit()
    [me] = db.session.scalars(select(Participation).where(Participation.plan_id == plan.id)).all()
    assert me.user_id == pro.id and me.is_coordinator and me.role == PlanRole.PROFESSIONAL
    assert (
        db.session.scalars(select(Person).where(Person.plan_id == plan.id)).one().name
        == "Els Bakker"
    )
    bad = c.post(
        "/plans/new",
        data={"title": "", "name": "X", "relation": "parent", "date_of_birth": "morgen"},
    )
    assert bad.status_code == 200 and "Vul een datum in" in bad.get_data(as_text=True)


def test_family_starts_their_own_plan(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    c = client_as(users[Role.CLIENT])
    assert (
        c.post(
            "/plans/new", data={"title": "Ons plan", "name": "Ik", "relation": "parent"}
        ).status_code
        == 303
    )
    me = db.session.scalars(
        select(Participation).where(Participation.user_id == users[Role.CLIENT].id)
    ).one()
    assert me.role == PlanRole.CLIENT and me.is_coordinator
    for role in (Role.NETWORK, Role.TEAM_LEAD, Role.POLICY, Role.ADMIN):
        assert client_as(users[role]).get("/plans/new").status_code == 403


def test_closed_plan_is_read_only_until_reopened(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    coordinator, family = as_persona("coordinator"), as_persona("client")
    refused = coordinator.post(f"/plans/{pid}/close")  # closing asks why
    assert (
        refused.status_code == 200
        and "Kies waarom het plan wordt afgesloten" in refused.get_data(as_text=True)
    )
    assert (
        coordinator.post(f"/plans/{pid}/close", data={"reason": "dropped_out"}).status_code == 303
    )
    assert scenario.a.plan.closure_reason == PlanClosure.DROPPED_OUT
    page = family.get(f"/plans/{pid}/").get_data(as_text=True)
    assert "Dit plan is afgesloten" in page and "Doel toevoegen" not in page
    assert (
        family.post(
            f"/plans/{pid}/goals/new", data={"domain": "finances", "title": "x"}
        ).status_code
        == 403
    )
    assert family.post(f"/plans/{pid}/logbook", data={"text": "hallo"}).status_code == 403
    assert family.post(f"/plans/{pid}/reopen").status_code == 403  # the coordinator reopens
    assert coordinator.post(f"/plans/{pid}/reopen").status_code == 303
    assert family.post(f"/plans/{pid}/logbook", data={"text": "hallo"}).status_code == 303


def test_views_by_staff_and_changes_by_anyone_are_audited(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    a = scenario.a
    pid = a.plan.public_id
    as_persona("client").get(f"/plans/{pid}/")
    as_persona("network").get(f"/plans/{pid}/")
    assert _events(a.plan.id, "plan.viewed") == []  # the family and network are not logged
    as_persona("professional").get(f"/plans/{pid}/goals/{a.goal.id}")
    as_persona("team_lead").get(f"/plans/{pid}/")
    viewed = _events(a.plan.id, "plan.viewed")
    assert {(e.actor_id, e.object_type) for e in viewed} == {
        (scenario.users["professional"].id, "Goal"),
        (scenario.users["team_lead"].id, None),
    }
    as_persona("network").post(
        f"/plans/{pid}/goals/{a.goal.id}/progress", data={"value": 7, "note": "beter"}
    )
    [added] = _events(a.plan.id, "progress.added")
    assert added.actor_id == scenario.users["network"].id and added.object_type == "ProgressEntry"
    trail = as_persona("client").get(f"/plans/{pid}/audit").get_data(as_text=True)
    assert "heeft het plan bekeken" in trail and "heeft voortgang ingevuld" in trail
    assert as_persona("network").get(f"/plans/{pid}/audit").status_code == 403


def _look(user: User, plan_id: int, times: int = 1) -> None:
    """A professional opens the overview (a day later the session of a client would have
    timed out, so the event is written as the page would)."""
    for _ in range(times):
        record_plan_view(user, plan_id, "plans.overview", {})
        db.session.commit()


def test_one_persons_looks_on_one_day_are_one_line_in_the_history(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    a = scenario.a
    pid = a.plan.public_id
    start = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        pro = as_persona("professional")
        for _ in range(54):
            pro.get(f"/plans/{pid}/")
        pro.get(f"/plans/{pid}/goals/{a.goal.id}")
        traveller.shift(dt.timedelta(hours=3))
        as_persona("client").post(f"/plans/{pid}/logbook", data={"text": "tussendoor"})
        traveller.shift(dt.timedelta(days=1))
        _look(scenario.users["professional"], a.plan.id)
    trail = as_persona("client").get(f"/plans/{pid}/audit").get_data(as_text=True)
    assert trail.count("heeft het plan 55 keer bekeken: een doel, overzicht") == 1
    assert "30 nov 2026, 10:00" in trail  # Amsterdam time
    assert "1 dec 2026, 13:00" in trail and "heeft in het logboek geschreven" in trail
    assert trail.count('<tr class="utrecht-table__row">') == 4  # header, 3 lines


def test_the_history_pages_back_by_whole_days(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    family = as_persona("client")
    first = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(first, tick=False) as traveller:
        for _ in range(60):  # 60 days, two looks a day: 60 lines
            _look(scenario.users["professional"], scenario.a.plan.id, times=2)
            traveller.shift(dt.timedelta(days=1))
    newest = family.get(f"/plans/{pid}/audit").get_data(as_text=True)
    assert "29 nov 2026" in newest and ">1 okt 2026" not in newest
    older = re.search(r'href="([^"]+before=\d+)"', newest)
    assert older, "no link to older events"
    second = family.get(older.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert ">1 okt 2026" in second and "29 nov 2026" not in second
    assert "Terug naar het nieuwste" in second
    assert family.get(f"/plans/{pid}/audit?before=99999999999").status_code == 200


def test_list_pages_log_each_plan_a_professional_sees_once_a_day(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    a = scenario.a
    day = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(day, tick=False) as traveller:
        pro = as_persona("coordinator")
        for path in ("/plans/", "/plans/", "/plans/actions", "/plans/"):
            assert pro.get(path).status_code == 200
        assert [e.details["page"] for e in _events(a.plan.id, "plan.listed")] == ["plans.index"]
        traveller.shift(dt.timedelta(days=1))
        assert as_persona("coordinator").get("/plans/").status_code == 200
        assert as_persona("team_lead").get("/plans/team").status_code == 200
    listed = _events(a.plan.id, "plan.listed")
    assert [(e.actor_id, e.details["page"]) for e in listed] == [
        (scenario.users["coordinator"].id, "plans.index"),
        (scenario.users["coordinator"].id, "plans.index"),
        (scenario.users["team_lead"].id, "plans.team"),
    ]
    assert _events(scenario.b.plan.id, "plan.listed") == []  # not on their lists
    as_persona("client").get("/plans/")
    as_persona("network").get("/plans/")
    assert len(_events(a.plan.id, "plan.listed")) == 3  # the family is not logged
    trail = as_persona("client").get(f"/plans/{a.plan.public_id}/audit").get_data(as_text=True)
    assert "heeft het plan in een lijst gezien: Mijn plannen" in trail


def test_team_lead_lists_the_plans_of_their_team_only(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    page = as_persona("team_lead").get("/plans/team").get_data(as_text=True)
    assert "Plan A" in page and "Plan B" not in page
    assert "Plan A" not in as_persona("other_team_lead").get("/plans/team").get_data(as_text=True)
    assert as_persona("client").get("/plans/team").status_code == 403
    # the lead reads but cannot write
    pid = scenario.a.plan.public_id
    assert (
        as_persona("team_lead").post(f"/plans/{pid}/logbook", data={"text": "x"}).status_code == 403
    )


def test_my_plans_shows_what_needs_attention(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    page = as_persona("network").get("/plans/").get_data(as_text=True)
    assert "Plan A" in page and "1 open actie voor jou" in page and "1 te laat" in page
    assert "Gedeelde afspraak" in page  # next agenda item
    assert "Prive afspraak" not in as_persona("network").get("/plans/").get_data(as_text=True)


def test_goal_page_shows_progress_chart_with_text(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid, goal = scenario.a.plan.public_id, scenario.a.goal
    c = as_persona("client")
    for value in (5, 8):
        c.post(f"/plans/{pid}/goals/{goal.id}/progress", data={"value": value})
    page = c.get(f"/plans/{pid}/goals/{goal.id}").get_data(as_text=True)
    assert "<svg" in page and 'role="img"' in page
    assert "3 scores. Van 4" in page and "naar 8" in page
    bad = c.post(f"/plans/{pid}/goals/{goal.id}/progress", data={"value": "11", "note": "te hoog"})
    assert bad.status_code == 200 and "Kies een getal van 0 tot 10." in bad.get_data(as_text=True)
    assert "te hoog" in bad.get_data(as_text=True)
    assert db.session.get(Goal, goal.id) is not None


def test_a_date_of_birth_in_the_future_is_refused_when_changing_too(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    child = scenario.a.persons["child"]
    url = f"/plans/{scenario.a.plan.public_id}/household/{child.id}"
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    page = as_persona("coordinator").post(  # the one who may change a date of birth
        url,
        data={"name": "Kind", "relation": "child", "date_of_birth": future, "reason": "Typfout"},
    )
    assert page.status_code == 200
    assert "kan niet in de toekomst liggen" in page.get_data(as_text=True)
    assert child.date_of_birth == dt.date(2019, 1, 1)  # nothing stored


def test_my_plans_next_appointment_is_the_first_one_the_viewer_may_see(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    assert scenario.a.private_item is not None and scenario.a.item is not None
    scenario.a.private_item.starts_at = scenario.a.item.starts_at - dt.timedelta(days=1)
    db.session.commit()
    network = as_persona("network").get("/plans/").get_data(as_text=True)
    assert "Volgende: Gedeelde afspraak" in network and "Prive afspraak" not in network
    family = as_persona("client").get("/plans/").get_data(as_text=True)
    assert "Volgende: Prive afspraak" in family


def test_all_actions_of_the_plan_on_one_page_as_each_may_see_them(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    """The overview shows a few open actions and links here: every action, open ones first,
    done ones after; the network does not see actions of goals kept from it."""
    a = scenario.a
    assert a.action is not None and a.private_action is not None
    url = f"/plans/{a.plan.public_id}/actions"
    overview = as_persona("client").get(f"/plans/{a.plan.public_id}/").get_data(as_text=True)
    assert f'href="{url}"' in overview
    family = as_persona("client").get(url).get_data(as_text=True)
    assert a.action.description in family and a.private_action.description in family
    network = as_persona("network").get(url)
    assert network.status_code == 200
    assert a.action.description in network.get_data(as_text=True)
    assert a.private_action.description not in network.get_data(as_text=True)
    assert as_persona("outsider").get(url).status_code == 404


def test_a_required_field_is_not_red_before_anyone_typed(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    """Required fields say so to assistive technology; the browser's own ``required`` would
    paint an empty field as wrong (``:invalid``) on a page that was just opened."""
    pid = scenario.a.plan.public_id
    page = as_persona("coordinator").get(f"/plans/{pid}/goals/new").get_data(as_text=True)
    fields = re.findall(r"<(?:input|textarea|select)\b[^>]*>", page)
    assert any('aria-required="true"' in f for f in fields)
    assert not [f for f in fields if re.search(r"\srequired(?=[\s>=])", f)]
