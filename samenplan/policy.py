"""The one authorization policy.

Every view is marked either ``@public`` or ``@require(Permission.X)``; create_app() refuses to
start when a view has neither (see ``check_routes``), and a test walks ``app.url_map`` for the
same.  The rules themselves are pure functions of the acting user and the object, so they can be
unit-tested with plain objects.  Objects are loaded *through* the policy: outside the actor's
scope they answer 404 (the object's existence is not revealed), inside it 403.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from flask import Flask, abort
from flask_login import current_user
from sqlalchemy import or_
from sqlalchemy.sql.elements import ColumnElement

from samenplan.accounts.models import Role
from samenplan.plans import rules
from samenplan.plans.models import Participation, Person, Plan, PlanRole, PlanStatus, Relation

F = TypeVar("F", bound=Callable[..., Any])

POLICY_ATTR = "_samenplan_policy"
PLAN_ROUTE_ATTR = "_samenplan_plan_route"
PUBLIC = "public"


class Permission(enum.StrEnum):
    #: use one's own account pages: profile, password, sessions, second factor
    USE_OWN_ACCOUNT = "use_own_account"
    #: see the list of plans one takes part in
    LIST_PLANS = "list_plans"
    #: organisations, teams and user accounts (no plan content)
    MANAGE_ACCOUNTS = "manage_accounts"
    #: start a new plan (professionals for a household, clients for their own)
    CREATE_PLAN = "create_plan"
    #: the team lead's list of their team's plans
    LIST_TEAM_PLANS = "list_team_plans"

    # --- inside one plan (checked against a PlanAccess) ---
    VIEW_PLAN = "view_plan"
    EDIT_CONTENT = "edit_content"  # goals, actions, agenda
    ADD_PROGRESS = "add_progress"
    ADD_LOG = "add_log"
    COMPLETE_ACTION = "complete_action"
    INVITE = "invite"
    MANAGE_HOUSEHOLD = "manage_household"
    REMOVE_PARTICIPANT = "remove_participant"
    CLOSE_PLAN = "close_plan"
    HAND_OVER = "hand_over"
    GIVE_NETWORK_CONSENT = "give_network_consent"
    PRINT_SUMMARY = "print_summary"
    EXPORT_PLAN = "export_plan"  # the whole plan as data: the family and the coordinator
    RUN_SCREENING = "run_screening"  # the professional's view of a screening
    OWN_VIEW = "own_view"  # the family's own view of the same screening moment
    REOPEN_PLAN = "reopen_plan"
    VIEW_AUDIT = "view_audit"
    GIVE_CONSENT = "give_consent"


class Actor(Protocol):
    """What the policy needs to know about a user."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    role: Role


_ROLE_PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.USE_OWN_ACCOUNT: frozenset(Role),
    # Admins manage accounts but see no plan content, not even a list (DESIGN.md §2).
    Permission.LIST_PLANS: frozenset(Role) - {Role.ADMIN},
    Permission.MANAGE_ACCOUNTS: frozenset({Role.ADMIN}),
    Permission.CREATE_PLAN: frozenset({Role.PROFESSIONAL, Role.CLIENT}),
    Permission.LIST_TEAM_PLANS: frozenset({Role.TEAM_LEAD}),
}


