"""The plan's versions: asking for agreement, answering, and seeing what changed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from samenplan.agreements import services
from samenplan.agreements.forms import AnswerForm
from samenplan.agreements.models import Answer, PlanVersion
from samenplan.clock import local_today
from samenplan.core import once
from samenplan.core.forms import CreateButtonForm
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.web import saving
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess
from samenplan.plans.guard import plan_route
from samenplan.policy import Permission

bp = Blueprint("agreements", __name__, url_prefix="/plans")


def _version(access: PlanAccess, number: int) -> PlanVersion:
    found = db.session.scalar(
        select(PlanVersion).where(
            PlanVersion.plan_id == access.plan.id, PlanVersion.number == number
        )
    )
    if found is None:
        abort(404)
    return found


@bp.get("/<plan_id>/versions")
@plan_route(Permission.VIEW_PLAN)
def index(access: PlanAccess) -> str:
    return render_template(
        "agreements/index.html",
        access=access,
        versions=services.history(access.plan.id),
        form=CreateButtonForm(),
    )


@bp.post("/<plan_id>/versions/new")
@plan_route(Permission.ASK_AGREEMENT)
def create(access: PlanAccess) -> Response:
    form = CreateButtonForm()
    if form.validate_on_submit():
        if (earlier := once.claim(form)) is not None:
            return earlier  # pressed twice: one version
        with saving() as saved:
            version = services.create_version(access, current_user, local_today())
        if saved:
            message = _l(
                "The plan is fixed as version %(n)d. Everyone asked can now answer.",
                n=version.number,
            )
            return once.done(
                form,
                message,
                "agreements.show",
                plan_id=access.plan.public_id,
                number=version.number,
            )
    return redirect(url_for("agreements.index", plan_id=access.plan.public_id), code=303)


def _page(access: PlanAccess, version: PlanVersion, form: AnswerForm) -> str:
    content = services.visible(access, services.content_of(version))
    previous = db.session.scalar(
        select(PlanVersion)
        .where(PlanVersion.plan_id == access.plan.id, PlanVersion.number < version.number)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )
    before = services.visible(access, services.content_of(previous)) if previous else None
    asked = services.asked_of(version)
    newest = services.latest(access.plan.id)
    return render_template(
        "agreements/show.html",
        access=access,
        version=version,
        content=content,
        previous=previous,
        changes=services.changes(before, content) if before is not None else None,
        asked=asked,
        names=services.names(asked),
        answers=services.answers(version),
        newest=newest,
        may_answer=current_user.id in asked
        and newest is not None
        and newest.id == version.id
        and access.open,
        form=form,
    )


@bp.route("/<plan_id>/versions/<int:number>", methods=["GET", "POST"])
@plan_route(Permission.VIEW_PLAN, post=Permission.ANSWER_AGREEMENT)
def show(access: PlanAccess, number: int) -> Response | str:
    version = _version(access, number)
    form = AnswerForm()
    mine = services.answers(version).get(current_user.id)
    if form.is_submitted() is False and mine is not None:
        form.answer.data, form.remark.data = mine.answer.value, mine.remark
    if form.is_submitted() and current_user.id not in services.asked_of(version):
        abort(403)  # only those asked answer a version
    if form.validate_on_submit():
        with saving(form) as saved:
            services.give_answer(
                access, current_user, version, Answer(form.answer.data), form.remark.data or ""
            )
        if saved:
            flash(_l("Your answer is saved."), "success")
            return redirect(
                url_for("agreements.show", plan_id=access.plan.public_id, number=number),
                code=303,
            )
    return _page(access, version, form)
