"""Shell commands: ``flask --app samenplan db upgrade | create-user | demo | import-plan |
worker | audit verify | audit head``."""

from __future__ import annotations

import time
from typing import Any

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from samenplan import migrate
from samenplan.accounts import services
from samenplan.accounts.models import ADMIN_CREATABLE_ROLES, Organisation, Role, Team
from samenplan.accounts.monitored import set_monitored
from samenplan.audit import chain
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
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    help="CBS code (GM0080) a policy officer may monitor; repeat for more.",
)
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
    municipalities: tuple[str, ...],
    password: str,
    must_change_password: bool,
) -> None:
    """Create a professional, team lead, policy officer or administrator."""
    organisation = _organisation(organisation_name) if organisation_name else None
    team = None
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
        set_monitored(None, user, [code.strip().upper() for code in municipalities])
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


def _organisation(name: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if organisation is None:
        raise click.UsageError(f"no organisation named {name!r}")
    return organisation


@click.command("import-plan")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--organisation",
    "organisation_name",
    required=True,
    help="The organisation that takes the plan in; accounts made for its professionals "
    "belong to it.",
)
@click.option(
    "--base-url",
    help="The address people open Samenplan at, for the links in the invitations "
    "(default: PUBLIC_URL).",
)
def import_plan_command(file: Any, organisation_name: str, base_url: str | None) -> None:
    """Bring in a plan exported by another Samenplan (its export.json) and invite everyone
    who took part again. Nothing is written when the file cannot be imported."""
    from samenplan.plans.mails import send_invitation
    from samenplan.reports.importer import import_plan, read_export

    organisation = _organisation(organisation_name)
    base_url = base_url or current_app.config["PUBLIC_URL"]
    if not base_url:
        raise click.UsageError("give --base-url or set PUBLIC_URL, for the invitation links")
    try:
        result = import_plan(
            read_export(file.read()),
            organisation,
            invitation_days=current_app.config["INVITATION_DAYS"],
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    plan = result.plan
    counts = ", ".join(f"{n} {part}" for part, n in result.counts.items())
    click.echo(f"Imported plan {plan.title!r} (id {plan.public_id}): {counts}.")
    click.echo(f"New accounts waiting for their owner: {result.new_accounts}.")
    with current_app.test_request_context(base_url=base_url):
        for invitation, token in result.invitations:
            send_invitation(
                plan,
                email=invitation.email,
                role=invitation.role,
                token=token,
                expires=invitation.expires_at,
                inviter="",
                moved_to=organisation.name,
            )
            click.echo(f"Invited {invitation.email} as {invitation.role.value}.")


@click.command("send-reminders")
def send_reminders_command() -> None:
    """One round of reminder mails by hand (the worker does it every 15 minutes)."""
    from samenplan.clock import utcnow
    from samenplan.reminders.send import run

    try:
        found, mails = run(current_app._get_current_object(), utcnow())  # type: ignore[attr-defined]
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{found} new reminders, {mails} mails sent.")


@click.command("worker")
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    help="How many tasks run at once (default: QUEUE_WORKERS).",
)
@click.option(
    "--worker-type",
    "-k",
    type=click.Choice(["process", "thread"]),
    default="process",
    show_default=True,
    help="Processes render PDFs in parallel (WeasyPrint is CPU work, so threads would queue "
    "on Python's GIL) and a crash takes down one task, not the worker.",
)
def worker_command(workers: int | None, worker_type: str) -> None:
    """Run the queue worker: print runs and other background work. Ctrl+C finishes the
    tasks in hand; SIGTERM stops at once and puts them back in the queue."""
    from samenplan import tasks

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    tasks.run_worker(app, workers=workers or app.config["QUEUE_WORKERS"], worker_type=worker_type)


audit_cli = AppGroup("audit", help="The audit trail's hash chain.")


def _anchor(_ctx: Any, _param: Any, value: str | None) -> tuple[int, str] | None:
    if value is None:
        return None
    event_id, _, digest = value.partition(":")
    if not (event_id.isdigit() and len(digest) == 64):
        raise click.BadParameter("give ID:HASH, as `flask audit head` prints it")
    return int(event_id), digest.lower()


@audit_cli.command("verify")
@click.option(
    "--anchor",
    callback=_anchor,
    metavar="ID:HASH",
    help="A head noted earlier outside the database: that event must still have that hash "
    "(this also catches the newest events being cut off).",
)
def audit_verify(anchor: tuple[int, str] | None) -> None:
    """Walk the whole chain; name the first broken link. Exit code 1 when broken, 2 when the
    anchor does not match."""
    started = time.perf_counter()
    with db.read_only():
        verdict = chain.verify(db.session(), anchor=anchor)
    seconds = time.perf_counter() - started
    if verdict.broken is not None:
        broken = verdict.broken
        what = (
            "its content or hash was changed"
            if broken.reason == "changed"
            else "the event before it was deleted, changed or inserted"
        )
        click.echo(
            f"BROKEN at audit event {broken.id_text()}: {what}. "
            f"The {verdict.events - 1} events before it are intact.",
            err=True,
        )
        raise SystemExit(1)
    click.echo(
        f"intact: {verdict.events} events in {seconds:.1f} s; "
        f"head {verdict.head_id}:{verdict.head_hash}"
    )
    if anchor is not None and not verdict.anchor_ok:
        click.echo(f"ANCHOR MISMATCH: event {anchor[0]} does not have hash {anchor[1]}", err=True)
        raise SystemExit(2)


@audit_cli.command("head")
def audit_head() -> None:
    """Print the latest event as ID:HASH, to note outside the database (see docs/security.md)."""
    with db.read_only():
        verdict = chain.head(db.session())
    click.echo(f"{verdict[0]}:{verdict[1]}" if verdict else "empty")


def init_app(app: Flask) -> None:
    from samenplan.demo import demo_command
    from samenplan.demo.synth import synth_command

    app.cli.add_command(db_cli)
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(synth_command)
    app.cli.add_command(import_plan_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(audit_cli)
