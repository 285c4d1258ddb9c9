"""Demo data (DESIGN.md §8): organisations, teams and every demo account. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

import click
from flask import current_app
from sqlalchemy import select

from samenplan.accounts import services
from samenplan.accounts.models import Organisation, Role, Team, User
from samenplan.accounts.passwords import hash_password, password_problem
from samenplan.errors import DomainError
from samenplan.extensions import db

DEFAULT_PASSWORD = "samen-verder-met-een-plan"  # noqa: S105  # nosec B105  # printed; demo only

DEMO_ORGANISATION = "Wijkteam Demostad"
OTHER_ORGANISATION = "Jeugdhulp De Linde"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    organisation: str | None = None
    team: str | None = None
    what: str = ""


TEAMS = {DEMO_ORGANISATION: ("Team Noord", "Team Zuid"), OTHER_ORGANISATION: ("Ambulant",)}

ACCOUNTS = (
    DemoAccount(
        "regisseur@demo.test",
        "Sanne de Vries",
        Role.PROFESSIONAL,
        DEMO_ORGANISATION,
        "Team Noord",
        "professional, coordinator of the demo plans",
    ),
    DemoAccount(
        "hulpverlener@demo.test",
        "Youssef El Amrani",
        Role.PROFESSIONAL,
        OTHER_ORGANISATION,
        "Ambulant",
        "professional, other organisation",
    ),
    DemoAccount("ouder@demo.test", "Marieke Jansen", Role.CLIENT, what="parent (client)"),
    DemoAccount("jongere@demo.test", "Daan Jansen", Role.CLIENT, what="youth of 14 (client)"),
    DemoAccount(
        "ouder2@demo.test", "Samira El Idrissi", Role.CLIENT, what="single parent, other household"
    ),
    DemoAccount("netwerk@demo.test", "Joke Jansen", Role.NETWORK, what="grandmother (network)"),
    DemoAccount(
        "buitenstaander@demo.test",
        "Pieter Bakker",
        Role.PROFESSIONAL,
        DEMO_ORGANISATION,
        "Team Zuid",
        "professional in no plan",
    ),
    DemoAccount(
        "teamleider@demo.test",
        "Ingrid Smit",
        Role.TEAM_LEAD,
        DEMO_ORGANISATION,
        "Team Noord",
        "team lead of Team Noord",
    ),
    DemoAccount(
        "beleid@demo.test", "Ahmed Yilmaz", Role.POLICY, DEMO_ORGANISATION, what="policy officer"
    ),
    DemoAccount(
        "beheer@demo.test", "Beheer Demostad", Role.ADMIN, DEMO_ORGANISATION, what="administrator"
    ),
)


def load_demo(password: str | None) -> list[tuple[DemoAccount, bool]]:
    """Create what is missing; with ``password`` set every demo account's password to it.

    Returns each account with whether it was created now. Does not commit.
    """
    organisations: dict[str, Organisation] = {}
    teams: dict[tuple[str, str], Team] = {}
    for org_name, team_names in TEAMS.items():
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == org_name))
        if organisation is None:
            organisation = services.create_organisation(None, name=org_name)
        organisations[org_name] = organisation
        for team_name in team_names:
            team = db.session.scalar(
                select(Team).where(Team.organisation_id == organisation.id, Team.name == team_name)
            )
            if team is None:
                team = services.create_team(None, organisation, name=team_name)
            teams[(org_name, team_name)] = team

    result = []
    users: dict[str, User] = {}
    for account in ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == account.email))
        created = user is None
        if user is None:
            user = services.create_user(
                None,
                email=account.email,
                name=account.name,
                role=account.role,
                password=password or DEFAULT_PASSWORD,
                organisation=organisations.get(account.organisation or ""),
                team=teams.get((account.organisation or "", account.team or "")),
            )
        elif password:
            user.password_hash = hash_password(password)
            user.must_change_password = False
            user.active = True
        users[account.email] = user
        result.append((account, created))
    db.session.flush()
    from samenplan.clock import local_today
    from samenplan.demo.families import load_demo_plans
    from samenplan.screening.demo import load_demo_screenings

    plans = load_demo_plans(users, local_today())
    load_demo_screenings(users, plans[0], local_today())
    for plan in plans:
        plan.municipality_code = plan.municipality_code or DEMO_MUNICIPALITIES[0]
    _load_monitor_region(users, teams[(DEMO_ORGANISATION, "Team Noord")])
    return result


#: the demo policy officer's municipalities (Leeuwarden, Smallingerland), where the demo
#: plans and the synthetic households of the monitor live
DEMO_MUNICIPALITIES = ("GM0080", "GM0090")
DEMO_REGION_SEED = 2026
DEMO_REGION_HOUSEHOLDS = 1000


def _load_monitor_region(users: dict[str, User], team: Team) -> None:
    """Synthetic households so that the monitor shows figures: in Leeuwarden with Team Noord
    (the demo team lead's team) and in Smallingerland; once (the region's seed is fixed)."""
    from samenplan.accounts.models import UserMunicipality
    from samenplan.demo.synth import seed_used, synthesize

    policy = users["beleid@demo.test"]
    known = set(
        db.session.scalars(
            select(UserMunicipality.code).where(UserMunicipality.user_id == policy.id)
        )
    )
    db.session.add_all(
        UserMunicipality(user_id=policy.id, code=code)
        for code in DEMO_MUNICIPALITIES
        if code not in known
    )
    db.session.flush()
    if not seed_used(DEMO_REGION_SEED):
        synthesize(
            DEMO_REGION_HOUSEHOLDS,
            DEMO_REGION_SEED,
            only=["Leeuwarden", "Smallingerland"],
            home_team=team,
        )


@click.command("demo")
@click.option(
    "--password",
    envvar="DEMO_PASSWORD",
    default=None,
    help="Set every demo account's password to this (also from DEMO_PASSWORD).",
)
def demo_command(password: str | None) -> None:
    """Create the demo organisations, teams and accounts (safe to run again)."""
    if current_app.config["SAMENPLAN_ENV"] == "production":
        raise click.ClickException("the demo data is not for production (SAMENPLAN_ENV=production)")
    if password:
        problem = password_problem(password)
        if problem:
            raise click.ClickException(problem)
    try:
        rows = load_demo(password)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    shown = password or DEFAULT_PASSWORD
    click.echo("Demo accounts (log in at http://127.0.0.1:5000/login):")
    for account, created in rows:
        state = "new" if created else ("password set" if password else "exists")
        click.echo(f"  {account.email:<26} {account.role.value:<13} {account.what} [{state}]")
    if password or any(created for _, created in rows):
        click.echo(f"Password for all demo accounts: {shown}")
    else:
        click.echo("Passwords unchanged; use --password to set them.")
