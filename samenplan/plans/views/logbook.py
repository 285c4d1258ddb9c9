"""The logbook and the plan's history ("who viewed or changed our plan?")."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.core import inputs, once
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.plans import logbook as log_service
from samenplan.plans import pages, queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.forms import (
    LogForm,
)
from samenplan.plans.guard import plan_route
from samenplan.plans.views import bp
from samenplan.policy import Permission

#: messages on one page of the logbook
LOG_PAGE = 30


@bp.route("/<plan_id>/logbook", methods=["GET", "POST"])
@plan_route(Permission.VIEW_PLAN, post=Permission.ADD_LOG)
def logbook(access: PlanAccess) -> Response | str:
    form = LogForm()
    if request.method == "GET":
        form.shared_with_network.data = access.plan.shares_by_default
    if form.validate_on_submit():
        if (earlier := once.claim(form)) is not None:
            return earlier
        log_service.add_log_entry(
            access,
            current_user,
            text=form.text.data or "",
            shared_with_network=bool(form.shared_with_network.data),
        )
        message = _l("Your message is in the logbook.")
        return once.done(form, message, "plans.logbook", plan_id=access.plan.public_id)
    page = inputs.page_arg()
    entries, total = queries.logbook(access, page=page, per_page=LOG_PAGE)
    return render_template(
        "plans/logbook.html",
        access=access,
        entries=entries,
        total=total,
        page=page,
        per_page=LOG_PAGE,
        form=form,
    )


@bp.get("/<plan_id>/audit")
@plan_route(Permission.VIEW_AUDIT)
def audit(access: PlanAccess) -> str:
    before = inputs.int_arg("before")
    rows, older = pages.audit_trail(access, before=before)
    return render_template(
        "plans/audit.html", access=access, rows=rows, older=older, newest=before is None
    )
