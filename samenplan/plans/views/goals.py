"""Goals, their actions and progress, and the actions across plans."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.clock import local_today, utcnow
from samenplan.core import inputs
from samenplan.core.forms import options
from samenplan.core.i18n import current_locale
from samenplan.core.web import Outcome, saving
from samenplan.domains import life_domains
from samenplan.errors import NotAllowed
from samenplan.extensions import db
from samenplan.guard import require
from samenplan.plans import goals as goal_service
from samenplan.plans import pages, queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.charts import progress_chart
from samenplan.plans.forms import (
    PLAN_ROLE_LABELS,
    ActionForm,
    ActionStatusForm,
    GoalForm,
    ProgressForm,
)
from samenplan.plans.guard import audit_listed, plan_route
from samenplan.plans.models import Action, ActionStatus, Goal, GoalStatus
from samenplan.plans.views import bp
from samenplan.policy import Permission


def _goal_form(access: PlanAccess, form: GoalForm) -> GoalForm:
    locale = current_locale()
    form.domain.choices = options((d.id, d.label(locale)) for d in life_domains().values())
    form.person_id.choices = options(
        [(None, _l("The whole household")), *((p.id, p.name) for p in queries.persons(access))]
    )
    return form


def _action_input(form: ActionForm) -> goal_service.ActionInput:
    return goal_service.ActionInput(
        description=form.description.data or "",
        assignee_id=form.assignee.data,
        due_date=form.due_date.data,
    )


def _goal_input(form: GoalForm) -> goal_service.GoalInput:
    return goal_service.GoalInput(
        domain=form.domain.data or "",
        title=form.title.data or "",
        person_id=form.person_id.data,
        why=form.why.data or "",
        desired_situation=form.desired_situation.data or "",
        target_date=form.target_date.data,
        status=GoalStatus(form.status.data or "open"),
        shared_with_network=bool(form.shared_with_network.data),
    )


@bp.route("/<plan_id>/goals/new", methods=["GET", "POST"])
@plan_route(Permission.EDIT_CONTENT)
def goal_create(access: PlanAccess) -> Response | str:
    form = _goal_form(access, GoalForm())
    if request.method == "GET":
        form.domain.data = (
            request.args.get("domain") if request.args.get("domain") in life_domains() else None
        )
        form.person_id.data = inputs.int_arg("person")
    if form.validate_on_submit():
        with saving(form) as saved:
            goal = goal_service.create_goal(access, current_user, _goal_input(form))
        if saved:
            flash(_l("The goal is added. Now add who does what."), "success")
            return redirect(
                url_for("plans.goal", plan_id=access.plan.public_id, goal_id=goal.id), code=303
            )
    return render_template(
        "plans/goal_form.html", access=access, form=form, goal=None, conflict=None
    )


@bp.get("/<plan_id>/goals/<int:goal_id>")
@plan_route(Permission.VIEW_PLAN)
def goal(access: PlanAccess, goal_id: int) -> str:
    found = queries.goal_in_plan(access, goal_id)
    if found is None:
        abort(404)
    action_form = ActionForm()
    action_form.assignee.choices = _assignee_choices(access)
    return _goal_page(access, found, action_form=action_form, progress_form=ProgressForm())


def _goal_page(
    access: PlanAccess, found: Goal, *, action_form: ActionForm, progress_form: ProgressForm
) -> str:
    """The goal page; the forms carry what the user typed when a post needs another look."""
    page = pages.goal_page(access, found)
    return render_template(
        "plans/goal.html",
        access=access,
        page=page,
        goal=found,
        action_form=action_form,
        progress_form=progress_form,
        chart=progress_chart(page.progress, current_locale()),
        status_form=ActionStatusForm(formdata=None),
        today=local_today(),
        person=queries.person_in_plan(access, found.person_id) if found.person_id else None,
    )


def _assignee_choices(access: PlanAccess) -> list[object]:
    return options(
        (p.id, f"{p.user.name} ({PLAN_ROLE_LABELS[p.role]!s})")
        for p in queries.participants(access)
    )


@bp.route("/<plan_id>/goals/<int:goal_id>/edit", methods=["GET", "POST"])
@plan_route(Permission.EDIT_CONTENT)
def goal_edit(access: PlanAccess, goal_id: int) -> Response | str:
    found = queries.goal_in_plan(access, goal_id)
    if found is None:
        abort(404)
    form = _goal_form(access, GoalForm(obj=found if request.method == "GET" else None))
    if request.method == "GET":
        form.status.data = found.status.value
        form.version.data = str(found.version)
    conflict = None
    if form.validate_on_submit():
        with saving(form) as saved:
            goal_service.update_goal(
                access, current_user, found, _goal_input(form), seen_version=_int(form.version.data)
            )
        conflict = _edit_conflict(saved, form)
        if saved:
            flash(_l("The goal is saved."), "success")
            return redirect(
                url_for("plans.goal", plan_id=access.plan.public_id, goal_id=found.id), code=303
            )
    return render_template(
        "plans/goal_form.html",
        access=access,
        form=form,
        goal=found,
        conflict=conflict,
    )


def _edit_conflict(saved: Outcome, form: GoalForm | ActionForm) -> Goal | Action | None:
    """After a save that lost to someone else's: the version that is stored now, to show
    beside what the person typed; the form's version moves on, so saving again applies it."""
    if not isinstance(saved.error, goal_service.EditConflict):
        return None
    current: Goal | Action = saved.error.current
    form.version.data = str(current.version)
    return current


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return -1


