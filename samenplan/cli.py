"""Shell commands: ``flask --app samenplan db upgrade | create-user | demo``."""

from __future__ import annotations

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from samenplan import migrate
from samenplan.accounts import services
from samenplan.accounts.models import ADMIN_CREATABLE_ROLES, Organisation, Role, Team
from samenplan.errors import DomainError
from samenplan.extensions import db

db_cli = AppGroup("db", help="Database migrations (Alembic).")


def _config() -> Config:
    return migrate.alembic_config(current_app.config["DATABASE_URL"])


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the database schema up to REVISION (default: the newest)."""
    _ensure_sqlite_dir()
    command.upgrade(_config(), revision)


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Step the schema back to REVISION (for example -1)."""
    command.downgrade(_config(), revision)


@db_cli.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    command.current(_config(), verbose=True)


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="A short slug for the change.")
@click.option("--autogenerate/--empty", default=True)
def db_revision(message: str, autogenerate: bool) -> None:
    """Write a new migration by comparing the models with the database."""
    command.revision(_config(), message=message, autogenerate=autogenerate)


@db_cli.command("check")
def db_check() -> None:
    """Fail when the models and the migrations disagree."""
    command.check(_config())


def _ensure_sqlite_dir() -> None:
    url: str = current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in ADMIN_CREATABLE_ROLES]), required=True)
@click.option("--organisation", "organisation_name", help="Name of an existing organisation.")
@click.option("--team", "team_name", help="Name of a team in that organisation.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option(
    "--must-change-password/--keep-password",
    default=True,
    help="Ask for a new password at first login (default).",
)
def create_user_command(
    email: str,
    name: str,
    role: str,
    organisation_name: str | None,
    team_name: str | None,
    password: str,
    must_change_password: bool,
) -> None:
    """Create a professional, team lead, policy officer or administrator."""
    organisation = None
    team = None
    if organisation_name:
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.name == organisation_name)
        )
        if organisation is None:
            raise click.UsageError(f"no organisation named {organisation_name!r}")
    if team_name:
        if organisation is None:
            raise click.UsageError("--team needs --organisation")
        team = db.session.scalar(
            select(Team).where(Team.organisation_id == organisation.id, Team.name == team_name)
        )
        if team is None:
            raise click.UsageError(f"no team named {team_name!r} in {organisation_name!r}")
    try:
        user = services.create_user(
            None,
            email=email,
            name=name,
            role=Role(role),
            password=password,
            organisation=organisation,
            team=team,
            must_change_password=must_change_password,
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


def init_app(app: Flask) -> None:
    from samenplan.demo import demo_command

    app.cli.add_command(db_cli)
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_command)
