"""What one user may see and do in one plan: the plan rules of the policy, pure.

``plan_access()`` decides a user's access from plain facts (the plan, their participation,
the household); ``PlanAccess.permits()`` answers the policy's questions inside the plan.
No database and no request here; ``plans/guard.py`` loads the facts and guards the views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlalchemy.sql.elements import ColumnElement

from samenplan.plans import rules
from samenplan.plans.models import Participation, Person, Plan, PlanRole, PlanStatus, Relation
from samenplan.policy import Permission, Role


@dataclass(frozen=True, kw_only=True)
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

    def permits(self, permission: Permission) -> bool:
        """The plan rule for ``permission`` (the policy's ``can()`` asks this)."""
        rule = PLAN_RULES.get(permission)
        return rule is not None and rule(self)

    def consent_holders(self, person: Person, today: dt.date) -> frozenset[int]:
        """Who decides today whether the network may see the items about this person."""
        return rules.network_consent_holder_ids(person_facts(person), self.parent_user_ids, today)


def _contributor(a: PlanAccess) -> bool:
    return a.open and (a.coordinator or a.role in (PlanRole.CLIENT, PlanRole.PROFESSIONAL))


def _manager(a: PlanAccess) -> bool:
    return a.open and (a.coordinator or a.role == PlanRole.CLIENT)


PLAN_RULES: dict[Permission, Callable[[PlanAccess], bool]] = {
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
    Permission.SET_EVALUATION_CYCLE: lambda a: a.open and a.coordinator,
    Permission.ASK_AGREEMENT: lambda a: a.open and a.coordinator,
    Permission.ANSWER_AGREEMENT: lambda a: (
        a.open and a.role in (PlanRole.CLIENT, PlanRole.PROFESSIONAL)
    ),
    Permission.GIVE_NETWORK_CONSENT: lambda a: a.open and a.role == PlanRole.CLIENT,
    Permission.SET_NETWORK_DEFAULT: lambda a: a.open and a.role == PlanRole.CLIENT,
    Permission.PRINT_SUMMARY: lambda a: True,  # what is printed follows what the viewer may see
    Permission.EXPORT_PLAN: lambda a: (
        (a.coordinator or a.role == PlanRole.CLIENT) and not a.hidden_person_ids
    ),
    Permission.RUN_SCREENING: lambda a: a.open and a.role == PlanRole.PROFESSIONAL,
    Permission.OWN_VIEW: lambda a: a.open and a.role == PlanRole.CLIENT,
    Permission.FILL_IN_SCREENING: lambda a: (
        a.open and a.role in (PlanRole.PROFESSIONAL, PlanRole.CLIENT)
    ),
    Permission.REOPEN_PLAN: lambda a: not a.open and a.coordinator,
    Permission.VIEW_AUDIT: lambda a: a.coordinator or a.role == PlanRole.CLIENT,
    Permission.GIVE_CONSENT: lambda a: a.open and a.own_person_id is not None,
    Permission.ANSWER_SURVEY: lambda a: a.role is not None,
}


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
                plan=plan,
                user_id=user.id,
                participation=None,
                role=None,
                coordinator=False,
                team_lead=True,
                shared_only=False,
                hidden_person_ids=frozenset(),
                own_person_id=None,
                persons=tuple(persons),
                parent_user_ids=parent_user_ids,
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