@bp.post("/<plan_id>/goals/<int:goal_id>/actions")
@plan_route(Permission.EDIT_CONTENT)
def action_create(access: PlanAccess, goal_id: int) -> Response | str:
    found = queries.goal_in_plan(access, goal_id)
    if found is None:
        abort(404)
    form = ActionForm()
    form.assignee.choices = _assignee_choices(access)
    if form.validate_on_submit():
        with saving(form) as saved:
            goal_service.create_action(access, current_user, found, _action_input(form))
        if saved:
            flash(_l("The action is added."), "success")
            return redirect(
                url_for(
                    "plans.goal", plan_id=access.plan.public_id, goal_id=found.id, _anchor="actions"
                ),
                code=303,
            )
    return _goal_page(access, found, action_form=form, progress_form=ProgressForm(formdata=None))


@bp.route("/<plan_id>/actions/<int:action_id>/edit", methods=["GET", "POST"])
@plan_route(Permission.EDIT_CONTENT)
def action_edit(access: PlanAccess, action_id: int) -> Response | str:
    action = queries.action_in_plan(access, action_id)
    if action is None:
        abort(404)
    form = ActionForm(obj=action if request.method == "GET" else None)
    form.assignee.choices = _assignee_choices(access)
    if request.method == "GET":
        form.assignee.data = action.assignee_id
        form.version.data = str(action.version)
    conflict = None
    if form.validate_on_submit():
        with saving(form) as saved:
            goal_service.update_action(
                access,
                current_user,
                action,
                _action_input(form),
                seen_version=_int(form.version.data),
            )
        conflict = _edit_conflict(saved, form)
        if saved:
            flash(_l("The action is saved."), "success")
            return redirect(
                url_for(
                    "plans.goal",
                    plan_id=access.plan.public_id,
                    goal_id=action.goal_id,
                    _anchor="actions",
                ),
                code=303,
            )
    return render_template(
        "plans/action_form.html", access=access, form=form, action=action, conflict=conflict
    )


@bp.post("/<plan_id>/actions/<int:action_id>/status")
@plan_route(Permission.COMPLETE_ACTION)
def action_status(access: PlanAccess, action_id: int) -> Response:
    action = queries.action_in_plan(access, action_id)
    if action is None:
        abort(404)
    form = ActionStatusForm()
    if form.validate_on_submit():
        try:
            goal_service.set_action_status(
                access, current_user, action, ActionStatus(form.status.data)
            )
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
    target = request.form.get("next_url") or ""
    if target == "mine":
        return redirect(url_for("plans.my_actions"), code=303)
    return redirect(
        url_for(
            "plans.goal", plan_id=access.plan.public_id, goal_id=action.goal_id, _anchor="actions"
        ),
        code=303,
    )


@bp.post("/<plan_id>/goals/<int:goal_id>/progress")
@plan_route(Permission.ADD_PROGRESS)
def progress_add(access: PlanAccess, goal_id: int) -> Response | str:
    found = queries.goal_in_plan(access, goal_id)
    if found is None:
        abort(404)
    form = ProgressForm()
    if form.validate_on_submit():
        goal_service.add_progress(
            access,
            current_user,
            found,
            value=int(form.value.data),
            note=form.note.data or "",
            recorded_on=local_today(),
        )
        flash(_l("Thank you. The progress is saved."), "success")
        return redirect(
            url_for(
                "plans.goal", plan_id=access.plan.public_id, goal_id=found.id, _anchor="progress"
            ),
            code=303,
        )
    action_form = ActionForm(formdata=None)
    action_form.assignee.choices = _assignee_choices(access)
    return _goal_page(access, found, action_form=action_form, progress_form=form)


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
