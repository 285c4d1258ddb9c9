"""Plan forms with this plan's choices: the life areas, household and participants to choose
from, and the stored data of what is changed."""

from __future__ import annotations

from flask import request

from samenplan.core import inputs
from samenplan.core.forms import options
from samenplan.core.i18n import current_locale
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.domains import life_domains
from samenplan.plans import queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.forms import (
    PLAN_ROLE_LABELS,
    ActionForm,
    GoalForm,
    HandOverForm,
    InviteForm,
    PersonEditForm,
)
from samenplan.plans.models import Action, Goal, Participation, Person, PlanRole
from samenplan.plans.participation import roles_inviter_may_give
from samenplan.policy import Permission


def goal_form(access: PlanAccess, goal: Goal | None = None) -> GoalForm:
    """The goal form with this plan's life areas and household; on a first look filled from
    the goal, or for a new goal from the link that opened it (?domain=…&person=…)."""
    first_look = request.method == "GET"
    form = GoalForm(obj=goal if first_look else None)
    form.domain.choices = options(
        (d.id, d.label(current_locale())) for d in life_domains().values()
    )
    form.person_id.choices = options(
        [(None, _l("The whole household")), *((p.id, p.name) for p in queries.persons(access))]
    )
    if first_look and goal is not None:
        form.status.data = goal.status.value
        form.end_reason.data = goal.end_reason.value if goal.end_reason else ""
        form.version.data = str(goal.version)
    elif first_look:
        domain = request.args.get("domain")
        form.domain.data = domain if domain in life_domains() else None
        form.person_id.data = inputs.int_arg("person")
        form.shared_with_network.data = access.plan.shares_by_default
    return form


def action_form(
    access: PlanAccess, action: Action | None = None, *, posted: bool = True
) -> ActionForm:
    """The action form with this plan's participants to choose from; ``posted=False`` when
    the post was another form on the same page."""
    first_look = request.method == "GET"
    form = ActionForm(obj=action if first_look else None) if posted else ActionForm(formdata=None)
    form.assignee.choices = options(
        (p.id, f"{p.user.name} ({PLAN_ROLE_LABELS[p.role]!s})")
        for p in queries.participants(access)
    )
    if first_look and action is not None:
        form.assignee.data = action.assignee_id
        form.version.data = str(action.version)
    return form


def invite_form(access: PlanAccess) -> InviteForm:
    """The roles this person may give, and the household members without a login yet."""
    form = InviteForm()
    form.role.choices = options(
        (r.value, PLAN_ROLE_LABELS[r]) for r in roles_inviter_may_give(access)
    )
    form.person.choices = options(
        [(None, _l("No")), *((p.id, p.name) for p in queries.persons(access) if p.user_id is None)]
    )
    if not asks_network_default(access):
        del form.network_default
    return form


def asks_network_default(access: PlanAccess) -> bool:
    """Whether the invitation form asks what the network sees by default: the family has
    not chosen yet, the one inviting is family (it is their choice), and nobody from the
    network takes part or is invited yet (later the overview asks instead)."""
    if access.plan.network_default is not None:
        return False
    if not access.permits(Permission.SET_NETWORK_DEFAULT):
        return False
    network = PlanRole.NETWORK
    return not any(p.role == network for p in queries.participants(access)) and not any(
        i.role == network for i in queries.open_invitations(access)
    )


def hand_over_form(participants: list[Participation]) -> HandOverForm:
    """Who can take over coordination: a family member or professional who has joined."""
    form = HandOverForm()
    form.to.choices = options(
        (p.id, p.user.name)
        for p in participants
        if p.role != PlanRole.NETWORK and not p.is_coordinator and not p.pending
    )
    return form


def person_edit_form(access: PlanAccess, person: Person) -> PersonEditForm:
    """Whoever may not change the rights facts sees them, and keeps them as they are (a
    first date of birth they may still fill in)."""
    first_look = request.method == "GET"
    form = PersonEditForm(obj=person if first_look else None)
    if first_look or not access.may_change_facts:
        form.relation.data = person.relation.value
        form.parental_authority.data = person.parental_authority
        if person.date_of_birth is not None:
            form.date_of_birth.data = person.date_of_birth
    return form
