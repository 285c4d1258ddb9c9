"""Evaluation moments: the page the family and professionals go through together (the goals
since the last evaluation, a new strengths check when the last is old, the report into the
logbook, the satisfaction survey), and the coordinator's evaluation cycle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from samenplan.agenda import queries as agenda_queries
from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.audit.services import AuditAction, record
from samenplan.clock import AMSTERDAM, utcnow
from samenplan.core import once
from samenplan.core.i18n import gettext as _
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.web import saving
from samenplan.evaluations.forms import CycleForm, ReportForm, cycle_label
from samenplan.extensions import db
from samenplan.monitoring.surveys import current_offer
from samenplan.plans import queries as plan_queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.guard import plan_route
from samenplan.plans.logbook import add_log_entry
from samenplan.plans.models import Goal, GoalStatus, ProgressEntry
from samenplan.policy import Permission
from samenplan.screening.models import Perspective, Screening, ScreeningStatus
from samenplan.screening.queries import visible as visible_screenings

bp = Blueprint("evaluations", __name__, url_prefix="/plans")


@dataclass(frozen=True)
class GoalLook:
    goal: Goal
    then: int | None
    now: int | None
    entries_since: int


def _evaluation(access: PlanAccess, item_id: int) -> AgendaItem:
    item = agenda_queries.item_in_plan(access, item_id)
    if item is None or item.kind != AgendaKind.EVALUATION:
        abort(404)
    return item


def _previous(access: PlanAccess, item: AgendaItem) -> dt.date:
    """The day of the evaluation before this one, or the day the plan began."""
    before = db.session.scalar(
        select(AgendaItem.starts_at)
        .where(
            AgendaItem.plan_id == access.plan.id,
            *access.sees_where(AgendaItem),
            AgendaItem.kind == AgendaKind.EVALUATION,
            AgendaItem.cancelled_at.is_(None),
            AgendaItem.starts_at < item.starts_at,
        )
        .order_by(AgendaItem.starts_at.desc())
        .limit(1)
    )
    return (before or access.plan.created_at).astimezone(AMSTERDAM).date()


def _goals(access: PlanAccess, since: dt.date) -> list[GoalLook]:
    """Open goals, and goals closed since the last evaluation, with their progress then
    (the latest entry on or before that day) and now."""
    goals = [
        g
        for g in db.session.scalars(plan_queries.visible_goals(access).order_by(Goal.id))
        if g.status == GoalStatus.OPEN
        or (g.closed_at is not None and g.closed_at.astimezone(AMSTERDAM).date() >= since)
    ]
    entries = plan_queries.progress_by_goal(access, [g.id for g in goals])
    looks = []
    for goal in goals:
        found: list[ProgressEntry] = entries.get(goal.id, [])
        then = [e for e in found if e.recorded_on <= since]
        looks.append(
            GoalLook(
                goal,
                then[-1].value if then else None,
                found[-1].value if found else None,
                len(found) - len(then),
            )
        )
    return looks


def _last_check(access: PlanAccess) -> dt.date | None:
    return db.session.scalar(
        visible_screenings(access)
        .with_only_columns(Screening.moment)
        .where(
            Screening.status == ScreeningStatus.COMPLETED,
            Screening.perspective == Perspective.PROFESSIONAL,
        )
        .order_by(Screening.moment.desc())
        .limit(1)
    )


def _page(access: PlanAccess, item: AgendaItem, form: ReportForm) -> str:
    since = _previous(access, item)
    day = item.starts_at.astimezone(AMSTERDAM).date()
    last_check = _last_check(access)
    cycle_start = day - relativedelta(months=access.plan.evaluation_months)
    return render_template(
        "evaluations/page.html",
        access=access,
        item=item,
        since=since,
        goals=_goals(access, since),
        last_check=last_check,
        check_due=last_check is None or last_check < cycle_start,
        offer=current_offer(access, now=utcnow()),
        form=form,
        cycle=cycle_label(access.plan.evaluation_months),
    )


@bp.get("/<plan_id>/evaluations/<int:item_id>")
@plan_route(Permission.VIEW_PLAN)
def show(access: PlanAccess, item_id: int) -> str:
    form = ReportForm()
    form.shared_with_network.data = access.plan.shares_by_default
    return _page(access, _evaluation(access, item_id), form)


@bp.post("/<plan_id>/evaluations/<int:item_id>/report")
@plan_route(Permission.ADD_LOG)
def report(access: PlanAccess, item_id: int) -> Response | str:
    item = _evaluation(access, item_id)
    form = ReportForm()
    if form.validate_on_submit():
        if (earlier := once.claim(form)) is not None:
            return earlier
        day = item.starts_at.astimezone(AMSTERDAM)
        heading = _("Report of the evaluation of %(date)s", date=f"{day:%d-%m-%Y}")
        with saving(form) as saved:
            add_log_entry(
                access,
                current_user,
                text=f"{heading}\n\n{(form.text.data or '').strip()}",
                shared_with_network=bool(form.shared_with_network.data)
                and item.shared_with_network,
            )
        if saved:
            message = _l("The report is in the logbook.")
            return once.done(
                form, message, "evaluations.show", plan_id=access.plan.public_id, item_id=item.id
            )
    return _page(access, item, form)


@bp.post("/<plan_id>/evaluation-cycle")
@plan_route(Permission.SET_EVALUATION_CYCLE)
def cycle(access: PlanAccess) -> Response:
    form = CycleForm()
    if form.validate_on_submit() and form.months.data != access.plan.evaluation_months:
        old = access.plan.evaluation_months
        access.plan.evaluation_months = int(form.months.data)
        record(
            AuditAction.EVALUATION_CYCLE_SET,
            actor=current_user,
            plan_id=access.plan.id,
            obj=access.plan,
            details={"months": [old, access.plan.evaluation_months]},
        )
        flash(_l("The evaluation cycle is saved."), "success")
    return redirect(url_for("agenda.index", plan_id=access.plan.public_id), code=303)
