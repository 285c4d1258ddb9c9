"""The personal calendar feed: RFC 5545 through icalendar, what each person may see, and a
secret link that stops at once (replaced, stopped, user deactivated, removed from a plan)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import icalendar
from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.audit.models import AuditEvent
from samenplan.clock import AMSTERDAM, local_today, utcnow
from samenplan.extensions import db
from tests.scenario import Scenario

#: RFC 5545 §3.6 / §3.6.1: what a calendar and each event must carry
CALENDAR_REQUIRED = ("PRODID", "VERSION")
EVENT_REQUIRED = ("UID", "DTSTAMP", "DTSTART")


def _feed_url(c: FlaskClient) -> str:
    page = c.post("/account/calendar/new").get_data(as_text=True)
    match = re.search(r'id="feed-link" type="text" readonly value="([^"]+)"', page)
    assert match, page
    return match.group(1).removeprefix("http://localhost")


def _events(c: FlaskClient, url: str) -> dict[str, icalendar.Event]:
    response = c.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "no-store" in response.headers["Cache-Control"]
    cal = icalendar.Calendar.from_ical(response.data)
    for prop in CALENDAR_REQUIRED:
        assert prop in cal, prop
    assert cal["VERSION"] == "2.0"
    [tz] = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Amsterdam"
    events = {}
    for event in cal.walk("VEVENT"):
        for prop in EVENT_REQUIRED:
            assert prop in event, prop
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        events[str(event["SUMMARY"])] = event
    return events


def test_the_feed_holds_what_each_person_may_see(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    parent, network = as_persona("client"), as_persona("network")
    parent_feed = _events(parent, _feed_url(parent))
    assert {"Gedeelde afspraak", "Prive afspraak"} <= set(parent_feed)
    network_url = _feed_url(network)
    network_feed = _events(network, network_url)
    assert "Gedeelde afspraak" in network_feed and "Prive afspraak" not in network_feed
    # The feed needs no login: a calendar app has only the link.
    anonymous = as_persona("anonymous")
    assert "Prive afspraak" not in _events(anonymous, network_url)
    shared = parent_feed["Gedeelde afspraak"]
    assert str(shared["UID"]) == f"agenda-{scenario.a.item.id}@localhost"  # type: ignore[union-attr]
    assert shared["STATUS"] == "CONFIRMED"
    # Notes never leave Samenplan, the other household's plan is not there.
    assert "Plan B" not in parent.get(network_url).get_data(as_text=True)


def test_changes_and_cancellations_reach_the_calendar_with_the_same_uid(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    coordinator = as_persona("coordinator")
    url = _feed_url(coordinator)
    before = _events(coordinator, url)["Gedeelde afspraak"]
    item = scenario.a.item
    assert item is not None
    pid = scenario.a.plan.public_id
    day = local_today() + dt.timedelta(days=40)
    response = coordinator.post(
        f"/plans/{pid}/agenda/{item.id}/edit",
        data={
            "title": "Gedeelde afspraak",
            "kind": "appointment",
            "date": day.isoformat(),
            "start_time": "10:00",
            "location": "Buurthuis",
            "notes": "Geheime aantekening over het gezin",
            "shared_with_network": "y",
        },
    )
    assert response.status_code == 303
    changed = _events(coordinator, url)["Gedeelde afspraak"]
    assert changed["UID"] == before["UID"] and changed["SEQUENCE"] > before["SEQUENCE"]
    assert changed["DTSTART"].dt == dt.datetime.combine(day, dt.time(10), tzinfo=AMSTERDAM)
    assert changed["LOCATION"] == "Buurthuis"
    assert "Geheime aantekening" not in coordinator.get(url).get_data(as_text=True)
    assert coordinator.post(f"/plans/{pid}/agenda/{item.id}/cancel").status_code == 303
    assert coordinator.post(f"/plans/{pid}/agenda/{item.id}/cancel").status_code == 303  # twice
    cancelled = _events(coordinator, url)["Gedeelde afspraak"]
    assert cancelled["STATUS"] == "CANCELLED" and cancelled["SEQUENCE"] == changed["SEQUENCE"] + 1
    page = coordinator.get(f"/plans/{pid}/agenda?month={day:%Y-%m}").get_data(as_text=True)
    assert "Afgezegd" in page
    # A staff member's read of the plan's agenda through the feed is in the plan's history.
    assert db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.plan_id == scenario.a.plan.id,
            AuditEvent.actor_id == scenario.users["coordinator"].id,
            AuditEvent.action == "plan.listed",
        )
    ).all()


def test_a_replaced_or_stopped_link_gives_404_at_once(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    parent = as_persona("client")
    first = _feed_url(parent)
    second = _feed_url(parent)
    assert parent.get(first).status_code == 404
    assert parent.get(second).status_code == 200
    assert "Je hebt een agendalink" in parent.get("/account/calendar").get_data(as_text=True)
    assert parent.post("/account/calendar/stop").status_code == 303
    assert parent.get(second).status_code == 404
    assert parent.get("/calendar/" + "x" * 43 + ".ics").status_code == 404
    assert parent.get("/calendar/%00.ics").status_code == 404


def test_a_removed_participant_or_deactivated_user_sees_nothing_more(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    network = as_persona("network")
    url = _feed_url(network)
    assert "Gedeelde afspraak" in _events(network, url)
    scenario.a.participations["network"].removed_at = utcnow()
    db.session.commit()
    assert _events(network, url) == {}  # the plan is gone from the feed at once
    parent = as_persona("client")
    parent_url = _feed_url(parent)
    scenario.users["client"].active = False
    db.session.commit()
    assert as_persona("anonymous").get(parent_url).status_code == 404


def test_items_outside_the_window_and_odd_dates_do_not_break_the_feed(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    plan_id = scenario.a.plan.id
    for year in (1, 9999):
        db.session.add(
            AgendaItem(
                plan_id=plan_id,
                title=f"Jaar {year}",
                kind=AgendaKind.DEADLINE,
                starts_at=dt.datetime(year, 6, 1, 12, tzinfo=dt.UTC),
                shared_with_network=True,
                expected=[],
            )
        )
    db.session.commit()
    parent = as_persona("client")
    events = _events(parent, _feed_url(parent))
    assert "Jaar 1" not in events and "Jaar 9999" not in events
    assert "Gedeelde afspraak" in events


def test_the_calendar_page_needs_plans_and_explains_phone_calendars(
    as_persona: Callable[[str], FlaskClient],
) -> None:
    page = as_persona("client").get("/account/calendar").get_data(as_text=True)
    assert "Google" in page and "iPhone" in page and "Outlook" in page
    assert as_persona("policy").get("/account/calendar").status_code == 403
    assert as_persona("anonymous").get("/account/calendar").status_code == 302
