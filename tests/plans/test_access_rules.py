"""The authorization policy as plain rules: every permission × role × plan role × stage.

No database and no HTTP: actors are a tiny dataclass, plans, persons and participations are
transient model instances that never see a session. What each persona may do is written
out by hand below, independently of ``ROLE_PERMISSIONS`` and ``PLAN_RULES``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from samenplan.plans.access import PLAN_RULES, PlanAccess, plan_access
from samenplan.plans.models import Participation, Person, Plan, PlanRole, PlanStatus, Relation
from samenplan.policy import ROLE_PERMISSIONS, Permission, Role, can

P = Permission


@dataclass(frozen=True)
class Actor:
    id: int
    role: Role
    is_authenticated: bool = True
    is_active: bool = True
    team_id: int | None = None


# --- role-level permissions -----------------------------------------------------------------

#: Who holds a permission without any object (DESIGN.md §2), written out by hand.
ROLE_LEVEL: dict[Permission, set[Role]] = {
    P.USE_OWN_ACCOUNT: {
        Role.CLIENT,
        Role.NETWORK,
        Role.PROFESSIONAL,
        Role.TEAM_LEAD,
        Role.POLICY,
        Role.ADMIN,
    },
    # admins see no plan content, not even a list; policy officers only the monitor
    P.LIST_PLANS: {Role.CLIENT, Role.NETWORK, Role.PROFESSIONAL, Role.TEAM_LEAD},
    P.MANAGE_ACCOUNTS: {Role.ADMIN},
    P.CREATE_PLAN: {Role.PROFESSIONAL, Role.CLIENT},
    P.LIST_TEAM_PLANS: {Role.TEAM_LEAD},
    P.VIEW_MONITORING: {Role.TEAM_LEAD, Role.POLICY},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(ROLE_LEVEL))
def test_role_level_permission(permission: Permission, role: Role) -> None:
    assert can(Actor(1, role), permission) is (role in ROLE_LEVEL[permission])


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
@pytest.mark.parametrize("kind", ["inactive", "anonymous"])
def test_inactive_and_anonymous_actors_get_nothing(
    kind: str, permission: Permission, role: Role
) -> None:
    actor = (
        Actor(1, role, is_active=False)
        if kind == "inactive"
        else Actor(1, role, is_authenticated=False)
    )
    # even with a scope that would allow everything
    scope = _access(_plan(PlanStatus.OPEN), user_id=1, role=PlanRole.CLIENT, coordinator=True)
    assert can(actor, permission, scope) is False
    assert can(actor, permission) is False


@pytest.mark.parametrize("permission", list(Permission))
def test_no_actor_gets_nothing(permission: Permission) -> None:
    assert can(None, permission) is False


def test_every_permission_is_role_level_or_has_a_plan_rule() -> None:
    role_level = set(ROLE_PERMISSIONS)
    plan_level = set(PLAN_RULES)
    assert role_level == set(ROLE_LEVEL)
    assert not role_level & plan_level, role_level & plan_level
    assert role_level | plan_level == set(Permission), set(Permission) - role_level - plan_level
    # and the hand-written table below speaks about exactly the plan permissions
    assert {p for granted in OPEN.values() for p in granted} | {
        p for granted in CLOSED.values() for p in granted
    } == plan_level


# --- plan permissions by plan role ----------------------------------------------------------

TODAY = dt.date(2026, 12, 3)
BORN = dt.date(2012, 6, 15)  # 14 today: 12th birthday 2024-06-15, 16th 2028-06-15
PARENT_UID, YOUTH_UID, NETWORK_UID, PRO_UID, COORD_UID, LEAD_UID = 1, 7, 2, 3, 4, 5
PARENT_PID, CHILD_PID = 10, 11


def _plan(status: PlanStatus) -> Plan:
    return Plan(id=1, title="Plan", status=status)


def _person(
    pid: int,
    relation: Relation,
    *,
    born: dt.date | None = None,
    user_id: int | None = None,
    authority: bool = True,
    parents_consent: bool = False,
    network_consent_by_id: int | None = None,
) -> Person:
    return Person(
        id=pid,
        plan_id=1,
        name=f"person {pid}",
        relation=relation,
        date_of_birth=born,
        user_id=user_id,
        parental_authority=authority,
        parents_consent=parents_consent,
        network_consent_by_id=network_consent_by_id,
    )


def _participation(
    part_id: int, user_id: int, role: PlanRole, *, coordinator: bool = False
) -> Participation:
    return Participation(
        id=part_id,
        plan_id=1,
        user_id=user_id,
        role=role,
        is_coordinator=coordinator,
        removed_at=None,
        pending=False,
    )


def _household(
    *,
    born: dt.date = BORN,
    youth_login: bool = True,
    parents_consent: bool = False,
    network_consent_by_id: int | None = None,
    authority: bool = True,
) -> list[Person]:
    return [
        _person(PARENT_PID, Relation.PARENT, user_id=PARENT_UID, authority=authority),
        _person(
            CHILD_PID,
            Relation.CHILD,
            born=born,
            user_id=YOUTH_UID if youth_login else None,
            parents_consent=parents_consent,
            network_consent_by_id=network_consent_by_id,
        ),
    ]


def _access(
    plan: Plan,
    *,
    user_id: int,
    role: PlanRole | None,
    coordinator: bool = False,
    hidden: frozenset[int] = frozenset(),
    own_person_id: int | None = None,
) -> PlanAccess:
    return PlanAccess(
        plan=plan,
        user_id=user_id,
        participation=None if role is None else _participation(99, user_id, role),
        role=role,
        coordinator=coordinator,
        team_lead=role is None,
        shared_only=role == PlanRole.NETWORK,
        hidden_person_ids=hidden,
        own_person_id=own_person_id,
    )


@dataclass(frozen=True)
class Persona:
    user_id: int
    account_role: Role
    plan_role: PlanRole | None  # None: a team lead without participation
    coordinator: bool = False


PERSONAS: dict[str, Persona] = {
    "client": Persona(PARENT_UID, Role.CLIENT, PlanRole.CLIENT),
    "youth": Persona(YOUTH_UID, Role.CLIENT, PlanRole.CLIENT),  # 14, own login
    "network": Persona(NETWORK_UID, Role.NETWORK, PlanRole.NETWORK),
    "professional": Persona(PRO_UID, Role.PROFESSIONAL, PlanRole.PROFESSIONAL),
    "coord_professional": Persona(COORD_UID, Role.PROFESSIONAL, PlanRole.PROFESSIONAL, True),
    "coord_client": Persona(PARENT_UID, Role.CLIENT, PlanRole.CLIENT, True),
    "team_lead": Persona(LEAD_UID, Role.TEAM_LEAD, None),
}

_CLIENT_OPEN = {
    P.VIEW_PLAN,
    P.EDIT_CONTENT,
    P.ADD_PROGRESS,
    P.ADD_LOG,
    P.COMPLETE_ACTION,
    P.INVITE,
    P.MANAGE_HOUSEHOLD,
    P.REMOVE_PARTICIPANT,
    P.GIVE_NETWORK_CONSENT,
    P.SET_NETWORK_DEFAULT,
    P.PRINT_SUMMARY,
    P.EXPORT_PLAN,
    P.OWN_VIEW,
    P.FILL_IN_SCREENING,
    P.VIEW_AUDIT,
    P.ANSWER_SURVEY,
    P.ANSWER_AGREEMENT,
}
_PRO_OPEN = {
    P.VIEW_PLAN,
    P.EDIT_CONTENT,
    P.ADD_PROGRESS,
    P.ADD_LOG,
    P.COMPLETE_ACTION,
    P.PRINT_SUMMARY,
    P.RUN_SCREENING,
    P.FILL_IN_SCREENING,
    P.ANSWER_SURVEY,
    P.ANSWER_AGREEMENT,
}
_COORDINATING = {
    P.INVITE,
    P.MANAGE_HOUSEHOLD,
    P.REMOVE_PARTICIPANT,
    P.CLOSE_PLAN,
    P.HAND_OVER,
    P.SET_EVALUATION_CYCLE,
    P.ASK_AGREEMENT,
}

#: What each persona may do in an open plan (the youth is 14, no network consent).
OPEN: dict[str, set[Permission]] = {
    "client": _CLIENT_OPEN,
    "youth": _CLIENT_OPEN | {P.GIVE_CONSENT},
    "network": {
        P.VIEW_PLAN,
        P.ADD_PROGRESS,
        P.ADD_LOG,
        P.COMPLETE_ACTION,
        P.PRINT_SUMMARY,
        P.ANSWER_SURVEY,
    },
    "professional": _PRO_OPEN,
    "coord_professional": _PRO_OPEN | _COORDINATING | {P.EXPORT_PLAN, P.VIEW_AUDIT},
    "coord_client": _CLIENT_OPEN | _COORDINATING,
    "team_lead": {P.VIEW_PLAN, P.PRINT_SUMMARY},
}
#: ... and in a closed plan: reading, the closing survey, and reopening by the coordinator.
_READ = {P.VIEW_PLAN, P.PRINT_SUMMARY}
_TAKING_PART = _READ | {P.ANSWER_SURVEY}
_FAMILY_CLOSED = _TAKING_PART | {P.EXPORT_PLAN, P.VIEW_AUDIT}
CLOSED: dict[str, set[Permission]] = {
    "client": _FAMILY_CLOSED,
    "youth": _FAMILY_CLOSED,
    "network": _TAKING_PART,
    "professional": _TAKING_PART,
    "coord_professional": _FAMILY_CLOSED | {P.REOPEN_PLAN},
    "coord_client": _FAMILY_CLOSED | {P.REOPEN_PLAN},
    "team_lead": _READ,
}
PLAN_PERMISSIONS = [p for p in Permission if p not in ROLE_LEVEL]


def _persona_access(name: str, status: PlanStatus, today: dt.date = TODAY) -> PlanAccess:
    persona = PERSONAS[name]
    participation = (
        None
        if persona.plan_role is None
        else _participation(20, persona.user_id, persona.plan_role, coordinator=persona.coordinator)
    )
    access = plan_access(
        Actor(persona.user_id, persona.account_role),
        _plan(status),
        participation,
        _household(),
        team_lead_of_member=persona.plan_role is None,
        today=today,
    )
    assert access is not None
    return access


@pytest.mark.parametrize("status", [PlanStatus.OPEN, PlanStatus.CLOSED])
@pytest.mark.parametrize("persona", list(PERSONAS))
@pytest.mark.parametrize("permission", PLAN_PERMISSIONS)
def test_plan_permission(permission: Permission, persona: str, status: PlanStatus) -> None:
    access = _persona_access(persona, status)
    table = OPEN if status == PlanStatus.OPEN else CLOSED
    actor = Actor(PERSONAS[persona].user_id, PERSONAS[persona].account_role)
    assert can(actor, permission, access) is (permission in table[persona])
    assert access.permits(permission) is (permission in table[persona])


@pytest.mark.parametrize("permission", PLAN_PERMISSIONS)
def test_every_plan_permission_is_granted_to_someone(permission: Permission) -> None:
    """No plan permission is silently always false."""
    granted = [
        (name, status)
        for name in PERSONAS
        for status in (PlanStatus.OPEN, PlanStatus.CLOSED)
        if _persona_access(name, status).permits(permission)
    ]
    assert granted, permission


@pytest.mark.parametrize("permission", PLAN_PERMISSIONS)
def test_a_plan_permission_needs_a_scope_of_ones_own(permission: Permission) -> None:
    access = _persona_access("coord_client", PlanStatus.OPEN)  # user PARENT_UID
    other = Actor(PARENT_UID + 100, Role.CLIENT)
    assert can(other, permission, access) is False
    owner = Actor(PARENT_UID, Role.CLIENT)
    assert can(owner, permission) is False  # no scope at all
    assert can(owner, permission, object()) is False  # an object that decides nothing


@pytest.mark.parametrize("permission", list(ROLE_LEVEL))
def test_a_role_level_permission_ignores_the_scope(permission: Permission) -> None:
    """A plan's access does not add role-level rights (an admin stays an admin)."""
    access = _access(_plan(PlanStatus.OPEN), user_id=1, role=PlanRole.CLIENT, coordinator=True)
    for role in Role:
        assert can(Actor(1, role), permission, access) is (role in ROLE_LEVEL[permission])


