"""Who takes part: invitations, removal, handing over coordination."""

from __future__ import annotations

import functools

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.core.forms import ConfirmForm, options
from samenplan.core.web import saving
from samenplan.extensions import db
from samenplan.plans import participation as participation_service
from samenplan.plans import queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.forms import (
    PLAN_ROLE_LABELS,
    HandOverForm,
    InviteForm,
)
from samenplan.plans.guard import plan_route
from samenplan.plans.mails import send_invitation
from samenplan.plans.models import PlanRole
from samenplan.plans.views import bp
from samenplan.policy import Permission, can


def _invite_form(access: PlanAccess) -> InviteForm:
    form = InviteForm()
    form.role.choices = options(
        (r.value, PLAN_ROLE_LABELS[r]) for r in participation_service.roles_inviter_may_give(access)
    )
    form.person.choices = options(
        [(None, _l("No")), *((p.id, p.name) for p in queries.persons(access) if p.user_id is None)]
    )
    return form


@bp.route("/<plan_id>/participants", methods=["GET", "POST"])
@plan_route(Permission.VIEW_PLAN, post=Permission.INVITE)
def participants(access: PlanAccess) -> Response | str:
    form = _invite_form(access)
    if form.validate_on_submit():
        person = queries.person_in_plan(access, form.person.data) if form.person.data else None
        with saving(form) as saved:
            invitation, token = participation_service.invite(
                access,
                current_user,
                email=form.email.data or "",
                role=PlanRole(form.role.data),
                person=person,
                valid_days=current_app.config["INVITATION_DAYS"],
            )
        if saved:
            # The link in the mail works once the invitation is stored.
            db.after_commit(
                functools.partial(
                    send_invitation,
                    access.plan,
                    email=invitation.email,
                    role=invitation.role,
                    token=token,
                    expires=invitation.expires_at,
                    inviter=current_user.name,
                )
            )
            flash(_l("The invitation is sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("plans.participants", plan_id=access.plan.public_id), code=303)
    hand_over = HandOverForm()
    everyone = queries.participants(access)
    hand_over.to.choices = options(
        (p.id, p.user.name)
        for p in everyone
        if p.role != PlanRole.NETWORK and not p.is_coordinator and not p.pending
    )
    return render_template(
        "plans/participants.html",
        access=access,
        participants=everyone,
        invitations=queries.open_invitations(access)
        if can(current_user, Permission.INVITE, access)
        else [],
        form=form,
        hand_over=hand_over,
    )


@bp.post("/<plan_id>/participants/<int:participation_id>/remove")
@plan_route(Permission.REMOVE_PARTICIPANT)
def participant_remove(access: PlanAccess, participation_id: int) -> Response:
    participation = queries.participation_in_plan(access, participation_id)
    if participation is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        with saving() as saved:
            participation_service.remove_participant(access, current_user, participation)
        if saved:
            flash(
                _l("%(name)s no longer takes part in the plan.", name=participation.user.name),
                "success",
            )
    return redirect(url_for("plans.participants", plan_id=access.plan.public_id), code=303)


@bp.post("/<plan_id>/invitations/<int:invitation_id>/revoke")
@plan_route(Permission.INVITE)
def invitation_revoke(access: PlanAccess, invitation_id: int) -> Response:
    invitation = queries.invitation_in_plan(access, invitation_id)
    if invitation is None:
        abort(404)
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
        to = queries.participation_in_plan(access, form.to.data)
        if to is None:
            abort(404)
        with saving() as saved:
            participation_service.hand_over_coordination(access, current_user, to)
        if saved:
            flash(_l("%(name)s now coordinates the plan.", name=to.user.name), "success")
    return redirect(url_for("plans.participants", plan_id=access.plan.public_id), code=303)