@dataclass(frozen=True)
class PlanAccess:
    """What one user may see and do in one plan, decided once per request.

    ``role`` is None for a team lead reading a plan of their team. ``shared_only`` means
    the viewer sees only items shared with the network; ``hidden_person_ids`` are household
    members whose part of the plan this viewer may not see (youth rules, network consent).
    """

    plan: Plan
    user_id: int
    participation: Participation | None
    role: PlanRole | None
    coordinator: bool
    team_lead: bool
    shared_only: bool
    hidden_person_ids: frozenset[int]
    own_person_id: int | None
    #: the household members this viewer may see, loaded once with the access decision
    persons: tuple[Person, ...] = ()
    #: accounts of the parents with parental authority (they decide for children under 12)
    parent_user_ids: frozenset[int] = frozenset()

    @property
    def open(self) -> bool:
        return self.plan.status == PlanStatus.OPEN

    @property
    def family(self) -> bool:
        return self.role == PlanRole.CLIENT

    def sees(self, *, shared_with_network: bool, person_id: int | None) -> bool:
        """May this viewer see an item with these properties?"""
        if self.shared_only and not shared_with_network:
            return False
        return person_id is None or person_id not in self.hidden_person_ids

    def sees_where(self, model: Any) -> list[ColumnElement[bool]]:
        """The rule of ``sees()`` as SQL conditions, for a model with ``shared_with_network``
        (and ``person_id`` when its items can be about one household member)."""
        conditions: list[ColumnElement[bool]] = []
        if self.shared_only:
            conditions.append(model.shared_with_network.is_(True))
        person = getattr(model, "person_id", None)
        if person is not None and self.hidden_person_ids:
            conditions.append(or_(person.is_(None), person.not_in(self.hidden_person_ids)))
        return conditions

    @property
    def may_change_facts(self) -> bool:
        """Whether this viewer may change the facts that rights hang on (a date of birth once
        set, a relation, parental authority): only a professional who coordinates the plan,
        so that no family member can move a youth's rights by editing an age."""
        return self.open and self.coordinator and self.role == PlanRole.PROFESSIONAL

    def may_tick_off(self, assignee_id: int) -> bool:
        """Whether this viewer may mark an action done or open again (beside COMPLETE_ACTION):
        network members only their own actions."""
        if self.role != PlanRole.NETWORK:
            return True
        return self.participation is not None and assignee_id == self.participation.id

    def may_remove(self, participation: Participation) -> bool:
        """Whom this viewer may take out of the plan (beside REMOVE_PARTICIPANT): never the
        coordinator or themselves; the family only network members."""
        return (
            not participation.is_coordinator
            and participation.user_id != self.user_id
            and (self.coordinator or participation.role == PlanRole.NETWORK)
        )

    def consent_holders(self, person: Person, today: dt.date) -> frozenset[int]:
        """Who decides today whether the network may see the items about this person."""
        return rules.network_consent_holder_ids(person_facts(person), self.parent_user_ids, today)


def _contributor(a: PlanAccess) -> bool:
    return a.open and (a.coordinator or a.role in (PlanRole.CLIENT, PlanRole.PROFESSIONAL))


def _manager(a: PlanAccess) -> bool:
    return a.open and (a.coordinator or a.role == PlanRole.CLIENT)


_PLAN_RULES: dict[Permission, Callable[[PlanAccess], bool]] = {
    Permission.VIEW_PLAN: lambda a: True,
    Permission.EDIT_CONTENT: _contributor,
    Permission.ADD_PROGRESS: lambda a: a.open and a.role is not None,
    Permission.ADD_LOG: lambda a: a.open and a.role is not None,
    Permission.COMPLETE_ACTION: lambda a: a.open and a.role is not None,
    Permission.INVITE: _manager,
    Permission.MANAGE_HOUSEHOLD: _manager,
    Permission.REMOVE_PARTICIPANT: _manager,
    Permission.CLOSE_PLAN: lambda a: a.open and a.coordinator,
    Permission.HAND_OVER: lambda a: a.open and a.coordinator,
    Permission.GIVE_NETWORK_CONSENT: lambda a: a.open and a.role == PlanRole.CLIENT,
    Permission.PRINT_SUMMARY: lambda a: True,  # what is printed follows what the viewer may see
    Permission.EXPORT_PLAN: lambda a: (
        (a.coordinator or a.role == PlanRole.CLIENT) and not a.hidden_person_ids
    ),
    Permission.RUN_SCREENING: lambda a: a.open and a.role == PlanRole.PROFESSIONAL,
    Permission.OWN_VIEW: lambda a: a.open and a.role == PlanRole.CLIENT,
    Permission.REOPEN_PLAN: lambda a: not a.open and a.coordinator,
    Permission.VIEW_AUDIT: lambda a: a.coordinator or a.role == PlanRole.CLIENT,
    Permission.GIVE_CONSENT: lambda a: a.open and a.own_person_id is not None,
}