# --- youth stages ---------------------------------------------------------------------------

DAY = dt.timedelta(days=1)
TWELVE = dt.date(2024, 6, 15)
SIXTEEN = dt.date(2028, 6, 15)
EIGHTEEN = dt.date(2030, 6, 15)


def _youth_access(today: dt.date) -> PlanAccess | None:
    return plan_access(
        Actor(YOUTH_UID, Role.CLIENT),
        _plan(PlanStatus.OPEN),
        _participation(21, YOUTH_UID, PlanRole.CLIENT),
        _household(),
        team_lead_of_member=False,
        today=today,
    )


@pytest.mark.parametrize(
    ("today", "let_in"),
    [(TWELVE - DAY, False), (TWELVE, True), (SIXTEEN - DAY, True), (SIXTEEN, True)],
)
def test_a_youth_logs_in_from_the_12th_birthday(today: dt.date, let_in: bool) -> None:
    access = _youth_access(today)
    assert (access is not None) is let_in
    if access is not None:
        assert access.own_person_id == CHILD_PID
        assert access.hidden_person_ids == frozenset()  # their own part is never hidden
        assert access.permits(P.GIVE_CONSENT)
        assert access.permits(P.VIEW_PLAN)


def _parent_access(
    today: dt.date, *, coordinator: bool = False, parents_consent: bool = False
) -> PlanAccess:
    access = plan_access(
        Actor(PARENT_UID, Role.CLIENT),
        _plan(PlanStatus.OPEN),
        _participation(20, PARENT_UID, PlanRole.CLIENT, coordinator=coordinator),
        _household(parents_consent=parents_consent),
        team_lead_of_member=False,
        today=today,
    )
    assert access is not None
    return access


