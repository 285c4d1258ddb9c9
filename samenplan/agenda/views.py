"""The plan's agenda: upcoming items, a month overview, and adding or changing items."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.agenda import queries, services
from samenplan.agenda.forms import KIND_LABELS, AgendaForm
from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.clock import AMSTERDAM, local_today, utcnow
from samenplan.core import inputs, once
from samenplan.core.forms import ConfirmForm, options
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.web import saving
from samenplan.plans import queries as plan_queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.guard import plan_route
from samenplan.policy import Permission

bp = Blueprint("agenda", __name__, url_prefix="/plans")


def _month(value: str | None) -> tuple[int, int]:
    today = local_today()
    try:
        year, month = (int(part) for part in (value or "").split("-", 1))
        dt.date(year, month, 1)
        if not inputs.YEAR_MIN <= year <= inputs.YEAR_MAX:
            raise ValueError
    except ValueError:
        return today.year, today.month
    return year, month


@bp.get("/<plan_id>/agenda")
@plan_route(Permission.VIEW_PLAN)
def index(access: PlanAccess) -> str:
    year, month = _month(request.args.get("month"))
    days: dict[dt.date, list[AgendaItem]] = defaultdict(list)
    for item in queries.in_month(access, year, month):
        days[item.starts_at.astimezone(AMSTERDAM).date()].append(item)
    previous = dt.date(year, month, 1) - dt.timedelta(days=1)
    following = dt.date(year, month, calendar.monthrange(year, month)[1]) + dt.timedelta(days=1)
    return render_template(
        "agenda/index.html",
        access=access,
        upcoming=queries.upcoming(access, now=utcnow(), limit=10),
        days=dict(sorted(days.items())),
        month=dt.date(year, month, 1),
        previous=previous.strftime("%Y-%m"),
        following=following.strftime("%Y-%m"),
        kinds=KIND_LABELS,
    )


def _form(access: PlanAccess, item: AgendaItem | None) -> AgendaForm:
    form = AgendaForm(obj=item if request.method == "GET" else None)
    form.expected.choices = options((p.id, p.user.name) for p in plan_queries.participants(access))
    if request.method == "GET" and item is None:
        form.shared_with_network.data = access.plan.shares_by_default
        if request.args.get("kind") in set(AgendaKind):
            form.kind.data = request.args["kind"]
    if request.method == "GET" and item is not None:
        local = item.starts_at.astimezone(AMSTERDAM)
        form.kind.data = item.kind.value
        form.date.data, form.start_time.data = local.date(), local.time()
        form.end_time.data = item.ends_at.astimezone(AMSTERDAM).time() if item.ends_at else None
        form.expected.data = [p.id for p in item.expected]
    return form


def _input(form: AgendaForm) -> services.AgendaInput:
    assert form.date.data is not None and form.start_time.data is not None  # validated
    starts = dt.datetime.combine(form.date.data, form.start_time.data, tzinfo=AMSTERDAM)
    ends = (
        dt.datetime.combine(form.date.data, form.end_time.data, tzinfo=AMSTERDAM)
        if form.end_time.data
        else None
    )
    return services.AgendaInput(
        title=form.title.data or "",
        kind=AgendaKind(form.kind.data),
        starts_at=starts.astimezone(dt.UTC),
        ends_at=ends.astimezone(dt.UTC) if ends else None,
        location=form.location.data or "",
        notes=form.notes.data or "",
        shared_with_network=bool(form.shared_with_network.data),
        expected_ids=list(form.expected.data or []),
    )


def _to_month_of(access: PlanAccess, item: AgendaItem) -> Response:
    """Back to the agenda, at the month of the appointment (Dutch time)."""
    month = item.starts_at.astimezone(AMSTERDAM).strftime("%Y-%m")
    return redirect(url_for("agenda.index", plan_id=access.plan.public_id, month=month), code=303)


@bp.route("/<plan_id>/agenda/new", methods=["GET", "POST"])
@plan_route(Permission.EDIT_CONTENT)
def create(access: PlanAccess) -> Response | str:
    form = _form(access, None)
    if form.validate_on_submit():
        if (earlier := once.claim(form)) is not None:
            return earlier
        with saving(form) as saved:
            item = services.create_item(access, current_user, _input(form))
        if saved:
            flash(_l("The appointment is in the agenda."), "success")
            shown = _to_month_of(access, item)
            once.made(form, shown.location)
            return shown
    return render_template("agenda/form.html", access=access, form=form, item=None)


@bp.route("/<plan_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@plan_route(Permission.EDIT_CONTENT)
def edit(access: PlanAccess, item_id: int) -> Response | str:
    item = queries.item_in_plan(access, item_id)
    if item is None:
        abort(404)
    form = _form(access, item)
    if form.validate_on_submit():
        with saving(form) as saved:
            services.update_item(access, current_user, item, _input(form))
        if saved:
            flash(_l("The appointment is saved."), "success")
            return _to_month_of(access, item)
    return render_template(
        "agenda/form.html", access=access, form=form, item=item, cancel_form=ConfirmForm()
    )


@bp.post("/<plan_id>/agenda/<int:item_id>/cancel")
@plan_route(Permission.EDIT_CONTENT)
def cancel(access: PlanAccess, item_id: int) -> Response:
    item = queries.item_in_plan(access, item_id)
    if item is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        with saving() as saved:
            services.cancel_item(access, current_user, item)
        if saved:
            flash(_l("The appointment is cancelled. It stays in the agenda, marked."), "success")
    return _to_month_of(access, item)
