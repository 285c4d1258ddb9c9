"""The agenda: times in Europe/Amsterdam, stored in UTC; upcoming items and a month overview."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.agenda.models import AgendaItem
from samenplan.extensions import db
from tests.scenario import Scenario


def test_an_appointment_is_stored_in_utc_and_shown_in_dutch_time(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    c = as_persona("client")
    network_id = scenario.a.participations["network"].id
    response = c.post(
        f"/plans/{pid}/agenda/new",
        data={
            "title": "Gesprek op school",
            "kind": "appointment",
            "date": "2030-07-01",
            "start_time": "14:30",
            "end_time": "15:15",
            "location": "De Regenboog",
            "expected": [str(network_id)],
            "shared_with_network": "y",
        },
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("?month=2030-07")
    item = db.session.scalars(
        select(AgendaItem).where(AgendaItem.title == "Gesprek op school")
    ).one()
    assert item.starts_at == dt.datetime(2030, 7, 1, 12, 30, tzinfo=dt.UTC)  # summer time: UTC+2
    page = c.get(f"/plans/{pid}/agenda?month=2030-07").get_data(as_text=True)
    assert "14:30" in page and "Gesprek op school" in page and "juli 2030" in page
    winter = c.post(
        f"/plans/{pid}/agenda/new",
        data={
            "title": "Winteroverleg",
            "kind": "evaluation",
            "date": "2030-01-15",
            "start_time": "09:00",
        },
    )
    assert winter.status_code == 303
    item = db.session.scalars(select(AgendaItem).where(AgendaItem.title == "Winteroverleg")).one()
    assert item.starts_at == dt.datetime(2030, 1, 15, 8, 0, tzinfo=dt.UTC)  # winter time: UTC+1
    assert "Oma" in c.get(f"/plans/{pid}/agenda").get_data(as_text=True)  # expected participant


def test_agenda_form_errors_keep_what_was_typed(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    response = as_persona("professional").post(
        f"/plans/{pid}/agenda/new",
        data={
            "title": "Overleg",
            "kind": "appointment",
            "date": "31-02-2030",
            "start_time": "25:00",
            "end_time": "",
            "location": "Stadhuis",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Overleg"' in body and 'value="Stadhuis"' in body
    backwards = as_persona("professional").post(
        f"/plans/{pid}/agenda/new",
        data={
            "title": "Overleg",
            "kind": "appointment",
            "date": "2030-03-03",
            "start_time": "10:00",
            "end_time": "09:00",
        },
    )
    assert "Het einde moet na het begin liggen." in backwards.get_data(as_text=True)


def test_month_parameter_is_forgiving(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = scenario.a.plan.public_id
    for month in ("nonsense", "2030-13", "-1", "99999-01", ""):
        assert as_persona("client").get(f"/plans/{pid}/agenda?month={month}").status_code == 200