@pytest.mark.parametrize("coordinator", [False, True])
@pytest.mark.parametrize(
    ("today", "consent", "hidden"),
    [
        (TWELVE - DAY, False, False),
        (SIXTEEN - DAY, False, False),
        (SIXTEEN, False, True),
        (SIXTEEN, True, False),
        (EIGHTEEN - DAY, False, True),
        (EIGHTEEN, False, False),  # an adult: the parent-child rules end
    ],
)
def test_from_16_the_parents_see_the_youths_part_only_with_consent(
    today: dt.date, consent: bool, hidden: bool, coordinator: bool
) -> None:
    access = _parent_access(today, coordinator=coordinator, parents_consent=consent)
    assert (access.hidden_person_ids == {CHILD_PID}) is hidden
    assert access.sees(shared_with_network=False, person_id=CHILD_PID) is not hidden
    assert access.sees(shared_with_network=False, person_id=None)
    assert ({p.id for p in access.persons} == {PARENT_PID}) is hidden
    # the whole plan as data would carry what is hidden: refused, even for a coordinator
    assert access.permits(P.EXPORT_PLAN) is not hidden
    assert access.permits(P.VIEW_PLAN)


@pytest.mark.parametrize("today", [SIXTEEN - DAY, SIXTEEN])
@pytest.mark.parametrize("name", ["professional", "coord_professional", "youth", "team_lead"])
def test_the_16_rule_hides_nothing_from_others(name: str, today: dt.date) -> None:
    access = _persona_access(name, PlanStatus.OPEN, today=today)
    assert CHILD_PID not in access.hidden_person_ids


