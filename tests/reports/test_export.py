"""The family's full export: every object, valid against the documented, versioned schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import select

from samenplan.audit.models import AuditEvent
from samenplan.extensions import db
from tests.scenario import Scenario

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "export-schema.json").read_text()
)


def test_export_is_complete_and_valid(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    response = as_persona("client").get(f"/plans/{scenario.a.plan.public_id}/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.json
    errors = sorted(
        Draft202012Validator(SCHEMA, format_checker=FormatChecker()).iter_errors(data), key=str
    )
    assert errors == [], [e.message for e in errors[:3]]
    assert data["plan"]["title"] == "Plan A"
    assert {g["title"] for g in data["goals"]} == {
        "Gedeeld doel",
        "Prive doel",
    }  # the family sees all
    assert {a["description"] for a in data["actions"]} == {"Gedeelde actie", "Prive actie"}
    assert len(data["progress"]) == 2 and len(data["agenda"]) == 2 and len(data["logbook"]) == 2
    assert {s["instrument"]["id"] for s in data["screenings"]} == {"zrm-2017", "zrm-huishouden"}
    goal_ids = {g["id"] for g in data["goals"]}
    assert all(a["goal"] in goal_ids for a in data["actions"])  # references resolve inside the file
    assert all(g["version"] >= 1 and g["created_at"] for g in data["goals"])
    assert str(scenario.a.goal.id) not in {g["id"] for g in data["goals"]}  # no database ids
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.exported"))
    assert event.actor_id == scenario.users["client"].id


def test_only_the_family_and_coordinator_export(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    url = f"/plans/{scenario.a.plan.public_id}/export.json"
    assert as_persona("coordinator").get(url).status_code == 200
    for persona in ("network", "professional", "team_lead"):
        assert as_persona(persona).get(url).status_code == 403, persona
    assert as_persona("other_client").get(url).status_code == 404
