"""Goals, their actions and progress, and the actions across plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.clock import local_today, utcnow
from samenplan.core import once
from samenplan.core.i18n import current_locale
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.web import Outcome, done, found, saving
from samenplan.errors import NotAllowed
from samenplan.extensions import db
from samenplan.guard import require
from samenplan.plans import goals as goal_service
from samenplan.plans import pages, queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.charts import progress_chart
from samenplan.plans.form_builders import action_form, goal_form
from samenplan.plans.forms import ActionForm, ActionStatusForm, ProgressForm, Versioned
from samenplan.plans.guard import audit_listed, plan_route
from samenplan.plans.models import Action, ActionStatus, Goal, Participation, PlanRole
from samenplan.plans.views import bp
from samenplan.policy import Permission

#: said after saving a date that has passed: accepted (a plan may be written down late),
#: but the person should know
PAST_TARGET = _l("The target date is in the past. Change it if that is not what you meant.")
PAST_DUE = _l(
    "The date of this action is in the past, so it shows as overdue. Change it if that is "
    "not what you meant."
)


def _say_if_past(day: dt.date | None, message: object) -> None:
    """A notice after the "saved" message when ``day`` has passed (Dutch time)."""
    if day is not None and day < local_today():
        flash(str(message), "info")


@bp.route("/<plan_id>/goals/new", methods=["GET", "POST"])
@plan_route(Permission.EDIT_CONTENT)
def goal_create(access: PlanAccess) -> Response | str:
    form = goal_form(access)
    if form.validate_on_submit():
        if (earlier := once.claim(form)) is not None:
            return earlier
        with saving(form) as saved:
            goal = goal_service.create_goal(access, current_user, form.to_input())
        if saved:
            message = _l("The goal is added. Now add who does what.")
            shown = once.done(form, message, "plans.goal", **_goal_url(access, goal.id))
            _say_if_past(goal.target_date, PAST_TARGET)
            return shown
    return render_template(
        "plans/goal_form.html", access=access, form=form, goal=None, conflict=None
    )


@bp.get("/<plan_id>/goals/<int:goal_id>")
@plan_route(Permission.VIEW_PLAN)
def goal(access: PlanAccess, goal_id: int) -> str:
    shown = found(queries.goal_in_plan(access, goal_id))
    return _goal_page(access, shown, action_form=action_form(access), progress_form=ProgressForm())


def _goal_page(
    access: PlanAccess,
    shown: Goal,
    *,
    action_form: ActionForm,
    progress_form: ProgressForm,
    unseen_by: Participation | None = None,
) -> str:
    """The goal page; the forms carry what the user typed when a post needs another look."""
    page = pages.goal_page(access, shown)
    return render_template(
        "plans/goal.html",
        access=access,
        page=page,
        goal=shown,
        action_form=action_form,
        progress_form=progress_form,
        chart=progress_chart(page.progress, current_locale()),
        status_form=ActionStatusForm(formdata=None),
        today=local_today(),
        person=queries.person_in_plan(access, shown.person_id) if shown.person_id else None,
        unseen_by=unseen_by,
    )


def _unseen_by(access: PlanAccess, goal: Goal, form: ActionForm) -> Participation | None:
    """The network member an action is given to under a goal the network cannot see (they
    would not see the action either), unless the family confirmed ("save anyway")."""
    if goal.shared_with_network or form.confirmed.data == "yes":
        return None
    assignee = queries.participation_in_plan(access, form.assignee.data)
    return assignee if assignee is not None and assignee.role == PlanRole.NETWORK else None


def _goal_url(access: PlanAccess, goal_id: int, anchor: str | None = None) -> dict[str, Any]:
    return {"plan_id": access.plan.public_id, "goal_id": goal_id, "_anchor": anchor}


@bp.route("/<plan_id>/goals/<int:goal_id>/edit", methods=["GET", "POST"])
@plan_route(Permission.EDIT_CONTENT)
def goal_edit(access: PlanAccess, goal_id: int) -> Response | str:
    shown = found(queries.goal_in_plan(access, goal_id))
    form = goal_form(access, shown)
    conflict = None
    if form.validate_on_submit():
        before = shown.target_date
        with saving(form) as saved:
            goal_service.update_goal(
                access, current_user, shown, form.to_input(), seen_version=form.seen_version()
            )
        if saved:
            response = done(_l("The goal is saved."), "plans.goal", **_goal_url(access, shown.id))
            if shown.target_date != before:
                _say_if_past(shown.target_date, PAST_TARGET)
            return response
        conflict = _edit_conflict(saved, form)
    return render_template(
        "plans/goal_form.html", access=access, form=form, goal=shown, conflict=conflict
    )


def _edit_conflict(saved: Outcome, form: Versioned) -> Goal | Action | None:
    """After a save that lost to someone else's: the version that is stored now, to show
    beside what the person typed; the form's version moves on, so saving again applies it."""
    if not isinstance(saved.error, goal_service.EditConflict):
        return None
    current: Goal | Action = saved.error.current
    form.version.data = str(current.version)
    return current


