"""The monitor (team leads, policy officers) and the satisfaction survey (participants)."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.audit.services import AuditAction, record
from samenplan.clock import local_today, utcnow
from samenplan.core import once
from samenplan.core.i18n import current_locale
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.web import saving
from samenplan.guard import require
from samenplan.monitoring import charts, pages
from samenplan.monitoring.format import cell_text
from samenplan.monitoring.forms import answers_of, survey_form
from samenplan.monitoring.scope import Scope, parse_period, period_choices, scopes_for
from samenplan.monitoring.surveys import answer_survey, current_offer, group_of, surveys
from samenplan.plans.access import PlanAccess
from samenplan.plans.guard import plan_route
from samenplan.policy import Permission
from samenplan.screening.bars import legend

bp = Blueprint("monitoring", __name__)


def _scope(scopes: list[Scope]) -> Scope:
    wanted = request.args.get("scope")
    return next((s for s in scopes if s.key == wanted), scopes[0])


@bp.get("/monitoring/")
@require(Permission.VIEW_MONITORING)
def index() -> str:
    scopes = scopes_for(current_user)
    today = local_today()
    if not scopes:
        return render_template("monitoring/index.html", monitor=None, scopes=[], periods=[])
    monitor = pages.monitor(
        _scope(scopes), parse_period(request.args.get("period"), today), current_locale()
    )
    return render_template(
        "monitoring/index.html",
        monitor=monitor,
        scopes=scopes,
        periods=period_choices(today),
        charts=charts,
        cell_text=cell_text,
        legend=legend(),
    )


@bp.get("/monitoring/<table_id>.csv")
@require(Permission.VIEW_MONITORING)
def export(table_id: str) -> Response:
    """One table as CSV for a spreadsheet (semicolons and a byte-order mark, as Excel in
    Dutch expects), hidden figures as words; audit-logged."""
    scopes = scopes_for(current_user)
    if not scopes:
        abort(404)
    scope = _scope(scopes)
    monitor = pages.monitor(
        scope, parse_period(request.args.get("period"), local_today()), current_locale()
    )
    table = next((t for t in monitor.tables() if t.id == table_id), None)
    if table is None:
        abort(404)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([table.title, *table.columns])
    for row in table.rows:
        writer.writerow([row.label, *(cell_text(c) for c in row.cells)])
    record(
        AuditAction.MONITOR_EXPORTED,
        actor=current_user,
        details={"table": table.id, "scope": scope.key, "period": monitor.period.key},
    )
    filename = f"monitor-{table.id}-{scope.key}-{monitor.period.key}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/plans/<plan_id>/survey", methods=["GET", "POST"])
@plan_route(Permission.ANSWER_SURVEY)
def survey(access: PlanAccess) -> Response | str:
    offer = current_offer(access, now=utcnow())
    group = group_of(access)
    if offer is None or group is None:
        return render_template("monitoring/survey.html", access=access, offer=None, form=None)
    questions = surveys().groups[group]
    form = survey_form(questions, current_locale())
    if form.validate_on_submit() and (earlier := once.claim(form)) is not None:
        return earlier  # the same answers sent twice
    if not offer.answered and form.validate_on_submit():
        with saving(form) as saved:
            answer_survey(
                access,
                current_user,
                occasion=offer.occasion,
                answers=answers_of(form, questions),
                remark=form.remark.data or "",
            )
        if saved:
            message = _l("Thank you for your answers.")
            return once.done(form, message, "plans.overview", plan_id=access.plan.public_id)
    return render_template(
        "monitoring/survey.html",
        access=access,
        offer=offer,
        form=form,
        questions=questions,
    )
