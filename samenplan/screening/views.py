"""Screening pages: the timeline, filling in, the bars with shifts and signals, comparisons."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.clock import local_today
from samenplan.core import inputs, once
from samenplan.core.i18n import current_locale
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.web import found, saving
from samenplan.errors import DomainError, ValidationFailed
from samenplan.plans import queries as plan_queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.guard import plan_route
from samenplan.policy import Permission, can
from samenplan.screening import pages, queries, services
from samenplan.screening.bars import legend
from samenplan.screening.forms import (
    CorrectionForm,
    DomainForm,
    ScreeningForm,
    apply_preset,
    domain_forms,
    domain_inputs,
    start_form,
)
from samenplan.screening.instruments import Domain, registry
from samenplan.screening.models import DomainScore, Perspective, Screening
from samenplan.screening.rules import PRESETS

bp = Blueprint("screening", __name__, url_prefix="/plans")

#: what a correction says when it opens: a new version, or the one already in progress
CORRECTION_OPENED = {
    True: (_l("A new version is ready. Change what needs changing and complete it."), "success"),
    False: (
        _l("There is already a correction of this check in progress. You go on with it here."),
        "info",
    ),
}


def _load(access: PlanAccess, screening_id: int) -> Screening:
    return found(queries.screening_in_plan(access, screening_id))


def _to(endpoint: str, access: PlanAccess, **values: Any) -> Response:
    return redirect(url_for(endpoint, plan_id=access.plan.public_id, **values), code=303)


@bp.get("/<plan_id>/screenings")
@plan_route(Permission.VIEW_PLAN)
def index(access: PlanAccess) -> str:
    may_start = can(current_user, Permission.RUN_SCREENING, access)
    return render_template(
        "screening/index.html",
        access=access,
        subjects=pages.timeline(access, local_today(), may_start=may_start),
        instruments=registry(),
        locale=current_locale(),
    )


@bp.post("/<plan_id>/screenings/new")
@plan_route(Permission.RUN_SCREENING)
def start(access: PlanAccess) -> Response | str:
    persons = {p.id: p for p in plan_queries.persons(access)}
    subject = request.form.get("start-subject", "")
    person = persons.get(inputs.parse_int(subject) or 0)
    if subject != pages.HOUSEHOLD and person is None:
        flash(_l("Choose who this is about."), "error")
        return _to("screening.index", access)
    form = start_form(person, local_today(), formdata=request.form)
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0], "error")
        return _to("screening.index", access)
    if (earlier := once.claim(form)) is not None:
        return earlier  # sent twice: one check
    instrument = registry().get(form.instrument.data or "")
    with saving() as saved:
        if instrument is None:
            raise ValidationFailed(str(_l("Choose an instrument.")), field="instrument")
        screening = services.start_screening(
            access, current_user, instrument=instrument, person=person, moment=form.moment.data
        )
    if saved:
        shown = _to("screening.edit", access, screening_id=screening.id)
        once.made(form, shown.location)
        return shown
    return _to("screening.index", access)


@bp.get("/<plan_id>/screenings/<int:screening_id>")
@plan_route(Permission.VIEW_PLAN)
def show(access: PlanAccess, screening_id: int) -> str:
    points = int(current_app.config["VIEW_DIFFERENCE"])
    page = found(
        pages.screening_page(
            access,
            current_user,
            _load(access, screening_id),
            points=points,
            locale=current_locale(),
        )
    )
    return render_template(
        "screening/show.html",
        access=access,
        **vars(page),
        legend=legend(),
        locale=current_locale(),
        points=points,
        button_form=ScreeningForm(formdata=None),
    )


@bp.route("/<plan_id>/screenings/<int:screening_id>/edit", methods=["GET", "POST"])
@plan_route(Permission.FILL_IN_SCREENING)
def edit(access: PlanAccess, screening_id: int) -> Response | str:
    screening = _load(access, screening_id)
    if not pages.may_edit(access, current_user, screening):
        abort(403)
    if screening.perspective == Perspective.CLIENT and request.method == "GET":
        # the family's own view goes one life area at a time
        return _to("screening_steps.resume", access, screening_id=screening.id)
    instrument = found(registry().get(screening.instrument_id))
    scores = queries.scores_of([screening.id])[screening.id]
    posted = request.method == "POST"
    meta = ScreeningForm() if posted else ScreeningForm(obj=screening)
    pairs = domain_forms(instrument, scores, request.form if posted else None)
    if posted and meta.validate_on_submit():
        shapes_ok = all([form.validate() for _domain, form in pairs])  # every message at once
        if preset := request.form.get("preset", ""):
            apply_preset(pairs, preset)
        elif shapes_ok and (saved := _save(access, screening, scores, meta, pairs)):
            return saved
    return render_template(
        "screening/edit.html",
        access=access,
        screening=screening,
        instrument=instrument,
        pairs=pairs,
        form=meta,
        locale=current_locale(),
        problems=sum(1 for _d, f in pairs if f.errors),
        subject=pages.subject_name(
            {p.id: p for p in plan_queries.persons(access)}, screening.person_id
        ),
        presets=PRESETS,
    )


def _save(
    access: PlanAccess,
    screening: Screening,
    scores: list[DomainScore],
    meta: ScreeningForm,
    pairs: list[tuple[Domain, DomainForm]],
) -> Response | None:
    """Store the posted check; the redirect when it went through, else the errors on the
    forms."""
    complete = request.form.get("finish") == "complete"
    with saving(meta) as saved:
        services.save_screening(
            access,
            current_user,
            screening,
            scores,
            inputs=domain_inputs(pairs),
            general_picture=meta.general_picture.data or "",
            shared_with_network=bool(meta.shared_with_network.data),
            complete=complete,
        )
    if isinstance(saved.error, services.ScreeningInvalid):
        forms = {d.id: f for d, f in pairs}
        for (domain_id, field), message in saved.error.errors.items():
            target = getattr(forms[domain_id], field)
            target.errors = [*target.errors, message]
    if not saved:
        return None
    if complete:
        flash(_l("The strengths check is completed."), "success")
        return _to("screening.show", access, screening_id=screening.id)
    flash(_l("Saved as draft. You can go on later."), "success")
    return _to("screening.edit", access, screening_id=screening.id)


@bp.post("/<plan_id>/screenings/<int:screening_id>/own-view")
@plan_route(Permission.OWN_VIEW)
def own_view(access: PlanAccess, screening_id: int) -> Response:
    reference = _load(access, screening_id)
    if not ScreeningForm().validate_on_submit():
        return _to("screening.show", access, screening_id=reference.id)
    domains = [s.domain_id for s in queries.scores_of([reference.id])[reference.id]]
    try:
        # returns this person's existing view (its newest version) if there is one
        view = services.start_own_view(access, current_user, reference, domains)
    except DomainError:
        abort(403)
    # a completed view is read-only: show it (a correction starts from there)
    return _to(
        "screening.show" if view.completed else "screening_steps.resume",
        access,
        screening_id=view.id,
    )


@bp.route("/<plan_id>/screenings/<int:screening_id>/correct", methods=["GET", "POST"])
@plan_route(Permission.FILL_IN_SCREENING)
def correct(access: PlanAccess, screening_id: int) -> Response | str:
    original = _load(access, screening_id)
    if not original.completed or not pages.may_edit(
        access, current_user, original, allow_completed=True
    ):
        abort(403)
    form = CorrectionForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            copy, started = services.start_correction(
                access,
                current_user,
                original,
                reason=form.reason.data or "",
                scores=queries.scores_of([original.id])[original.id],
            )
        if saved:
            flash(*CORRECTION_OPENED[started])
            return _to("screening.edit", access, screening_id=copy.id)
    return render_template("screening/correct.html", access=access, screening=original, form=form)


@bp.get("/<plan_id>/screenings/timeline/<subject>")
@plan_route(Permission.VIEW_PLAN)
def timeline(access: PlanAccess, subject: str) -> str:
    """One person's (or the household's) life areas across all their checks."""
    locale = current_locale()
    page = found(pages.area_timeline(access, subject, locale=locale))
    return render_template(
        "screening/timeline.html", access=access, **vars(page), legend=legend(), locale=locale
    )


@bp.get("/<plan_id>/screenings/compare")
@plan_route(Permission.VIEW_PLAN)
def compare_two(access: PlanAccess) -> str:
    locale = current_locale()
    page = found(
        pages.compare_page(access, inputs.int_arg("a"), inputs.int_arg("b"), locale=locale)
    )
    return render_template(
        "screening/compare.html", access=access, **vars(page), legend=legend(), locale=locale
    )
