"""Opening an invitation link: accept it, or make an account through it."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.accounts import services as account_services
from samenplan.accounts.auth import log_in
from samenplan.accounts.models import SELF_SERVICE_ROLES, User
from samenplan.core.forms import ConfirmForm
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.web import done, saving
from samenplan.extensions import db
from samenplan.guard import public
from samenplan.plans import participation as participation_service
from samenplan.plans.forms import PLAN_ROLE_LABELS, InvitedAccountForm
from samenplan.plans.models import Invitation, Participation, Plan

bp = Blueprint("invitations", __name__, url_prefix="/invitations")


def _render(invitation: Invitation, **context: object) -> str:
    plan = db.session.get(Plan, invitation.plan_id)
    inviter = db.session.get(Participation, invitation.invited_by_id)
    inviter_user = db.session.get(User, inviter.user_id) if inviter else None
    inviter_name = inviter_user.name if inviter_user else ""
    return render_template(
        "plans/invitation.html",
        invitation=invitation,
        plan=plan,
        inviter_name=inviter_name,
        role_label=PLAN_ROLE_LABELS[invitation.role],
        **context,
    )


@bp.route("/<token>", methods=["GET", "POST"])
@public
def show(token: str) -> Response | str | tuple[str, int]:
    invitation = participation_service.find_invitation(token)
    if invitation is None:
        return render_template("plans/invitation_invalid.html"), 404
    if current_user.is_authenticated:
        return _accept(invitation)
    existing = account_services.get_user_by_email(invitation.email)
    if existing is not None and not existing.awaiting_invitation:
        next_url = url_for("invitations.show", token=token)
        return _render(invitation, state="log_in", next_url=next_url)
    if participation_service.account_role_for(invitation.role) not in SELF_SERVICE_ROLES:
        return _render(invitation, state="ask_admin")
    return _create_account(invitation, existing)


def _to_plan(invitation: Invitation, message: object) -> Response:
    plan = db.session.get(Plan, invitation.plan_id)
    assert plan is not None
    return done(message, "plans.overview", plan_id=plan.public_id)


def _accept(invitation: Invitation) -> Response | str:
    """Someone logged in: they accept with a button, when the invitation is for them."""
    if current_user.email != invitation.email:
        return _render(invitation, state="other_account")
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _render(invitation, state="accept", form=form)
    with saving() as saved:
        participation_service.accept_invitation(invitation, current_user)
    if not saved:
        return redirect(url_for("plans.index"), code=303)
    return _to_plan(invitation, _l("Welcome to the plan."))


def _create_account(invitation: Invitation, existing: User | None) -> Response | str:
    """No account yet (or one that waits for its owner): make it through the invitation."""
    form = InvitedAccountForm()
    if existing is not None and not form.is_submitted():
        form.name.data = existing.name  # known from the imported plan; they may change it
    if form.validate_on_submit():
        with saving(form) as saved:
            user = account_services.create_invited_account(
                email=invitation.email,
                name=form.name.data or "",
                password=form.password.data or "",
                role=participation_service.account_role_for(invitation.role),
            )
            participation_service.accept_invitation(invitation, user)
        if saved:
            log_in(user)
            return _to_plan(invitation, _l("Your account is ready and you take part in the plan."))
    return _render(invitation, state="create_account", form=form)