def can(actor: Any, permission: Permission, obj: object | None = None) -> bool:
    """May ``actor`` do ``permission`` (on ``obj``)? Pure: no I/O, no request."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not actor.is_active:
        return False
    if permission in _PLAN_RULES:
        return (
            isinstance(obj, PlanAccess) and obj.user_id == actor.id and _PLAN_RULES[permission](obj)
        )
    return actor.role in _ROLE_PERMISSIONS[permission]


def authorize(actor: Any, permission: Permission, obj: object | None = None) -> None:
    """Abort with 403 unless ``can(actor, permission, obj)``."""
    if not can(actor, permission, obj):
        abort(403)


def plan_access(
    user: Any,
    plan: Plan,
    participation: Participation | None,
    persons: list[Person],
    *,
    team_lead_of_member: bool,
    today: dt.date,
) -> PlanAccess | None:
    """Decide a user's access to a plan from plain facts; None means: not theirs to know."""
    facts = [person_facts(p) for p in persons]
    parent_user_ids = frozenset(
        p.user_id
        for p in persons
        if p.relation == Relation.PARENT and p.parental_authority and p.user_id is not None
    )
    own = next((f for f in facts if f.user_id == user.id), None)
    if participation is None or not participation.active:
        if team_lead_of_member and user.role == Role.TEAM_LEAD:
            return PlanAccess(
                plan,
                user.id,
                None,
                None,
                False,
                True,
                False,
                frozenset(),
                None,
                tuple(persons),
                parent_user_ids,
            )
        return None
    if own is not None and not rules.youth_may_take_part(own, today):
        return None
    role = participation.role
    if role == PlanRole.NETWORK:
        hidden = frozenset(
            f.id for f in facts if not rules.network_may_see_person(f, parent_user_ids, today)
        )
    elif role == PlanRole.CLIENT:
        hidden = frozenset(f.id for f in facts if rules.hidden_from_parent(f, user.id, today))
    else:
        hidden = frozenset()
    return PlanAccess(
        plan=plan,
        user_id=user.id,
        participation=participation,
        role=role,
        coordinator=participation.is_coordinator,
        team_lead=False,
        shared_only=role == PlanRole.NETWORK,
        hidden_person_ids=hidden,
        own_person_id=own.id if own is not None and own.is_child else None,
        persons=tuple(p for p in persons if p.id not in hidden),
        parent_user_ids=parent_user_ids,
    )


def person_facts(person: Person) -> rules.PersonFacts:
    return rules.PersonFacts(
        id=person.id,
        is_child=person.relation == Relation.CHILD,
        date_of_birth=person.date_of_birth,
        user_id=person.user_id,
        parents_consent=person.parents_consent,
        network_consent_by_id=person.network_consent_by_id,
    )


def load_plan_access(
    actor: Any, public_id: str, *, today: dt.date | None = None
) -> PlanAccess | None:
    """The actor's access to the plan with this public id, or None (unknown or not theirs)."""
    from sqlalchemy import exists, select

    from samenplan.accounts.models import User
    from samenplan.extensions import db

    if not actor.is_authenticated or len(public_id) > 40:
        return None
    plan = db.session.scalar(select(Plan).where(Plan.public_id == public_id))
    if plan is None:
        return None
    participation = db.session.scalar(
        select(Participation).where(
            Participation.plan_id == plan.id,
            Participation.user_id == actor.id,
            Participation.active,
        )
    )
    team_lead_of_member = False
    if participation is None:
        if actor.role != Role.TEAM_LEAD or actor.team_id is None:
            return None
        team_lead_of_member = bool(
            db.session.scalar(
                select(
                    exists().where(
                        Participation.plan_id == plan.id,
                        Participation.active,
                        Participation.user_id == User.id,
                        User.team_id == actor.team_id,
                        User.id != actor.id,
                    )
                )
            )
        )
        if not team_lead_of_member:
            return None
    persons = list(
        db.session.scalars(select(Person).where(Person.plan_id == plan.id).order_by(Person.id))
    )
    return plan_access(
        actor,
        plan,
        participation,
        persons,
        team_lead_of_member=team_lead_of_member,
        today=today or local_today(),
    )


