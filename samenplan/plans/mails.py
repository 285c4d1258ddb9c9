"""The invitation mail, in Dutch and English, for the web form and for imported plans."""

from __future__ import annotations

import datetime as dt
import functools

from flask import render_template, url_for

from samenplan.extensions import db
from samenplan.mail import send_mail
from samenplan.plans.forms import role_label
from samenplan.plans.models import Invitation, Plan, PlanRole


def send_invitation(
    plan: Plan,
    *,
    email: str,
    role: PlanRole,
    token: str,
    expires: dt.datetime,
    inviter: str,
    moved_to: str | None = None,
) -> None:
    """Mail the single-use link. Needs a request context (the shell makes one for the link).

    ``moved_to`` names the organisation an imported plan moved to; the mail then says the
    plan moved and that they can take part again."""
    link = url_for("invitations.show", token=token, _external=True)
    body = render_template(
        "plans/invitation_mail.txt",
        inviter=inviter,
        plan=plan,
        link=link,
        role_nl=role_label(role, "nl"),
        role_en=role_label(role, "en"),
        expires=expires.date(),
        moved_to=moved_to,
    )
    send_mail(email, "Uitnodiging voor een plan in Samenplan / Invitation to a plan", body)


def send_invitation_after_commit(
    plan: Plan, invitation: Invitation, *, token: str, inviter: str
) -> None:
    """Mail the invitation once the request has stored it: only then does the link work,
    and a request that fails sends nothing."""
    db.after_commit(
        functools.partial(
            send_invitation,
            plan,
            email=invitation.email,
            role=invitation.role,
            token=token,
            expires=invitation.expires_at,
            inviter=inviter,
        )
    )
