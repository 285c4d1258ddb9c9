"""A person's reminder choices on their account page, and the link in every reminder mail
that turns them off without logging in."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.core.forms import ConfirmForm
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.extensions import db
from samenplan.guard import public, require
from samenplan.policy import Permission
from samenplan.reminders.forms import RemindersForm
from samenplan.reminders.models import Frequency, ReminderKind, ReminderSetting
from samenplan.reminders.send import settings_of, user_of_token

bp = Blueprint("reminders", __name__)


def choose(user_id: int, chosen: dict[ReminderKind, Frequency]) -> None:
    for kind, frequency in chosen.items():
        setting = db.session.get(ReminderSetting, (user_id, kind))
        if setting is None:
            db.session.add(ReminderSetting(user_id=user_id, kind=kind, frequency=frequency))
        else:
            setting.frequency = frequency
    db.session.flush()


@bp.route("/account/reminders", methods=["GET", "POST"])
@require(Permission.LIST_PLANS)
def settings() -> Response | str:
    form = RemindersForm()
    if request.method == "GET":
        for kind, frequency in settings_of(current_user.id).items():
            form[kind.value].data = frequency.value
    if form.validate_on_submit():
        choose(current_user.id, {k: Frequency(form[k.value].data) for k in ReminderKind})
        flash(_l("Your choices for reminder mails are saved."), "success")
        return redirect(url_for("reminders.settings"), code=303)
    return render_template("reminders/settings.html", form=form)


@bp.route("/reminders/<token>", methods=["GET", "POST"])
@public  # the signed link in a reminder mail: one click, no login
def one_click(token: str) -> Response | str:
    user = user_of_token(token) if len(token) <= 200 else None
    if user is None or not user.active:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        choose(user.id, dict.fromkeys(ReminderKind, Frequency.OFF))
        return render_template("reminders/off.html", done=True, form=form)
    return render_template("reminders/off.html", done=False, form=form)