@bp.post("/<plan_id>/goals/<int:goal_id>/actions")
@plan_route(Permission.EDIT_CONTENT)
def action_create(access: PlanAccess, goal_id: int) -> Response | str:
    shown = found(queries.goal_in_plan(access, goal_id))
    form = action_form(access)
    if form.validate_on_submit() and (unseen := _unseen_by(access, shown, form)) is not None:
        blank = ProgressForm(formdata=None)
        return _goal_page(access, shown, action_form=form, progress_form=blank, unseen_by=unseen)
    if form.validate_on_submit():
        if (earlier := once.claim(form)) is not None:
            return earlier
        with saving(form) as saved:
            action = goal_service.create_action(access, current_user, shown, form.to_input())
        if saved:
            url = _goal_url(access, shown.id, "actions")
            added = once.done(form, _l("The action is added."), "plans.goal", **url)
            _say_if_past(action.due_date, PAST_DUE)
            return added
    return _goal_page(access, shown, action_form=form, progress_form=ProgressForm(formdata=None))


@bp.route("/<plan_id>/actions/<int:action_id>/edit", methods=["GET", "POST"])
@plan_route(Permission.EDIT_CONTENT)
def action_edit(access: PlanAccess, action_id: int) -> Response | str:
    action = found(queries.action_in_plan(access, action_id))
    form = action_form(access, action)
    conflict = None
    unseen = _unseen_by(access, action.goal, form) if form.validate_on_submit() else None
    if form.validate_on_submit() and unseen is None:
        before = action.due_date
        with saving(form) as saved:
            goal_service.update_action(
                access, current_user, action, form.to_input(), seen_version=form.seen_version()
            )
        if saved:
            url = _goal_url(access, action.goal_id, "actions")
            response = done(_l("The action is saved."), "plans.goal", **url)
            if action.due_date != before:
                _say_if_past(action.due_date, PAST_DUE)
            return response
        conflict = _edit_conflict(saved, form)
    return render_template(
        "plans/action_form.html",
        access=access,
        form=form,
        action=action,
        conflict=conflict,
        unseen_by=unseen,
    )


@bp.post("/<plan_id>/actions/<int:action_id>/status")
@plan_route(Permission.COMPLETE_ACTION)
def action_status(access: PlanAccess, action_id: int) -> Response:
    action = found(queries.action_in_plan(access, action_id))
    form = ActionStatusForm()
    if form.validate_on_submit():
        _set_status(access, action, ActionStatus(form.status.data))
    if request.form.get("next_url") == "mine":
        return redirect(url_for("plans.my_actions"), code=303)
    return redirect(url_for("plans.goal", **_goal_url(access, action.goal_id, "actions")), code=303)


def _set_status(access: PlanAccess, action: Action, status: ActionStatus) -> None:
    """Tick off from a list: a lost race is said in a line, not a form page."""
    try:
        goal_service.set_action_status(access, current_user, action, status)
    except goal_service.EditConflict:
        db.rollback()
        flash(
            _l("Someone else changed this action just now. Look again and try once more."),
            "error",
        )
    except NotAllowed:
        abort(403)
    else:
        flash(_l("The action is updated."), "success")


@bp.post("/<plan_id>/goals/<int:goal_id>/progress")
@plan_route(Permission.ADD_PROGRESS)
def progress_add(access: PlanAccess, goal_id: int) -> Response | str:
    shown = found(queries.goal_in_plan(access, goal_id))
    form = ProgressForm()
    if form.validate_on_submit():
        if (earlier := once.claim(form)) is not None:
            return earlier
        goal_service.add_progress(
            access,
            current_user,
            shown,
            value=int(form.value.data),
            note=form.note.data or "",
            recorded_on=local_today(),
        )
        url = _goal_url(access, shown.id, "progress")
        return once.done(form, _l("Thank you. The progress is saved."), "plans.goal", **url)
    return _goal_page(
        access, shown, action_form=action_form(access, posted=False), progress_form=form
    )


@bp.get("/actions")
@require(Permission.LIST_PLANS)
def my_actions() -> str:
    today = local_today()
    plans = pages.my_plans(current_user, today=today, now=utcnow())
    audit_listed(p.access.plan.id for p in plans if p.open_actions)
    return render_template(
        "plans/my_actions.html",
        plans=plans,
        today=today,
        status_form=ActionStatusForm(formdata=None),
    )


@bp.get("/<plan_id>/actions")
@plan_route(Permission.VIEW_PLAN)
def actions(access: PlanAccess) -> str:
    return render_template(
        "plans/actions.html", access=access, page=pages.actions_page(access), today=local_today()
    )
