"""The plan follows the client: export here, import elsewhere with the shell command, export
again, and the content is the same. People are invited again and see nothing before they
accept."""

from __future__ import annotations

import email
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from samenplan import migrate
from samenplan.accounts import services as account_services
from samenplan.accounts.models import Organisation, Role, User
from samenplan.audit.models import AuditEvent
from samenplan.clock import utcnow
from samenplan.db import make_engine
from samenplan.extensions import db
from samenplan.plans.models import Participation, Plan, PlanRole
from samenplan.screening.models import Perspective
from tests.conftest import PASSWORD
from tests.plans.factories import grow_plan
from tests.scenario import Scenario, make_screening

RENAMED = "Gedeeld doel, in onze eigen woorden"


def _enrich(scenario: Scenario) -> None:
    """What a real plan collects over time: edited goals (version 2), a network consent, a
    participant who left, the family's own view of a screening, many items."""
    a = scenario.a
    assert a.goal is not None and a.screening is not None
    a.goal.title = RENAMED
    a.persons["child"].network_consent_by_id = scenario.users["client"].id
    a.persons["child"].network_consent_at = utcnow()
    a.participations["professional"].removed_at = utcnow()
    make_screening(
        a.plan,
        a.persons["parent"],
        scenario.users["client"],
        days_ago=5,
        values=(3, 40, 30, 30),
        perspective=Perspective.CLIENT,
        view_of=a.screening,
    )
    grow_plan(
        a.plan,
        [a.participations["client"], a.participations["network"]],
        scenario.users["client"].id,
        goals=6,
        actions=12,
        progress=12,
        agenda=4,
        log=8,
    )
    db.session.commit()


def _export(client: FlaskClient, public_id: str) -> dict[str, Any]:
    response = client.get(f"/plans/{public_id}/export.json")
    assert response.status_code == 200, response.status_code
    data: dict[str, Any] = response.json
    return data


def _import(app: Flask, path: Path, *extra: str) -> Any:
    return app.test_cli_runner().invoke(
        args=["import-plan", str(path), "--organisation", "Nieuw Wijkteam", *extra]
    )


def _links(outbox: Path) -> dict[str, str]:
    found = {}
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        body = message.get_payload(decode=True).decode()
        match = re.search(r"https?://[^/\s]+(/invitations/\S+)", body)
        assert match and "verhuisd naar Nieuw Wijkteam" in body, body
        found[message["To"]] = match.group(1)
    return found


@pytest.fixture
def organisation() -> Organisation:
    """The organisation that takes the plan in."""
    organisation = Organisation(name="Nieuw Wijkteam")
    db.session.add(organisation)
    db.session.commit()
    return organisation