#: Dutch time: times are stored in UTC and shown, and days counted, in this zone
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: staff whose reads of plan content are audit-logged (the family's and network's are not)
AUDITED_READERS = (Role.PROFESSIONAL, Role.TEAM_LEAD)


def local_today() -> dt.date:
    """Today in the Netherlands: birthdays and due dates turn at Dutch midnight."""
    return dt.datetime.now(AMSTERDAM).date()


def plan_for(actor: Any, public_id: str, permission: Permission) -> PlanAccess:
    """Load a plan through the policy: 404 outside the actor's plans, 403 inside them
    without the right."""
    access = load_plan_access(actor, public_id)
    if access is None:
        abort(404)
    if not can(actor, permission, access):
        abort(403)
    return access


def plan_route(
    permission: Permission, *, post: Permission | None = None, own_audit_event: bool = False
) -> Callable[[F], F]:
    """Mark and guard a view inside a plan: log in, load the plan through the policy, check
    ``permission`` (and ``post`` as well for a POST to a page that also shows), and pass the
    PlanAccess as ``access``. Views of plan content by staff
    (professionals, team leads) are audit-logged here, so no view can forget it; a view that
    records a more telling event itself for everyone (a printed PDF, an export) says so with
    ``own_audit_event`` and is not logged twice."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(plan_id: str, *args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from samenplan.extensions import login_manager

                return login_manager.unauthorized()
            access = plan_for(current_user, plan_id, permission)
            from flask import request

            if post is not None and request.method == "POST":
                authorize(current_user, post, access)
            staff = current_user.role in AUDITED_READERS
            if request.method == "GET" and staff and not own_audit_event:
                from samenplan.audit.services import record_plan_view

                # stored before the content is shown (the audit service writes it at once)
                record_plan_view(current_user, access.plan.id, request.endpoint or "", kwargs)
            return view(access, *args, **kwargs)

        setattr(wrapped, POLICY_ATTR, permission)
        setattr(wrapped, PLAN_ROUTE_ATTR, True)
        return wrapped  # type: ignore[return-value]

    return decorator


def audit_listed(plan_ids: Iterable[int]) -> None:
    """A list page (My plans, my actions, the team's plans) shows these plans' content: a
    professional's or team lead's first sight of each plan on a day is audit-logged."""
    if current_user.role not in AUDITED_READERS:
        return
    from flask import request

    from samenplan.audit.services import record_plans_listed

    start_of_day = dt.datetime.combine(local_today(), dt.time(), tzinfo=AMSTERDAM)
    record_plans_listed(current_user, plan_ids, request.endpoint or "", since=start_of_day)


def is_plan_route(app: Flask, endpoint: str) -> bool:
    return bool(getattr(app.view_functions.get(endpoint), PLAN_ROUTE_ATTR, False))


def public(view: F) -> F:
    """Mark a view as reachable without logging in."""
    setattr(view, POLICY_ATTR, PUBLIC)
    return view


def require(permission: Permission) -> Callable[[F], F]:
    """Mark a view as protected: log in first, then hold ``permission``."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from samenplan.extensions import login_manager

                return login_manager.unauthorized()
            authorize(current_user, permission)
            return view(*args, **kwargs)

        setattr(wrapped, POLICY_ATTR, permission)
        return wrapped  # type: ignore[return-value]

    return decorator


def route_policy(app: Flask, endpoint: str) -> str | Permission | None:
    if endpoint == "static":  # Flask's own static files: CSS, scripts, icons
        return PUBLIC
    view = app.view_functions.get(endpoint)
    return getattr(view, POLICY_ATTR, None)


def unmarked_endpoints(app: Flask) -> list[str]:
    """Endpoints whose view is neither public nor protected by the policy."""
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if route_policy(app, rule.endpoint) is None
    )


def check_routes(app: Flask) -> None:
    """Fail fast at start-up: a route without a policy marker is a bug."""
    missing = unmarked_endpoints(app)
    if missing:
        raise RuntimeError(
            "routes without an authorization policy (mark them @public or @require): "
            + ", ".join(missing)
        )
