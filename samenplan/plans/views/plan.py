"""Across plans (My plans, the team, a new plan) and one plan: its overview, household,
consent choices, closing and reopening."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.clock import local_today, utcnow
from samenplan.core import once
from samenplan.core.forms import ConfirmForm
from samenplan.core.i18n import current_locale
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.web import done, found, saving
from samenplan.guard import require
from samenplan.plans import household as household_service
from samenplan.plans import pages, queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.form_builders import person_edit_form
from samenplan.plans.forms import (
    CloseForm,
    ConsentForm,
    MunicipalityForm,
    PersonForm,
    PlanCreateForm,
)
from samenplan.plans.guard import audit_listed, plan_route
from samenplan.plans.models import PlanClosure, Relation
from samenplan.plans.panels import render_overview_panels
from samenplan.plans.views import bp
from samenplan.policy import Permission

# --- across plans ------------------------------------------------------------------------


@bp.get("/")
@require(Permission.LIST_PLANS)
def index() -> str:
    today = local_today()
    plans = pages.my_plans(current_user, today=today, now=utcnow())
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
        if (earlier := once.claim(form)) is not None:
            return earlier
        with saving(form) as saved:
            plan = household_service.create_plan(
                current_user,
                title=form.title.data or "",
                persons=[form.to_input()],
                coordinate=bool(form.coordinate.data),
                municipality=form.municipality.data,
            )
        if saved:
            message = _l("The plan is made. Add the other household members and invite the family.")
            return once.done(form, message, "plans.household", plan_id=plan.public_id)
    return render_template("plans/new.html", form=form)


# --- one plan ----------------------------------------------------------------------------


@bp.get("/<plan_id>/")
@plan_route(Permission.VIEW_PLAN)
def overview(access: PlanAccess) -> str:
    data = pages.overview(access, now=utcnow())
    return render_template(
        "plans/overview.html",
        access=access,
        data=data,
        today=local_today(),
        panels=render_overview_panels(access, current_locale()),
        close_form=CloseForm(formdata=None),
    )


@bp.route("/<plan_id>/household", methods=["GET", "POST"])
@plan_route(Permission.VIEW_PLAN, post=Permission.MANAGE_HOUSEHOLD)
def household(access: PlanAccess) -> Response | str:
    form = PersonForm()
    if form.validate_on_submit():
        if (earlier := once.claim(form)) is not None:
            return earlier
        with saving(form) as saved:
            household_service.add_person(access, current_user, form.to_input())
        if saved:
            message = _l("The household member is added.")
            return once.done(form, message, "plans.household", plan_id=access.plan.public_id)
    today = local_today()
    page = pages.household_page(access, today)
    where = MunicipalityForm(formdata=None, municipality=access.plan.municipality_code or "")
    return render_template(
        "plans/household.html",
        access=access,
        page=page,
        form=form,
        today=today,
        municipality_form=where,
    )


@bp.post("/<plan_id>/household/municipality")
@plan_route(Permission.MANAGE_HOUSEHOLD)
def municipality(access: PlanAccess) -> Response:
    form = MunicipalityForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            household_service.set_municipality(access, current_user, form.municipality.data)
        if saved:
            flash(_l("The municipality is saved."), "success")
    else:
        flash(_l("Choose a municipality from the list."), "error")
    return redirect(url_for("plans.household", plan_id=access.plan.public_id), code=303)


@bp.route("/<plan_id>/household/<int:person_id>", methods=["GET", "POST"])
@plan_route(Permission.MANAGE_HOUSEHOLD)
def person_edit(access: PlanAccess, person_id: int) -> Response | str:
    person = found(queries.person_in_plan(access, person_id))
    form = person_edit_form(access, person)
    if form.validate_on_submit():
        with saving(form) as saved:
            household_service.update_person(
                access, current_user, person, form.to_input(), reason=form.reason.data or ""
            )
        if saved:
            return done(
                _l("The changes are saved."), "plans.household", plan_id=access.plan.public_id
            )
    locked = not access.may_change_facts
    return render_template(
        "plans/person_edit.html", access=access, person=person, form=form, locked=locked
    )


@bp.route("/<plan_id>/close", methods=["GET", "POST"])
@plan_route(Permission.CLOSE_PLAN)
def close(access: PlanAccess) -> Response | str:
    """Closing asks why (the monitor counts drop-outs); the overview's form posts here, and a
    refused post shows this page with the message."""
    form = CloseForm()
    if form.validate_on_submit():
        household_service.close_plan(access, current_user, PlanClosure(form.reason.data))
        flash(_l("The plan is closed. Everyone can still read it."), "success")
        return redirect(url_for("plans.overview", plan_id=access.plan.public_id), code=303)
    return render_template("plans/close.html", access=access, form=form)


@bp.post("/<plan_id>/reopen")
@plan_route(Permission.REOPEN_PLAN)
def reopen(access: PlanAccess) -> Response:
    if ConfirmForm().validate_on_submit():
        household_service.reopen_plan(access, current_user)
        flash(_l("The plan is open again."), "success")
    return redirect(url_for("plans.overview", plan_id=access.plan.public_id), code=303)


@bp.post("/<plan_id>/consent/parents")
@plan_route(Permission.GIVE_CONSENT)
def consent_parents(access: PlanAccess) -> Response:
    form = ConsentForm()
    if form.validate_on_submit():
        with saving() as saved:
            household_service.set_parents_consent(
                access, current_user, allowed=bool(form.allowed.data)
            )
        if saved:
            flash(_l("Your choice is saved."), "success")
    return redirect(url_for("plans.household", plan_id=access.plan.public_id), code=303)


@bp.post("/<plan_id>/consent/network/<int:person_id>")
@plan_route(Permission.GIVE_NETWORK_CONSENT)
def consent_network(access: PlanAccess, person_id: int) -> Response:
    person = found(queries.person_in_plan(access, person_id))
    form = ConsentForm()
    if form.validate_on_submit():
        with saving() as saved:
            household_service.set_network_consent(
                access, current_user, person, allowed=bool(form.allowed.data)
            )
        if saved:
            flash(_l("Your choice is saved."), "success")
    return redirect(url_for("plans.household", plan_id=access.plan.public_id), code=303)