@pytest.fixture
def plan_file(scenario: Scenario, as_persona: Callable[[str], FlaskClient], tmp_path: Path) -> Path:
    """Plan A as its family downloads it."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_export(as_persona("client"), scenario.a.plan.public_id)))
    return path


@contextmanager
def other_installation(url: str) -> Iterator[None]:
    """Point the app at another, freshly migrated database for a while: the receiving side."""
    migrate.upgrade(url)
    engine = make_engine(url)
    kept = {k: db.session.session_factory.kw[k] for k in ("bind", "join_transaction_mode")}
    kept_engine = db._engine
    db.session.remove()
    db._engine = engine
    db.session.configure(bind=engine, join_transaction_mode="conditional_savepoint")
    try:
        yield
    finally:
        db.session.remove()
        db._engine = kept_engine
        db.session.configure(**kept)
        engine.dispose()


def test_round_trip_into_a_fresh_installation(
    app: Flask,
    scenario: Scenario,
    as_persona: Callable[[str], FlaskClient],
    client: FlaskClient,
    outbox: Path,
    scratch_url: str,
    tmp_path: Path,
) -> None:
    _enrich(scenario)
    pid = scenario.a.plan.public_id
    coordinator, parent = as_persona("coordinator"), as_persona("client")
    scenario.a.plan.evaluation_months = 6
    scenario.a.plan.network_default = False  # the family shares new items only by choice
    db.session.commit()
    # two agreed versions, answered with a remark and with a reason
    for answers in (
        {"client": ("agree_remark", "Werk komt later"), "coordinator": ("agree", "")},
        {"client": ("disagree", "Te veel tegelijk")},
    ):
        url = coordinator.post(f"/plans/{pid}/versions/new").headers["Location"]
        for persona, (answer, remark) in answers.items():
            c = parent if persona == "client" else coordinator
            assert c.post(url, data={"answer": answer, "remark": remark}).status_code == 303
    first = _export(parent, pid)
    assert len(first["goals"]) == 8 and any(g["version"] == 2 for g in first["goals"])
    assert first["plan"]["evaluation_months"] == 6 and first["plan"]["network_default"] is False
    assert [len(v["answers"]) for v in first["versions"]] == [2, 1]
    assert first["versions"][1]["answers"][0]["remark"] == "Te veel tegelijk"
    assert {g["id"] for g in first["versions"][0]["content"]["goals"]} <= {
        g["id"] for g in first["goals"]
    }
    assert any(p["removed_at"] for p in first["participants"])
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(first))

    with other_installation(scratch_url):
        db.session.add(Organisation(name="Nieuw Wijkteam"))
        db.session.commit()
        result = _import(app, path)
        assert result.exit_code == 0, result.output
        assert "8 goals" in result.output
        assert "Invited ouder@example.test as client" in result.output
        links = _links(outbox)
        # everyone who still took part is invited again; whoever left is not
        assert set(links) == {
            "ouder@example.test",
            "regie@example.test",
            "oma@example.test",
        }
        # nobody can log in to the accounts made for them before they accept
        for address in links:
            assert account_services.check_credentials(address, PASSWORD) is None
        db.session.rollback()  # SQLite: our read must not hold the lock the request writes with
        # the family accepts: they choose a password on the waiting account and are in
        page = client.get(links["ouder@example.test"])
        assert 'value="Ouder"' in page.get_data(as_text=True)  # the name from the plan
        joined = client.post(
            links["ouder@example.test"],
            data={"name": "Ouder", "password": PASSWORD, "password_confirm": PASSWORD},
        )
        assert joined.status_code == 303, joined.get_data(as_text=True)
        public_id = joined.headers["Location"].split("/")[2]
        second = _export(client, public_id)
        # the coordinator is a professional: their account is made by an administrator
        client.post("/logout")
        assert "beheerder" in client.get(links["regie@example.test"]).get_data(as_text=True)
        assert db.session.scalar(select(func.count()).select_from(Plan)) == 1

    first.pop("exported_at"), second.pop("exported_at")
    for part in first:  # part by part, so a failure names what differs
        assert second[part] == first[part], part


@pytest.mark.usefixtures("organisation")
def test_import_into_the_same_installation_links_accounts_and_waits_for_acceptance(
    app: Flask,
    scenario: Scenario,
    as_persona: Callable[[str], FlaskClient],
    outbox: Path,
    plan_file: Path,
) -> None:
    users_before = db.session.scalar(select(func.count()).select_from(User))

    result = _import(app, plan_file, "--base-url", "https://samenplan.example.nl")
    assert result.exit_code == 0, result.output
    assert "New accounts waiting for their owner: 0." in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before
    imported = db.session.scalars(select(Plan).order_by(Plan.id.desc())).first()
    assert imported is not None and imported.title == "Plan A"
    assert imported.id != scenario.a.plan.id
    parts = db.session.scalars(
        select(Participation).where(Participation.plan_id == imported.id)
    ).all()
    assert parts and all(p.pending for p in parts)
    mail = next(outbox.glob("*.eml")).read_text()
    assert "https://samenplan.example.nl/invitations/" in mail

    url = f"/plans/{imported.public_id}/"
    family = as_persona("client")
    assert family.get(url).status_code == 404  # not theirs until they accept
    # the coordinator is in the lead's team, but has not joined the imported plan yet
    team_page = as_persona("team_lead").get("/plans/team").get_data(as_text=True)
    assert scenario.a.plan.public_id in team_page and imported.public_id not in team_page
    link = _links(outbox)["ouder@example.test"]
    accepted = family.post(link, data={})
    assert accepted.status_code == 303
    assert family.get(url).status_code == 200
    assert as_persona("network").get(url).status_code == 404  # still waiting for them

    [event] = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "plan.imported", AuditEvent.plan_id == imported.id
        )
    )
    assert event.actor_id is None and event.details["organisation"] == "Nieuw Wijkteam"
    assert event.details["counts"]["goals"] == 2
    trail = family.get(f"/plans/{imported.public_id}/audit").get_data(as_text=True)
    assert "Samenplan-beheer" in trail


def test_a_waiting_professional_account_is_completed_by_the_administrator(
    app: Flask, scenario: Scenario, organisation: Organisation, plan_file: Path
) -> None:
    data = json.loads(plan_file.read_text())
    data["participants"][1]["email"] = "nieuwe.regie@example.test"  # the coordinator
    plan_file.write_text(json.dumps(data))
    assert _import(app, plan_file).exit_code == 0
    waiting = account_services.get_user_by_email("nieuwe.regie@example.test")
    assert waiting is not None and waiting.awaiting_invitation and not waiting.active
    assert waiting.role == Role.PROFESSIONAL and waiting.organisation_id == organisation.id
    assert account_services.check_credentials("nieuwe.regie@example.test", PASSWORD) is None

    user = account_services.create_user(
        scenario.users["admin"],
        email="nieuwe.regie@example.test",
        name="Nieuwe Regie",
        role=Role.PROFESSIONAL,
        password=PASSWORD,
        organisation=organisation,
    )
    db.session.commit()
    assert user.id == waiting.id and user.active and not user.awaiting_invitation
    assert account_services.check_credentials("nieuwe.regie@example.test", PASSWORD) is not None


@pytest.mark.usefixtures("organisation")
def test_a_file_that_cannot_be_imported_writes_nothing(
    app: Flask, plan_file: Path, tmp_path: Path
) -> None:
    good = json.loads(plan_file.read_text())
    plans_before = db.session.scalar(select(func.count()).select_from(Plan))

    def attempt(data: Any, *extra: str) -> str:
        path = tmp_path / "bad.json"
        path.write_text(data if isinstance(data, str) else json.dumps(data))
        result = _import(app, path, *extra)
        assert result.exit_code != 0
        assert db.session.scalar(select(func.count()).select_from(Plan)) == plans_before
        return str(result.output)

    assert "not a JSON file" in attempt("{half")
    assert "not a Samenplan plan export" in attempt({"format": "other"})
    assert "reads versions 1, 2" in attempt({**good, "version": 3})
    no_title = json.loads(json.dumps(good))
    del no_title["plan"]["title"]
    assert "plan: 'title' is a required property" in attempt(no_title)
    unknown = json.loads(json.dumps(good))
    unknown["screenings"][0]["instrument"]["id"] = "zrm-2099"
    assert "instrument 'zrm-2099' is not installed here" in attempt(unknown)
    dangling = json.loads(json.dumps(good))
    dangling["actions"][0]["goal"] = "goal-99"
    assert "goal-99 is not in the file" in attempt(dangling)
    goal = {k: good["goals"][0][k] for k in ("title", "domain", "status")}
    goal |= {"target_date": None, "shared": True}
    dangling["actions"][0]["goal"] = good["actions"][0]["goal"]
    dangling["versions"] = [
        {
            "number": 1,
            "created_at": good["exported_at"],
            "created_by": None,
            "asked": [],
            "content": {
                "goals": [
                    goal | {"id": "goal-98", "person_id": None},
                    goal | {"id": "goal-1", "person_id": "person-97"},
                ],
                "actions": [],
            },
            "answers": [],
        }
    ]
    refused = attempt(dangling)
    assert "version 1: goal-98 is not in the file" in refused and "person-97" in refused
    assert "no organisation named 'Elders'" in attempt(good, "--organisation", "Elders")


@pytest.mark.usefixtures("organisation")
def test_a_file_of_the_first_version_is_still_read(app: Flask, plan_file: Path) -> None:
    """Files written before plans had evaluation cycles and agreed versions."""
    data = json.loads(plan_file.read_text())
    del data["plan"]["evaluation_months"], data["plan"]["network_default"], data["versions"]
    plan_file.write_text(json.dumps(data | {"version": 1}))
    result = _import(app, plan_file)
    assert result.exit_code == 0, result.output
    imported = db.session.scalars(select(Plan).order_by(Plan.id.desc())).first()
    assert imported is not None and imported.evaluation_months == 3


@pytest.mark.usefixtures("organisation")
def test_pending_participants_are_shown_and_can_be_invited_again(
    app: Flask, as_persona: Callable[[str], FlaskClient], outbox: Path, plan_file: Path
) -> None:
    assert _import(app, plan_file).exit_code == 0
    imported = db.session.scalars(select(Plan).order_by(Plan.id.desc())).first()
    assert imported is not None
    family = as_persona("client")
    assert family.post(_links(outbox)["ouder@example.test"], data={}).status_code == 303
    page = family.get(f"/plans/{imported.public_id}/participants").get_data(as_text=True)
    # the coordinator, the grandmother and the other professional
    assert page.count("nog niet weer mee") == 3
    again = family.post(
        f"/plans/{imported.public_id}/participants",
        data={"email": "oma@example.test", "role": PlanRole.NETWORK.value, "person": "None"},
    )
    assert again.status_code == 303  # a new link for someone who lost theirs
