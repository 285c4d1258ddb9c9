"""Plan summaries as PDF: the options page and the PDF itself."""

from __future__ import annotations

import functools
import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from samenplan.audit.services import AuditAction, record
from samenplan.core import inputs, once
from samenplan.core.forms import CreateButtonForm
from samenplan.core.i18n import current_locale
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.extensions import db
from samenplan.guard import require
from samenplan.plans import queries as plan_queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.guard import plan_route
from samenplan.policy import Permission
from samenplan.reports import jobs, summary
from samenplan.reports.export import export_plan
from samenplan.reports.forms import SECTION_LABELS, SummaryForm
from samenplan.reports.models import JobStatus, PrintJob

bp = Blueprint("reports", __name__, url_prefix="/plans")


def _options(form: SummaryForm) -> summary.Options:
    chosen = frozenset(summary.Section(s) for s in (form.sections.data or []))
    return summary.Options(
        sections=chosen or frozenset(summary.Section), since=form.since.data, until=form.until.data
    )


@bp.get("/<plan_id>/summary")
@plan_route(Permission.PRINT_SUMMARY)
def options(access: PlanAccess) -> str:
    form = SummaryForm(formdata=request.args if request.args else None)
    if not request.args:
        form.sections.data = [s.value for s in summary.Section]
    valid = form.validate() if request.args else False
    query: dict[str, Any] = request.args.to_dict(flat=False)  # keeps every chosen section
    pdf_url = url_for("reports.pdf", plan_id=access.plan.public_id, **query) if valid else None
    return render_template(
        "reports/options.html", access=access, form=form, pdf_url=pdf_url, labels=SECTION_LABELS
    )


@bp.get("/<plan_id>/summary.pdf")
@plan_route(Permission.PRINT_SUMMARY, own_audit_event=True)
def pdf(access: PlanAccess) -> Response | tuple[str, int]:
    form = SummaryForm(formdata=request.args)
    if request.args and not form.validate():
        return render_template(
            "reports/options.html", access=access, form=form, pdf_url=None, labels=SECTION_LABELS
        ), 400
    content = summary.printed_summary(access, current_user, _options(form), current_locale())
    filename = f"planoverzicht-{access.plan.public_id}.pdf"
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@bp.get("/<plan_id>/export.json")
@plan_route(Permission.EXPORT_PLAN, own_audit_event=True)
def export(access: PlanAccess) -> Response:
    """The whole plan as data, for the family to take along (DESIGN.md §7)."""
    data = export_plan(access)
    record(
        AuditAction.PLAN_EXPORTED,
        actor=current_user,
        plan_id=access.plan.id,
        obj=access.plan,
        details={"format": data["format"], "version": data["version"]},
    )
    body = json.dumps(data, ensure_ascii=False, indent=2)
    filename = f"plan-{access.plan.public_id}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- the team lead's print run ---------------------------------------------------------------

team_bp = Blueprint("print_runs", __name__, url_prefix="/plans/team/print")


@team_bp.route("", methods=["GET", "POST"])
@require(Permission.LIST_TEAM_PLANS)
def choose() -> BaseResponse | str:
    if request.method == "POST":
        form = CreateButtonForm()
        if not form.validate_on_submit():
            abort(400)
        if (earlier := once.claim(form)) is not None:
            return earlier  # sent twice: one print run
        ids = inputs.int_list(request.form.getlist("plan"))
        job = jobs.create_job(current_user, ids, summary.Options(), current_locale())
        if job.total == 0:
            db.rollback()
            flash(_l("Choose at least one plan."), "error")
            return redirect(url_for("print_runs.choose"), code=303)
        db.after_commit(functools.partial(jobs.start, job))  # a worker may look for it at once
        status = url_for("print_runs.status", job_id=job.public_id)
        once.made(form, status)
        return redirect(status, code=303)
    plans = [plan for plan, _members in plan_queries.team_plans(current_user)]
    return render_template("reports/print_choose.html", plans=plans, form=CreateButtonForm())


@team_bp.get("/<job_id>")
@require(Permission.LIST_TEAM_PLANS)
def status(job_id: str) -> str:
    job = jobs.job_for(current_user, job_id)
    if job is None:
        abort(404)
    return render_template("reports/print_status.html", job=job, message=_status_text(job))


@team_bp.get("/<job_id>/status.json")
@require(Permission.LIST_TEAM_PLANS)
def status_json(job_id: str) -> BaseResponse:
    job = jobs.job_for(current_user, job_id)
    if job is None:
        abort(404)
    return jsonify(
        status=job.status.value,
        done=job.done,
        total=job.total,
        message=str(_status_text(job)),
        download=url_for("print_runs.download", job_id=job.public_id)
        if job.status == JobStatus.DONE
        else None,
    )


def _status_text(job: PrintJob) -> str:
    if job.status == JobStatus.DONE:
        return str(_l("Ready: %(total)d plans in one PDF.", total=job.total))
    if job.status == JobStatus.FAILED:
        return str(
            _l(
                "Making the PDF did not work. Try again; if it keeps failing, "
                "tell your administrator."
            )
        )
    if job.status == JobStatus.QUEUED:
        return str(_l("Waiting for its turn…"))
    if job.done < job.total:
        return str(_l("Collecting plan %(done)d of %(total)d…", done=job.done + 1, total=job.total))
    return str(_l("Making the PDF…"))


@team_bp.get("/<job_id>/download")
@require(Permission.LIST_TEAM_PLANS)
def download(job_id: str) -> BaseResponse:
    job = jobs.job_for(current_user, job_id)
    if job is None or job.status != JobStatus.DONE or not jobs.job_file(job).exists():
        abort(404)
    filename = f"planoverzichten-{job.created_at:%Y%m%d}.pdf"
    return Response(
        jobs.job_file(job).read_bytes(),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