def _network_access(
    today: dt.date, *, network_consent_by_id: int | None, authority: bool
) -> PlanAccess:
    access = plan_access(
        Actor(NETWORK_UID, Role.NETWORK),
        _plan(PlanStatus.OPEN),
        _participation(22, NETWORK_UID, PlanRole.NETWORK),
        _household(network_consent_by_id=network_consent_by_id, authority=authority),
        team_lead_of_member=False,
        today=today,
    )
    assert access is not None
    return access


@pytest.mark.parametrize(
    ("today", "consent_by", "authority", "sees"),
    [
        (TWELVE - DAY, None, True, False),
        (TWELVE - DAY, PARENT_UID, True, True),
        (TWELVE - DAY, PARENT_UID, False, False),  # no parental authority: no say
        (TWELVE - DAY, YOUTH_UID, True, False),  # under 12 the youth has no say yet
        (TWELVE, PARENT_UID, True, False),  # a parent's consent ends on the 12th birthday
        (TWELVE, YOUTH_UID, True, True),
        (SIXTEEN, YOUTH_UID, True, True),
        (SIXTEEN, PARENT_UID, True, False),
        (EIGHTEEN - DAY, None, True, False),
        (EIGHTEEN, None, True, True),  # an adult: no consent needed
    ],
)
def test_network_consent_follows_who_has_the_say(
    today: dt.date, consent_by: int | None, authority: bool, sees: bool
) -> None:
    access = _network_access(today, network_consent_by_id=consent_by, authority=authority)
    assert access.shared_only
    assert (CHILD_PID not in access.hidden_person_ids) is sees
    assert access.sees(shared_with_network=True, person_id=CHILD_PID) is sees
    assert access.sees(shared_with_network=False, person_id=None) is False
    assert access.sees(shared_with_network=True, person_id=None) is True
    assert access.permits(P.EXPORT_PLAN) is False


