"""The demo command: every demo account, idempotent, never in production."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from pytest import MonkeyPatch
from sqlalchemy import func, select

from samenplan.accounts.models import Organisation, Role, Team, User
from samenplan.demo import ACCOUNTS, DEFAULT_PASSWORD
from samenplan.extensions import db
from tests.conftest import login

DESIGN_ACCOUNTS = {
    "regisseur@demo.test": Role.PROFESSIONAL,
    "hulpverlener@demo.test": Role.PROFESSIONAL,
    "ouder@demo.test": Role.CLIENT,
    "jongere@demo.test": Role.CLIENT,
    "ouder2@demo.test": Role.CLIENT,  # the second household's parent
    "netwerk@demo.test": Role.NETWORK,
    "buitenstaander@demo.test": Role.PROFESSIONAL,
    "teamleider@demo.test": Role.TEAM_LEAD,
    "beleid@demo.test": Role.POLICY,
    "beheer@demo.test": Role.ADMIN,
}


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_demo_creates_every_account_once_and_they_log_in(app: Flask, client: FlaskClient) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert DEFAULT_PASSWORD in first.output
    counts = (_count(Organisation), _count(Team), _count(User))
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "Passwords unchanged" in second.output
    assert (_count(Organisation), _count(Team), _count(User)) == counts

    stored = {
        u.email: u.role
        for u in db.session.scalars(select(User).where(User.email.not_like("synth-%")))
    }
    assert stored == DESIGN_ACCOUNTS == {a.email: a.role for a in ACCOUNTS}
    hulpverlener = db.session.scalars(
        select(User).where(User.email == "hulpverlener@demo.test")
    ).one()
    regisseur = db.session.scalars(select(User).where(User.email == "regisseur@demo.test")).one()
    assert hulpverlener.organisation_id != regisseur.organisation_id
    for email in DESIGN_ACCOUNTS:
        assert login(client, email, DEFAULT_PASSWORD).status_code == 302, email
        client.post("/logout")


def test_demo_loads_a_region_for_the_monitor(app: Flask, client: FlaskClient) -> None:
    """The demo's team lead and policy officer see figures, with at least one hidden cell."""
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    for email in ("teamleider@demo.test", "beleid@demo.test"):
        login(client, email, DEFAULT_PASSWORD)
        page = client.get("/monitoring/").get_data(as_text=True)
        assert "Afgesloten plannen per reden" in page and "&lt; 10" in page, email
        assert "Werk &amp; opleiding" in page  # goals and checks per life area
        client.post("/logout")


def test_demo_password_option_resets_every_demo_password(app: Flask, client: FlaskClient) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["demo", "--password", "een-ander-demo-wachtwoord"])
    assert result.exit_code == 0 and "een-ander-demo-wachtwoord" in result.output
    for email in DESIGN_ACCOUNTS:
        assert login(client, email, "een-ander-demo-wachtwoord").status_code == 302, email
        client.post("/logout")
    weak = runner.invoke(args=["demo", "--password", "demo"])
    assert weak.exit_code != 0


def test_demo_reads_the_password_from_the_environment(app: Flask, client: FlaskClient) -> None:
    result = app.test_cli_runner().invoke(
        args=["demo"], env={"DEMO_PASSWORD": "omgeving-geeft-dit-wachtwoord"}
    )
    assert result.exit_code == 0
    assert login(client, "ouder@demo.test", "omgeving-geeft-dit-wachtwoord").status_code == 302


def test_demo_refuses_production(app: Flask, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "SAMENPLAN_ENV", "production")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0 and "not for production" in result.output
    assert _count(User) == 0
