"""Administrators create organisations, teams and accounts through the web UI."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.accounts.models import Organisation, Role, Team, User, UserSession
from samenplan.accounts.monitored import monitored_codes
from samenplan.audit.models import AuditEvent
from samenplan.extensions import db
from tests.conftest import PASSWORD, login

ADMIN_PAGES = [
    "/admin/",
    "/admin/organisations",
    "/admin/teams",
    "/admin/users",
    "/admin/users/new",
]


def test_only_administrators_reach_administration(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    for role, user in users.items():
        c = client_as(user)
        for url in [*ADMIN_PAGES, f"/admin/users/{user.id}"]:
            expected = 200 if role == Role.ADMIN else 403
            assert c.get(url).status_code == expected, (role, url)
        response = c.post("/admin/organisations", data={"name": "Sluiproute"})
        assert response.status_code == (303 if role == Role.ADMIN else 403), role
    assert db.session.scalars(select(Organisation).where(Organisation.name == "Sluiproute")).all()


def test_admin_builds_an_organisation_with_a_team_and_a_professional(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User], client: FlaskClient
) -> None:
    admin = client_as(users[Role.ADMIN])
    assert admin.post("/admin/organisations", data={"name": "Wijkteam Oost"}).status_code == 303
    org = db.session.scalars(select(Organisation).where(Organisation.name == "Wijkteam Oost")).one()
    assert (
        admin.post("/admin/teams", data={"organisation": org.id, "name": "Team A"}).status_code
        == 303
    )
    team = db.session.scalars(select(Team).where(Team.name == "Team A")).one()
    response = admin.post(
        "/admin/users/new",
        data={
            "name": "Fatima Bouzid",
            "email": "Fatima@Wijkteam-Oost.test",
            "role": "professional",
            "organisation": str(org.id),
            "team": str(team.id),
            "password": "eerste-wachtwoord-voor-fatima",
        },
    )
    assert response.status_code == 303
    user = db.session.scalars(select(User).where(User.email == "fatima@wijkteam-oost.test")).one()
    assert (user.role, user.organisation_id, user.team_id) == (Role.PROFESSIONAL, org.id, team.id)
    assert user.must_change_password
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"organisation.created", "team.created", "user.created"} <= actions

    # The new professional logs in and must first choose their own password.
    assert login(client, user.email, "eerste-wachtwoord-voor-fatima").status_code == 302
    forced = client.get("/plans/")
    assert forced.headers["Location"] == "/account/password"
    response = client.post(
        "/account/password",
        data={
            "current_password": "eerste-wachtwoord-voor-fatima",
            "password": "mijn-eigen-wachtwoord-nu",
            "password_confirm": "mijn-eigen-wachtwoord-nu",
        },
    )
    assert response.status_code == 303
    assert client.get("/plans/").status_code == 200


def test_duplicate_email_keeps_what_was_typed(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    admin = client_as(users[Role.ADMIN])
    response = admin.post(
        "/admin/users/new",
        data={
            "name": "Dubbel Persoon",
            "email": users[Role.POLICY].email.upper(),
            "role": "policy",
            "organisation": "None",
            "team": "None",
            "password": "een-lang-goed-wachtwoord",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Er is al een account met dit e-mailadres." in body
    assert 'value="Dubbel Persoon"' in body
    assert 'href="#email"' in body  # the error summary links to the field


def test_malformed_admin_input_gives_messages_not_errors(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    admin = client_as(users[Role.ADMIN])
    for data in (
        {},
        {
            "name": "X",
            "email": "geen-adres",
            "role": "keizer",
            "organisation": "abc",
            "team": "[]",
            "password": "k",
        },
        {
            "name": "Y" * 500,
            "email": "y@example.test",
            "role": "admin",
            "organisation": "999999",
            "team": "None",
            "password": "een-lang-goed-wachtwoord",
        },
    ):
        response = admin.post("/admin/users/new", data=data)
        assert response.status_code == 200, data
        assert "Kijk dit na" in response.get_data(as_text=True)
    assert admin.post("/admin/teams", data={"organisation": "x", "name": ""}).status_code == 200
    assert admin.get("/admin/users?page=abc&q=" + "z" * 500).status_code == 200
    assert admin.get("/admin/users/999999").status_code == 404


def test_role_change_and_deactivation_are_audited_and_end_sessions(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    admin = client_as(users[Role.ADMIN])
    target = users[Role.PROFESSIONAL]
    target_client = client_as(target)
    assert target_client.get("/account/").status_code == 200
    response = admin.post(
        f"/admin/users/{target.id}",
        data={
            "name": target.name,
            "role": "team_lead",
            "organisation": str(target.organisation_id),
            "team": str(users[Role.TEAM_LEAD].team_id),
            "active": "",
        },
    )
    assert response.status_code == 303
    db.session.refresh(target)
    assert target.role == Role.TEAM_LEAD and not target.active
    [role_event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.role_changed")
    )
    assert role_event.details == {"from": "professional", "to": "team_lead"}
    assert role_event.actor_id == users[Role.ADMIN].id
    # The deactivated user's open session ends at once.
    assert target_client.get("/account/").status_code == 302
    assert all(
        s.ended_at
        for s in db.session.scalars(select(UserSession).where(UserSession.user_id == target.id))
    )


def test_admin_cannot_lock_themselves_out(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    me = users[Role.ADMIN]
    response = client_as(me).post(
        f"/admin/users/{me.id}",
        data={
            "name": me.name,
            "role": "admin",
            "organisation": "None",
            "team": "None",
            "active": "",
        },
    )
    assert response.status_code == 200
    assert "Je kunt je eigen beheerrechten niet afnemen" in response.get_data(as_text=True)
    db.session.refresh(me)
    assert me.active


def test_admin_reset_sets_a_first_password_and_ends_sessions(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User], client: FlaskClient
) -> None:
    target = users[Role.CLIENT]
    old = client_as(target)
    response = client_as(users[Role.ADMIN]).post(
        f"/admin/users/{target.id}/password", data={"reset-password": "nieuw-eerste-wachtwoord-7"}
    )
    assert response.status_code == 303
    assert old.get("/account/").status_code == 302
    assert login(client, target.email, PASSWORD).status_code == 200
    assert login(client, target.email, "nieuw-eerste-wachtwoord-7").status_code == 302
    assert client.get("/plans/").headers["Location"] == "/account/password"


def test_create_user_command(app: object, make_user: Callable[..., User]) -> None:
    from flask import Flask

    assert isinstance(app, Flask)
    make_user(Role.TEAM_LEAD)  # makes the test organisation and its team exist
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "lead@example.test",
            "--name",
            "Lea Lead",
            "--role",
            "team_lead",
            "--organisation",
            "Testorganisatie",
            "--team",
            "Testteam",
            "--password",
            "lange-zin-als-wachtwoord",
        ],
    )
    assert result.exit_code == 0, result.output
    lead = db.session.scalars(select(User).where(User.email == "lead@example.test")).one()
    assert lead.role == Role.TEAM_LEAD and lead.team is not None and lead.team.name == "Testteam"
    bad = runner.invoke(
        args=[
            "create-user",
            "--email",
            "x@example.test",
            "--name",
            "X",
            "--role",
            "admin",
            "--password",
            "kort",
        ],
    )
    assert bad.exit_code != 0 and "Gebruik minstens 10 tekens" in bad.output
    unknown = runner.invoke(
        args=[
            "create-user",
            "--email",
            "y@example.test",
            "--name",
            "Y",
            "--role",
            "professional",
            "--organisation",
            "Bestaat Niet",
            "--password",
            "lange-zin-als-wachtwoord",
        ],
    )
    assert unknown.exit_code != 0 and "no organisation named" in unknown.output
    officer = runner.invoke(
        args=[
            "create-user",
            *("--email", "beleid@example.test", "--name", "Bea Beleid", "--role", "policy"),
            *("--municipality", "gm0080", "--municipality", "GM0090"),
            *("--password", "lange-zin-als-wachtwoord"),
        ],
    )
    assert officer.exit_code == 0, officer.output
    policy = db.session.scalars(select(User).where(User.email == "beleid@example.test")).one()
    assert monitored_codes(policy) == ["GM0080", "GM0090"]
    wrong = runner.invoke(
        args=[
            "create-user",
            *("--email", "z@example.test", "--name", "Z", "--role", "policy"),
            *("--municipality", "GM9999", "--password", "lange-zin-als-wachtwoord"),
        ],
    )
    assert wrong.exit_code != 0 and "Kies gemeenten uit de lijst" in wrong.output
    assert db.session.scalars(select(User).where(User.email == "z@example.test")).first() is None


def test_admin_sets_the_municipalities_a_policy_officer_monitors(
    client_as: Callable[[User], FlaskClient], users: dict[Role, User]
) -> None:
    admin = client_as(users[Role.ADMIN])
    officer = users[Role.POLICY]
    assert "Gemeenten die deze beleidsmedewerker" in admin.get(
        f"/admin/users/{officer.id}"
    ).get_data(as_text=True)
    # Before: the officer has no municipality, so no monitor to open.
    assert "GM0080" not in client_as(officer).get("/monitoring/").get_data(as_text=True)
    response = admin.post(
        f"/admin/users/{officer.id}/municipalities",
        data={"monitored-codes": ["GM0080", "GM0090"]},
    )
    assert response.status_code == 303
    monitor = client_as(officer).get("/monitoring/").get_data(as_text=True)
    assert "Leeuwarden" in monitor and "Smallingerland" in monitor
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.municipalities_set")
    )
    assert event.details == {"codes": [[], ["GM0080", "GM0090"]]}
    # An unknown code is refused beside the field, the saved ones stay.
    response = admin.post(
        f"/admin/users/{officer.id}/municipalities", data={"monitored-codes": ["GM9999"]}
    )
    assert response.status_code == 200
    assert "utrecht-form-field--invalid" in response.get_data(as_text=True)
    # A professional has no monitor: the form is not offered and a post is refused.
    professional = users[Role.PROFESSIONAL]
    assert "monitored-codes" not in admin.get(f"/admin/users/{professional.id}").get_data(
        as_text=True
    )
    response = admin.post(
        f"/admin/users/{professional.id}/municipalities", data={"monitored-codes": ["GM0080"]}
    )
    assert response.status_code == 200
    assert (
        len(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "user.municipalities_set")
            ).all()
        )
        == 1
    )