@pytest.mark.parametrize(
    ("today", "holders"),
    [
        (TWELVE - DAY, {PARENT_UID}),
        (TWELVE, {YOUTH_UID}),
        (SIXTEEN, {YOUTH_UID}),
        (EIGHTEEN, set()),
    ],
)
def test_who_holds_the_network_consent(today: dt.date, holders: set[int]) -> None:
    access = _parent_access(today)
    child = next(p for p in _household() if p.id == CHILD_PID)
    assert access.consent_holders(child, today) == holders


@pytest.mark.parametrize(
    ("account_role", "lead_of_member", "let_in"),
    [
        (Role.TEAM_LEAD, True, True),
        (Role.TEAM_LEAD, False, False),
        (Role.PROFESSIONAL, True, False),
        (Role.POLICY, True, False),
        (Role.ADMIN, True, False),
    ],
)
def test_a_team_lead_without_participation(
    account_role: Role, lead_of_member: bool, let_in: bool
) -> None:
    access = plan_access(
        Actor(LEAD_UID, account_role),
        _plan(PlanStatus.OPEN),
        None,
        _household(),
        team_lead_of_member=lead_of_member,
        today=TODAY,
    )
    assert (access is not None) is let_in
    if access is not None:
        assert access.team_lead and access.role is None and not access.coordinator
        assert [p for p in PLAN_PERMISSIONS if access.permits(p)] == [
            P.VIEW_PLAN,
            P.PRINT_SUMMARY,
        ]


@pytest.mark.parametrize("gone", ["removed", "pending"])
@pytest.mark.parametrize("lead_of_member", [False, True])
def test_an_inactive_participation_gives_no_access(gone: str, lead_of_member: bool) -> None:
    participation = _participation(20, PARENT_UID, PlanRole.CLIENT, coordinator=True)
    if gone == "removed":
        participation.removed_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    else:
        participation.pending = True
    access = plan_access(
        Actor(PARENT_UID, Role.CLIENT),
        _plan(PlanStatus.OPEN),
        participation,
        _household(),
        team_lead_of_member=lead_of_member,  # only a team lead's account may use this
        today=TODAY,
    )
    assert access is None


