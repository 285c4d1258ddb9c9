"""Plan pages. Thin: parse, load through the policy, call one service, redirect. The request
commits once at the edge (core.transactions)."""

from __future__ import annotations

import functools

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.clock import local_today, utcnow
from samenplan.core import inputs
from samenplan.core.forms import ConfirmForm, options
from samenplan.core.i18n import current_locale
from samenplan.core.web import Outcome, saving
from samenplan.domains import life_domains
from samenplan.errors import NotAllowed
from samenplan.extensions import db
from samenplan.guard import require
from samenplan.plans import queries, services
from samenplan.plans.access import PlanAccess
from samenplan.plans.charts import progress_chart
from samenplan.plans.forms import (
    PLAN_ROLE_LABELS,
    ActionForm,
    ActionStatusForm,
    ConsentForm,
    GoalForm,
    HandOverForm,
    InviteForm,
    LogForm,
    PersonEditForm,
    PersonForm,
    PlanCreateForm,
    ProgressForm,
)
from samenplan.plans.guard import audit_listed, plan_route
from samenplan.plans.mails import send_invitation
from samenplan.plans.models import Action, ActionStatus, Goal, GoalStatus, PlanRole, Relation
from samenplan.plans.panels import render_overview_panels
from samenplan.plans.rules import Stage, stage_on
from samenplan.policy import Permission, can

bp = Blueprint("plans", __name__, url_prefix="/plans")


# --- across plans ------------------------------------------------------------------------


@bp.get("/")
@require(Permission.LIST_PLANS)
def index() -> str:
    today = local_today()
    plans = queries.my_plans(current_user, today=today, now=utcnow())
    audit_listed(p.access.plan.id for p in plans)
    return render_template(
        "plans/index.html",
        plans=plans,
        invitations=queries.pending_invitations(current_user),
        today=today,
    )


@bp.get("/team")
@require(Permission.LIST_TEAM_PLANS)
def team() -> str:
    plans = queries.team_plans(current_user)
    audit_listed(plan.id for plan, _members in plans)
    return render_template("plans/team.html", plans=plans)


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.CREATE_PLAN)
def create() -> Response | str:
    form = PlanCreateForm()
    if request.method == "GET":
        form.relation.data = Relation.PARENT.value
    if form.validate_on_submit():
        with saving(form) as saved:
            plan = services.create_plan(
                current_user,
                title=form.title.data or "",
                persons=[_person_input(form)],
                coordinate=bool(form.coordinate.data),
            )
        if saved:
            flash(
                _l("The plan is made. Add the other household members and invite the family."),
                "success",
            )
            return redirect(url_for("plans.household", plan_id=plan.public_id), code=303)
    return render_template("plans/new.html", form=form)


def _person_input(form: PersonForm | PlanCreateForm) -> services.PersonInput:
    return services.PersonInput(
        name=form.name.data or "",
        relation=Relation(form.relation.data),
        date_of_birth=form.date_of_birth.data,
        parental_authority=bool(form.parental_authority.data),
    )


# --- one plan ----------------------------------------------------------------------------


@bp.get("/<plan_id>/")
@plan_route(Permission.VIEW_PLAN)
def overview(access: PlanAccess) -> str:
    data = queries.overview(access, now=utcnow())
    return render_template(
        "plans/overview.html",
        access=access,
        data=data,
        today=local_today(),
        panels=render_overview_panels(access, current_locale()),
    )


@bp.route("/<plan_id>/household", methods=["GET", "POST"])
@plan_route(Permission.VIEW_PLAN, post=Permission.MANAGE_HOUSEHOLD)
def household(access: PlanAccess) -> Response | str:
    form = PersonForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            services.add_person(access, current_user, _person_input(form))
        if saved:
            flash(_l("The household member is added."), "success")
            return redirect(url_for("plans.household", plan_id=access.plan.public_id), code=303)
    today = local_today()
    people = queries.persons(access)
    return render_template(
        "plans/household.html",
        access=access,
        persons=people,
        form=form,
        today=today,
        holders={p.id: access.consent_holders(p, today) for p in people},
        deciding_ids={p.id for p in people if stage_on(p.date_of_birth, today) == Stage.DECIDES},
    )


