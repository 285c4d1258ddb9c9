"""Who takes part: invitations, removal, handing over coordination."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.core import once
from samenplan.core.forms import ConfirmForm, options
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.web import done, found, saving
from samenplan.plans import household as household_service
from samenplan.plans import participation as participation_service
from samenplan.plans import queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.form_builders import hand_over_form, invite_form
from samenplan.plans.forms import (
    NETWORK_DEFAULT_CHOICES,
    HandOverForm,
    InviteForm,
    NetworkDefaultForm,
)
from samenplan.plans.guard import plan_route
from samenplan.plans.mails import send_invitation_after_commit
from samenplan.plans.models import PlanRole
from samenplan.plans.views import bp
from samenplan.policy import Permission, can


@bp.route("/<plan_id>/participants", methods=["GET", "POST"])
@plan_route(Permission.VIEW_PLAN, post=Permission.INVITE)
def participants(access: PlanAccess) -> Response | str:
    form = invite_form(access)
    if (
        form.validate_on_submit()
        and _network_default_chosen(form)
        and (sent := once.claim(form) or _invite(access, form))
    ):
        return sent
    everyone = queries.participants(access)
    may_invite = can(current_user, Permission.INVITE, access)
    return render_template(
        "plans/participants.html",
        access=access,
        participants=everyone,
        invitations=queries.open_invitations(access) if may_invite else [],
        invitation_days=current_app.config["INVITATION_DAYS"],
        form=form,
        hand_over=hand_over_form(everyone),
    )


@bp.post("/<plan_id>/participants/<int:participation_id>/remove")
@plan_route(Permission.REMOVE_PARTICIPANT)
def participant_remove(access: PlanAccess, participation_id: int) -> Response:
    participation = found(queries.participation_in_plan(access, participation_id))
    if ConfirmForm().validate_on_submit():
        with saving() as saved:
            participation_service.remove_participant(access, current_user, participation)
        if saved:
            name = participation.user.name
            flash(_l("%(name)s no longer takes part in the plan.", name=name), "success")
    return redirect(url_for("plans.participants", plan_id=access.plan.public_id), code=303)


@bp.post("/<plan_id>/invitations/<int:invitation_id>/revoke")
@plan_route(Permission.INVITE)
def invitation_revoke(access: PlanAccess, invitation_id: int) -> Response:
    invitation = found(queries.invitation_in_plan(access, invitation_id))
    if ConfirmForm().validate_on_submit():
        participation_service.revoke_invitation(access, current_user, invitation)
        flash(_l("The invitation is withdrawn."), "success")
    return redirect(url_for("plans.participants", plan_id=access.plan.public_id), code=303)


@bp.post("/<plan_id>/coordinator")
@plan_route(Permission.HAND_OVER)
def coordinator_set(access: PlanAccess) -> Response:
    form = HandOverForm()
    form.to.choices = options((p.id, p.id) for p in queries.participants(access))
    if form.validate_on_submit():
        to = found(queries.participation_in_plan(access, form.to.data))
        with saving() as saved:
            participation_service.hand_over_coordination(access, current_user, to)
        if saved:
            flash(_l("%(name)s now coordinates the plan.", name=to.user.name), "success")
    return redirect(url_for("plans.participants", plan_id=access.plan.public_id), code=303)


def _network_default_chosen(form: InviteForm) -> bool:
    """The first network member is invited: the family says what the network sees of new
    items (asked only while the plan has no choice, of the family)."""
    asked = getattr(form, "network_default", None)
    if asked is None or form.role.data != PlanRole.NETWORK.value or asked.data:
        return True
    asked.errors = [str(_l("Choose what network members may see of new items."))]
    return False


def _invite(access: PlanAccess, form: InviteForm) -> Response | None:
    """Send the posted invitation (after the commit); None when a rule refused it."""
    person = queries.person_in_plan(access, form.person.data) if form.person.data else None
    asked = getattr(form, "network_default", None)
    with saving(form) as saved:
        if asked is not None and form.role.data == PlanRole.NETWORK.value:
            household_service.set_network_default(
                access, current_user, shared=NETWORK_DEFAULT_CHOICES[asked.data]
            )
        invitation, token = participation_service.invite(
            access,
            current_user,
            email=form.email.data or "",
            role=PlanRole(form.role.data),
            person=person,
            valid_days=current_app.config["INVITATION_DAYS"],
        )
    if not saved:
        return None
    send_invitation_after_commit(access.plan, invitation, token=token, inviter=current_user.name)
    message = _l("The invitation is sent to %(email)s.", email=invitation.email)
    return once.done(form, message, "plans.participants", plan_id=access.plan.public_id)


@bp.route("/<plan_id>/network", methods=["GET", "POST"])
@plan_route(Permission.VIEW_PLAN, post=Permission.SET_NETWORK_DEFAULT)
def network_default(access: PlanAccess) -> Response | str:
    """What the network sees of new items: the family's choice for the plan."""
    form = NetworkDefaultForm()
    if request.method == "GET" and access.plan.network_default is not None:
        form.shared.data = "shared" if access.plan.network_default else "kept"
    if form.validate_on_submit():
        with saving(form) as saved:
            household_service.set_network_default(
                access, current_user, shared=NETWORK_DEFAULT_CHOICES[form.shared.data]
            )
        if saved:
            message = _l("Your choice is saved. It counts for new items from now on.")
            return done(message, "plans.network_default", plan_id=access.plan.public_id)
    return render_template("plans/network_default.html", access=access, form=form)