# --- the checks beside the permissions ------------------------------------------------------


@pytest.mark.parametrize("status", [PlanStatus.OPEN, PlanStatus.CLOSED])
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_may_change_facts_only_for_an_open_plans_professional_coordinator(
    persona: str, status: PlanStatus
) -> None:
    access = _persona_access(persona, status)
    assert access.may_change_facts is (
        persona == "coord_professional" and status == PlanStatus.OPEN
    )


@pytest.mark.parametrize("persona", list(PERSONAS))
@pytest.mark.parametrize("whose", ["own", "other"])
def test_may_tick_off(persona: str, whose: str) -> None:
    access = _persona_access(persona, PlanStatus.OPEN)
    own_id = access.participation.id if access.participation is not None else 20
    assignee = own_id if whose == "own" else own_id + 1
    expected = persona != "network" or whose == "own"
    assert access.may_tick_off(assignee) is expected
    # the full check: COMPLETE_ACTION and may_tick_off (a team lead ticks off nothing)
    assert (access.permits(P.COMPLETE_ACTION) and access.may_tick_off(assignee)) is (
        expected and persona != "team_lead"
    )


#: the participant to take out of the plan (the viewer's own participation is "self")
TARGETS: dict[str, tuple[PlanRole, bool]] = {
    "coordinator": (PlanRole.PROFESSIONAL, True),
    "client_coordinator": (PlanRole.CLIENT, True),
    "network": (PlanRole.NETWORK, False),
    "professional": (PlanRole.PROFESSIONAL, False),
    "client": (PlanRole.CLIENT, False),
}
#: whom each persona may take out of an open plan: REMOVE_PARTICIPANT and may_remove
REMOVES: dict[str, set[str]] = {
    "client": {"network"},
    "youth": {"network"},
    "network": set(),
    "professional": set(),
    "coord_professional": {"network", "professional", "client"},
    "coord_client": {"network", "professional", "client"},
    "team_lead": set(),
}


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        (persona, target)
        for persona in PERSONAS
        for target in [*TARGETS, "self"]
        if not (persona == "team_lead" and target == "self")  # has no participation
    ],
)
def test_may_remove(persona: str, target: str) -> None:
    access = _persona_access(persona, PlanStatus.OPEN)
    if target == "self":
        assert access.participation is not None
        participation = access.participation
    else:
        role, coordinator = TARGETS[target]
        participation = _participation(30, 900, role, coordinator=coordinator)
    raw = access.may_remove(participation)
    if target in ("self", "coordinator", "client_coordinator"):
        assert raw is False  # never the coordinator or oneself
    assert (access.permits(P.REMOVE_PARTICIPANT) and raw) is (target in REMOVES[persona])
    closed = _persona_access(persona, PlanStatus.CLOSED)
    assert (closed.permits(P.REMOVE_PARTICIPANT) and closed.may_remove(participation)) is False


def test_may_remove_never_oneself_even_through_another_participation() -> None:
    """The rule compares user ids: a second participation of the viewer is still them."""
    access = _persona_access("coord_professional", PlanStatus.OPEN)
    second = _participation(31, COORD_UID, PlanRole.NETWORK)
    assert access.may_remove(second) is False


def test_export_refused_when_anything_is_hidden() -> None:
    plan = _plan(PlanStatus.OPEN)
    for role, coordinator in [(PlanRole.CLIENT, False), (PlanRole.PROFESSIONAL, True)]:
        shown = _access(plan, user_id=1, role=role, coordinator=coordinator)
        hidden = _access(
            plan, user_id=1, role=role, coordinator=coordinator, hidden=frozenset({CHILD_PID})
        )
        assert shown.permits(P.EXPORT_PLAN)
        assert not hidden.permits(P.EXPORT_PLAN)