@bp.route("/<plan_id>/household/<int:person_id>", methods=["GET", "POST"])
@plan_route(Permission.MANAGE_HOUSEHOLD)
def person_edit(access: PlanAccess, person_id: int) -> Response | str:
    person = queries.person_in_plan(access, person_id)
    if person is None:
        abort(404)
    form = PersonEditForm(obj=person if request.method == "GET" else None)
    locked = not access.may_change_facts
    if request.method == "GET" or locked:
        # Whoever may not change the facts sees them, and keeps them as they are; a first
        # date of birth they may still fill in.
        form.relation.data = person.relation.value
        form.parental_authority.data = person.parental_authority
        if person.date_of_birth is not None:
            form.date_of_birth.data = person.date_of_birth
    if form.validate_on_submit():
        with saving(form) as saved:
            services.update_person(
                access, current_user, person, _person_input(form), reason=form.reason.data or ""
            )
        if saved:
            flash(_l("The changes are saved."), "success")
            return redirect(url_for("plans.household", plan_id=access.plan.public_id), code=303)
    return render_template(
        "plans/person_edit.html", access=access, person=person, form=form, locked=locked
    )


@bp.post("/<plan_id>/close")
@plan_route(Permission.CLOSE_PLAN)
def close(access: PlanAccess) -> Response:
    if ConfirmForm().validate_on_submit():
        services.close_plan(access, current_user)
        flash(_l("The plan is closed. Everyone can still read it."), "success")
    return redirect(url_for("plans.overview", plan_id=access.plan.public_id), code=303)


@bp.post("/<plan_id>/reopen")
@plan_route(Permission.REOPEN_PLAN)
def reopen(access: PlanAccess) -> Response:
    if ConfirmForm().validate_on_submit():
        services.reopen_plan(access, current_user)
        flash(_l("The plan is open again."), "success")
    return redirect(url_for("plans.overview", plan_id=access.plan.public_id), code=303)


# --- participants ------------------------------------------------------------------------


def _invite_form(access: PlanAccess) -> InviteForm:
    form = InviteForm()
    form.role.choices = options(
        (r.value, PLAN_ROLE_LABELS[r]) for r in services.roles_inviter_may_give(access)
    )
    form.person.choices = options(
        [(None, _l("No")), *((p.id, p.name) for p in queries.persons(access) if p.user_id is None)]
    )
    return form


