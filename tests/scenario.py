"""A scenario with every persona of the permission matrix, built directly on the models so
hundreds of matrix cases stay fast; and helpers to build plans of any size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from flask.testing import FlaskClient

from samenplan.accounts.models import Organisation, Role, Team, User
from samenplan.accounts.passwords import hash_password
from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.clock import utcnow
from samenplan.extensions import db
from samenplan.plans.models import (
    Action,
    Goal,
    Invitation,
    LogEntry,
    Participation,
    Person,
    Plan,
    PlanRole,
    ProgressEntry,
    Relation,
)
from samenplan.screening.models import DomainScore, Perspective, Screening, ScreeningStatus
from tests.conftest import PASSWORD

PERSONAS = (
    "client",
    "other_client",
    "network",
    "professional",
    "coordinator",
    "outsider",
    "team_lead",
    "other_team_lead",
    "policy",
    "admin",
    "anonymous",
)


@dataclass
class PlanObjects:
    plan: Plan
    persons: dict[str, Person] = field(default_factory=dict)
    participations: dict[str, Participation] = field(default_factory=dict)
    goal: Goal | None = None
    private_goal: Goal | None = None
    action: Action | None = None
    private_action: Action | None = None
    item: AgendaItem | None = None
    private_item: AgendaItem | None = None
    log: LogEntry | None = None
    private_log: LogEntry | None = None
    invitation: Invitation | None = None
    screening: Screening | None = None
    earlier_screening: Screening | None = None
    draft_screening: Screening | None = None


@dataclass
class Scenario:
    users: dict[str, User]
    a: PlanObjects
    b: PlanObjects


_HASH: dict[str, str] = {}


def new_user(
    email: str,
    role: Role,
    *,
    team: Team | None = None,
    org: Organisation | None = None,
    name: str | None = None,
) -> User:
    if "hash" not in _HASH:
        _HASH["hash"] = hash_password(PASSWORD)
    user = User(
        email=email,
        name=name or email.split("@")[0].replace(".", " ").title(),
        role=role,
        password_hash=_HASH["hash"],
        team=team,
        organisation=org or (team.organisation if team else None),
    )
    db.session.add(user)
    return user


def join(plan: Plan, user: User, role: PlanRole, coordinator: bool = False) -> Participation:
    p = Participation(
        plan_id=plan.id,
        user_id=user.id,
        role=role,
        is_coordinator=coordinator,
        accepted_at=utcnow(),
    )
    db.session.add(p)
    db.session.flush()
    return p


def build_plan(
    title: str,
    client: User,
    coordinator: User | None,
    *,
    network: User | None = None,
    professional: User | None = None,
    child_born: dt.date | None = None,
) -> PlanObjects:
    plan = Plan(title=title)
    db.session.add(plan)
    db.session.flush()
    objs = PlanObjects(plan=plan)
    objs.persons["parent"] = Person(
        plan_id=plan.id,
        name=client.name,
        relation=Relation.PARENT,
        date_of_birth=dt.date(1985, 5, 5),
        user_id=client.id,
    )
    objs.persons["child"] = Person(
        plan_id=plan.id,
        name="Kind",
        relation=Relation.CHILD,
        date_of_birth=child_born or dt.date(2019, 1, 1),
    )
    db.session.add_all(objs.persons.values())
    db.session.flush()
    objs.participations["client"] = join(plan, client, PlanRole.CLIENT)
    if coordinator is not None:
        objs.participations["coordinator"] = join(
            plan, coordinator, PlanRole.PROFESSIONAL, coordinator=True
        )
    if network is not None:
        objs.participations["network"] = join(plan, network, PlanRole.NETWORK)
    if professional is not None:
        objs.participations["professional"] = join(plan, professional, PlanRole.PROFESSIONAL)
    assignee = objs.participations.get("network", objs.participations["client"])
    objs.goal = Goal(
        plan_id=plan.id, domain="finances", title="Gedeeld doel", shared_with_network=True
    )
    objs.private_goal = Goal(
        plan_id=plan.id,
        domain="mental_health",
        title="Prive doel",
        shared_with_network=False,
        person_id=objs.persons["parent"].id,
    )
    db.session.add_all([objs.goal, objs.private_goal])
    db.session.flush()
    objs.action = Action(
        plan_id=plan.id,
        goal_id=objs.goal.id,
        description="Gedeelde actie",
        assignee_id=assignee.id,
        due_date=dt.date.today() - dt.timedelta(days=1),
    )
    objs.private_action = Action(
        plan_id=plan.id,
        goal_id=objs.private_goal.id,
        description="Prive actie",
        assignee_id=objs.participations["client"].id,
    )
    future = utcnow() + dt.timedelta(days=3)
    objs.item = AgendaItem(
        plan_id=plan.id,
        title="Gedeelde afspraak",
        kind=AgendaKind.APPOINTMENT,
        starts_at=future,
        shared_with_network=True,
        expected=[],
    )
    objs.private_item = AgendaItem(
        plan_id=plan.id,
        title="Prive afspraak",
        kind=AgendaKind.APPOINTMENT,
        starts_at=future,
        shared_with_network=False,
        expected=[],
    )
    objs.log = LogEntry(
        plan_id=plan.id, author_id=client.id, text="Gedeeld bericht", shared_with_network=True
    )
    objs.private_log = LogEntry(
        plan_id=plan.id, author_id=client.id, text="Prive bericht", shared_with_network=False
    )
    objs.invitation = Invitation(
        plan_id=plan.id,
        email=f"uitgenodigd-{plan.id}@example.test",
        role=PlanRole.NETWORK,
        token_hash=f"{plan.id:064d}",
        expires_at=utcnow() + dt.timedelta(days=14),
        invited_by_id=objs.participations["client"].id,
    )
    db.session.add_all(
        [
            objs.action,
            objs.private_action,
            objs.item,
            objs.private_item,
            objs.log,
            objs.private_log,
            objs.invitation,
        ]
    )
    author = coordinator or client
    objs.earlier_screening = make_screening(
        plan, objs.persons["parent"], author, days_ago=60, values=(2, 20, 20, 60)
    )
    objs.screening = make_screening(
        plan, objs.persons["parent"], author, days_ago=5, values=(4, 30, 30, 40)
    )
    objs.draft_screening = make_screening(
        plan, None, author, days_ago=0, values=None, instrument="zrm-huishouden"
    )
    for goal, value in ((objs.goal, 4), (objs.private_goal, 6)):
        db.session.add(
            ProgressEntry(
                plan_id=plan.id,
                goal_id=goal.id,
                value=value,
                recorded_on=dt.date.today(),
                author_id=client.id,
            )
        )
    db.session.flush()
    return objs


def make_screening(
    plan: Plan,
    person: Person | None,
    author: User,
    *,
    days_ago: int,
    values: tuple[int, int, int, int] | None,
    instrument: str = "zrm-2017",
    shared: bool = True,
    perspective: Perspective = Perspective.PROFESSIONAL,
    view_of: Screening | None = None,
) -> Screening:
    """A screening with the same values in every domain; ``values`` None makes an empty draft."""
    from samenplan.screening.instruments import registry

    definition = registry().get(instrument)
    assert definition is not None
    screening = Screening(
        plan_id=plan.id,
        person_id=person.id if person else None,
        instrument_id=instrument,
        instrument_version=definition.version,
        perspective=perspective,
        moment=dt.date.today() - dt.timedelta(days=days_ago),
        author_id=author.id,
        status=ScreeningStatus.DRAFT if values is None else ScreeningStatus.COMPLETED,
        completed_at=None if values is None else utcnow(),
        shared_with_network=shared,
        view_of_id=view_of.id if view_of else None,
    )
    db.session.add(screening)
    db.session.flush()
    for position, domain in enumerate(definition.domains):
        score = DomainScore(screening_id=screening.id, domain_id=domain.id, position=position)
        if values is not None:
            score.score, score.own_share, score.network_share, score.professional_share = values
        db.session.add(score)
    db.session.flush()
    return screening


@pytest.fixture
def scenario() -> Scenario:
    org = Organisation(name="Wijkteam")
    other_org = Organisation(name="Jeugdhulp")
    team = Team(organisation=org, name="Noord")
    other_team = Team(organisation=other_org, name="Zuid")
    db.session.add_all([org, other_org, team, other_team])
    users = {
        "client": new_user("ouder@example.test", Role.CLIENT),
        "other_client": new_user("ander.gezin@example.test", Role.CLIENT),
        "network": new_user("oma@example.test", Role.NETWORK),
        "professional": new_user("hulp@example.test", Role.PROFESSIONAL, team=other_team),
        "coordinator": new_user("regie@example.test", Role.PROFESSIONAL, team=team),
        "outsider": new_user("buiten@example.test", Role.PROFESSIONAL, team=team),
        "team_lead": new_user("lead@example.test", Role.TEAM_LEAD, team=team),
        "other_team_lead": new_user(
            "lead2@example.test", Role.TEAM_LEAD, team=Team(organisation=org, name="West")
        ),
        "policy": new_user("beleid@example.test", Role.POLICY, org=org),
        "admin": new_user("beheer@example.test", Role.ADMIN, org=org),
    }
    db.session.flush()
    a = build_plan(
        "Plan A",
        users["client"],
        users["coordinator"],
        network=users["network"],
        professional=users["professional"],
    )
    b = build_plan("Plan B", users["other_client"], None)
    db.session.commit()
    return Scenario(users=users, a=a, b=b)


@pytest.fixture
def as_persona(
    client_as: Callable[[User], FlaskClient], client: FlaskClient, scenario: Scenario
) -> Callable[[str], FlaskClient]:
    def _as(persona: str) -> FlaskClient:
        return client if persona == "anonymous" else client_as(scenario.users[persona])

    return _as
