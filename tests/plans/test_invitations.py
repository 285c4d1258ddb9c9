"""Inviting people: a single-use link with an expiry, by mail (the outbox in tests)."""

from __future__ import annotations

import datetime as dt
import email
import re
from collections.abc import Callable
from pathlib import Path

import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.accounts.models import Role, User
from samenplan.extensions import db
from samenplan.plans.models import Invitation, Participation, PlanRole
from tests.conftest import PASSWORD, login
from tests.scenario import Scenario


def _link(outbox: Path, to: str) -> str:
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        if message["To"] == to:
            body = message.get_payload(decode=True).decode()
            match = re.search(r"https?://[^/\s]+(/invitations/\S+)", body)
            assert match, body
            return match.group(1)
    raise AssertionError(f"no mail to {to} in {list(outbox.iterdir())}")


def _invite(c: FlaskClient, scenario: Scenario, to: str, role: str) -> FlaskClient:
    response = c.post(
        f"/plans/{scenario.a.plan.public_id}/participants",
        # the family answers what the network sees when the first network member is invited
        data={"email": to, "role": role, "person": "None", "network_default": "shared"},
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    return c


def test_invitee_without_account_makes_one_and_joins(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient], client: FlaskClient, outbox: Path
) -> None:
    _invite(as_persona("client"), scenario, "Opa@Example.test", "network")
    link = _link(outbox, "opa@example.test")
    invitation = db.session.scalars(
        select(Invitation).where(Invitation.email == "opa@example.test")
    ).one()
    assert link.rsplit("/", 1)[1] not in invitation.token_hash  # only a hash is stored
    page = client.get(link)
    assert page.status_code == 200 and "Account maken en meedoen" in page.get_data(as_text=True)
    weak = client.post(
        link, data={"name": "Opa Piet", "password": "kort", "password_confirm": "kort"}
    )
    assert weak.status_code == 200 and 'value="Opa Piet"' in weak.get_data(as_text=True)
    joined = client.post(
        link, data={"name": "Opa Piet", "password": PASSWORD, "password_confirm": PASSWORD}
    )
    assert joined.status_code == 303 and joined.headers["Location"].startswith(
        f"/plans/{scenario.a.plan.public_id}/"
    )
    assert client.get(joined.headers["Location"]).status_code == 200
    opa = db.session.scalars(select(User).where(User.email == "opa@example.test")).one()
    assert opa.role == Role.NETWORK
    # the link works once
    client.post("/logout")
    assert client.get(link).status_code == 404


def test_invitee_with_account_logs_in_and_accepts(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient], client: FlaskClient, outbox: Path
) -> None:
    _invite(as_persona("coordinator"), scenario, "buiten@example.test", "professional")
    link = _link(outbox, "buiten@example.test")
    assert "Log in om mee te doen" in client.get(link).get_data(as_text=True)
    assert login(client, "buiten@example.test").status_code == 302
    assert client.post(link).status_code == 303
    joined = db.session.scalars(
        select(Participation).where(Participation.user_id == scenario.users["outsider"].id)
    ).one()
    assert joined.role == PlanRole.PROFESSIONAL and joined.plan_id == scenario.a.plan.id


def test_someone_else_logged_in_cannot_use_the_link(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient], outbox: Path
) -> None:
    _invite(as_persona("client"), scenario, "nieuw@example.test", "network")
    link = _link(outbox, "nieuw@example.test")
    intruder = as_persona("other_client")
    assert "Deze uitnodiging is voor nieuw@example.test" in intruder.get(link).get_data(
        as_text=True
    )
    intruder.post(link)
    assert (
        db.session.scalars(
            select(Participation).where(
                Participation.user_id == scenario.users["other_client"].id,
                Participation.plan_id == scenario.a.plan.id,
            )
        ).first()
        is None
    )


def test_the_link_expires_after_14_days(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient], client: FlaskClient, outbox: Path
) -> None:
    _invite(as_persona("client"), scenario, "laat@example.test", "network")
    link = _link(outbox, "laat@example.test")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=13, hours=23), tick=False):
        assert client.get(link).status_code == 200
    with time_machine.travel(
        dt.datetime.now(dt.UTC) + dt.timedelta(days=14, minutes=1), tick=False
    ):
        assert client.get(link).status_code == 404


def test_who_may_invite_whom(scenario: Scenario, as_persona: Callable[[str], FlaskClient]) -> None:
    url = f"/plans/{scenario.a.plan.public_id}/participants"
    family = as_persona("client")
    refused = family.post(url, data={"email": "x@example.test", "role": "client", "person": "None"})
    assert refused.status_code == 200  # not a choice for a family member
    assert "Doet mee als" in refused.get_data(as_text=True)
    assert (
        as_persona("network")
        .post(url, data={"email": "y@example.test", "role": "network"})
        .status_code
        == 403
    )
    assert (
        as_persona("professional")
        .post(url, data={"email": "y@example.test", "role": "network"})
        .status_code
        == 403
    )
    ok = as_persona("coordinator").post(
        url, data={"email": "z@example.test", "role": "client", "person": "None"}
    )
    assert ok.status_code == 303


def test_removing_a_participant_ends_access_and_their_open_invitations(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient], client: FlaskClient, outbox: Path
) -> None:
    a = scenario.a
    network = as_persona("network")
    assert network.get(f"/plans/{a.plan.public_id}/").status_code == 200
    # The family removes grandma from the network: her access ends on her next request.
    response = as_persona("client").post(
        f"/plans/{a.plan.public_id}/participants/{a.participations['network'].id}/remove"
    )
    assert response.status_code == 303
    assert network.get(f"/plans/{a.plan.public_id}/").status_code == 404
    # A participant who is removed takes their sent invitations with them.
    _invite(as_persona("coordinator"), scenario, "later@example.test", "network")
    link = _link(outbox, "later@example.test")
    invitation = db.session.scalars(
        select(Invitation).where(Invitation.email == "later@example.test")
    ).one()
    # hand coordination to the client, then remove the professional who sent the invitation
    family = as_persona("client")
    coordinator = as_persona("coordinator")
    assert (
        coordinator.post(
            f"/plans/{a.plan.public_id}/coordinator", data={"to": a.participations["client"].id}
        ).status_code
        == 303
    )
    assert (
        family.post(
            f"/plans/{a.plan.public_id}/participants/{a.participations['coordinator'].id}/remove"
        ).status_code
        == 303
    )
    db.session.refresh(invitation)
    assert invitation.revoked_at is not None
    assert client.get(link).status_code == 404
    assert coordinator.get(f"/plans/{a.plan.public_id}/").status_code == 404