@bp.route("/<plan_id>/participants", methods=["GET", "POST"])
@plan_route(Permission.VIEW_PLAN, post=Permission.INVITE)
def participants(access: PlanAccess) -> Response | str:
    form = _invite_form(access)
    if form.validate_on_submit():
        person = queries.person_in_plan(access, form.person.data) if form.person.data else None
        with saving(form) as saved:
            invitation, token = services.invite(
                access,
                current_user,
                email=form.email.data or "",
                role=PlanRole(form.role.data),
                person=person,
                valid_days=current_app.config["INVITATION_DAYS"],
            )
        if saved:
            # The link in the mail works once the invitation is stored.
            db.after_commit(
                functools.partial(
                    send_invitation,
                    access.plan,
                    email=invitation.email,
                    role=invitation.role,
                    token=token,
                    expires=invitation.expires_at,
                    inviter=current_user.name,
                )
            )
            flash(_l("The invitation is sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("plans.participants", plan_id=access.plan.public_id), code=303)
    hand_over = HandOverForm()
    everyone = queries.participants(access)
    hand_over.to.choices = options(
        (p.id, p.user.name)
        for p in everyone
        if p.role != PlanRole.NETWORK and not p.is_coordinator and not p.pending
    )
    return render_template(
        "plans/participants.html",
        access=access,
        participants=everyone,
        invitations=queries.open_invitations(access)
        if can(current_user, Permission.INVITE, access)
        else [],
        form=form,
        hand_over=hand_over,
    )


@bp.post("/<plan_id>/participants/<int:participation_id>/remove")
@plan_route(Permission.REMOVE_PARTICIPANT)
def participant_remove(access: PlanAccess, participation_id: int) -> Response:
    participation = queries.participation_in_plan(access, participation_id)
    if participation is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        with saving() as saved:
            services.remove_participant(access, current_user, participation)
        if saved:
            flash(
                _l("%(name)s no longer takes part in the plan.", name=participation.user.name),
                "success",
            )
    return redirect(url_for("plans.participants", plan_id=access.plan.public_id), code=303)


@bp.post("/<plan_id>/invitations/<int:invitation_id>/revoke")
@plan_route(Permission.INVITE)
def invitation_revoke(access: PlanAccess, invitation_id: int) -> Response:
    invitation = queries.invitation_in_plan(access, invitation_id)
    if invitation is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.revoke_invitation(access, current_user, invitation)
        flash(_l("The invitation is withdrawn."), "success")
    return redirect(url_for("plans.participants", plan_id=access.plan.public_id), code=303)


@bp.post("/<plan_id>/coordinator")
@plan_route(Permission.HAND_OVER)
def coordinator_set(access: PlanAccess) -> Response:
    form = HandOverForm()
    form.to.choices = options((p.id, p.id) for p in queries.participants(access))
    if form.validate_on_submit():
        to = queries.participation_in_plan(access, form.to.data)
        if to is None:
            abort(404)
        with saving() as saved:
            services.hand_over_coordination(access, current_user, to)
        if saved:
            flash(_l("%(name)s now coordinates the plan.", name=to.user.name), "success")
    return redirect(url_for("plans.participants", plan_id=access.plan.public_id), code=303)


@bp.post("/<plan_id>/consent/parents")
@plan_route(Permission.GIVE_CONSENT)
def consent_parents(access: PlanAccess) -> Response:
    form = ConsentForm()
    if form.validate_on_submit():
        with saving() as saved:
            services.set_parents_consent(access, current_user, allowed=bool(form.allowed.data))
        if saved:
            flash(_l("Your choice is saved."), "success")
    return redirect(url_for("plans.household", plan_id=access.plan.public_id), code=303)


@bp.post("/<plan_id>/consent/network/<int:person_id>")
@plan_route(Permission.GIVE_NETWORK_CONSENT)
def consent_network(access: PlanAccess, person_id: int) -> Response:
    person = queries.person_in_plan(access, person_id)
    if person is None:
        abort(404)
    form = ConsentForm()
    if form.validate_on_submit():
        with saving() as saved:
            services.set_network_consent(
                access, current_user, person, allowed=bool(form.allowed.data)
            )
        if saved:
            flash(_l("Your choice is saved."), "success")
    return redirect(url_for("plans.household", plan_id=access.plan.public_id), code=303)


# --- goals, actions, progress ------------------------------------------------------------


def _goal_form(access: PlanAccess, form: GoalForm) -> GoalForm:
    locale = current_locale()
    form.domain.choices = options((d.id, d.label(locale)) for d in life_domains().values())
    form.person_id.choices = options(
        [(None, _l("The whole household")), *((p.id, p.name) for p in queries.persons(access))]
    )
    return form


def _action_input(form: ActionForm) -> services.ActionInput:
    return services.ActionInput(
        description=form.description.data or "",
        assignee_id=form.assignee.data,
        due_date=form.due_date.data,
    )


def _goal_input(form: GoalForm) -> services.GoalInput:
    return services.GoalInput(
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
            goal = services.create_goal(access, current_user, _goal_input(form))
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
    page = queries.goal_page(access, found)
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
            services.update_goal(
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
    if not isinstance(saved.error, services.EditConflict):
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
            services.create_action(access, current_user, found, _action_input(form))
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
            services.update_action(
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
            services.set_action_status(access, current_user, action, ActionStatus(form.status.data))
        except services.EditConflict:
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
        services.add_progress(
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
    plans = queries.my_plans(current_user, today=today, now=utcnow())
    audit_listed(p.access.plan.id for p in plans if p.open_actions)
    return render_template(
        "plans/my_actions.html",
        plans=plans,
        today=today,
        status_form=ActionStatusForm(formdata=None),
    )


# --- logbook and audit -------------------------------------------------------------------


@bp.route("/<plan_id>/logbook", methods=["GET", "POST"])
@plan_route(Permission.VIEW_PLAN, post=Permission.ADD_LOG)
def logbook(access: PlanAccess) -> Response | str:
    form = LogForm()
    if form.validate_on_submit():
        services.add_log_entry(
            access,
            current_user,
            text=form.text.data or "",
            shared_with_network=bool(form.shared_with_network.data),
        )
        flash(_l("Your message is in the logbook."), "success")
        return redirect(url_for("plans.logbook", plan_id=access.plan.public_id), code=303)
    page = inputs.page_arg()
    entries, total = queries.logbook(access, page=page)
    return render_template(
        "plans/logbook.html",
        access=access,
        entries=entries,
        total=total,
        page=page,
        per_page=30,
        form=form,
    )


@bp.get("/<plan_id>/audit")
@plan_route(Permission.VIEW_AUDIT)
def audit(access: PlanAccess) -> str:
    before = inputs.int_arg("before")
    rows, older = queries.audit_trail(access, before=before)
    return render_template(
        "plans/audit.html", access=access, rows=rows, older=older, newest=before is None
    )
