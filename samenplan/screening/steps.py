"""The family's own view, one life area per step (the "one thing per page" pattern).

Each step asks two plain questions: how it is going (five sentences from the instrument's
family words, "does not apply", "I don't know") and who helps (a handful of pictured
splits, no arithmetic). Every step is stored when it is sent, so a phone that locks loses
nothing; the own view opens where it was left. Works without JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import RadioField, TextAreaField
from wtforms.validators import Length, Optional

from samenplan.core.forms import Form, options
from samenplan.core.i18n import current_locale
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.web import found, saving
from samenplan.plans import queries as plan_queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.guard import plan_route
from samenplan.policy import Permission
from samenplan.screening import pages, queries, services
from samenplan.screening.bars import split_picture
from samenplan.screening.instruments import Domain, Instrument, Text, registry
from samenplan.screening.labels import SPLIT_LABELS
from samenplan.screening.models import DomainScore, Perspective, Screening
from samenplan.screening.rules import FAMILY_SPLITS, Entry, split_of

bp = Blueprint("screening_steps", __name__, url_prefix="/plans")

NOT_APPLICABLE, DONT_KNOW, KEPT = "na", "unknown", "kept"


class StepForm(Form):
    answer = RadioField(_l("How is it going now?"), validators=[Optional()])
    split = RadioField(_l("Who helps to make it work?"), validators=[Optional()])
    situation = TextAreaField(
        _l("Anything you want to say about it? (You may leave this empty.)"),
        validators=[Optional(), Length(max=2000)],
    )


class DoneForm(Form):
    general_picture = TextAreaField(
        _l("Anything else you want to tell? (You may leave this empty.)"),
        validators=[Optional(), Length(max=5000)],
    )


def _own_view(access: PlanAccess, screening_id: int) -> tuple[Screening, Instrument]:
    screening = found(queries.screening_in_plan(access, screening_id))
    if screening.perspective != Perspective.CLIENT:
        abort(404)
    if not pages.may_edit(access, current_user, screening):
        abort(403)
    return screening, found(registry().get(screening.instrument_id))


def _areas(instrument: Instrument, screening: Screening) -> list[tuple[Domain, DomainScore]]:
    scores = queries.scores_of([screening.id])[screening.id]
    return [(d, s) for s in scores if (d := instrument.domain(s.domain_id)) is not None]


def _to_step(access: PlanAccess, screening: Screening, number: int | None) -> Response:
    """To step ``number``, or (None) to the last page, where the answers are checked."""
    if number is None:
        target = url_for(
            "screening_steps.done", plan_id=access.plan.public_id, screening_id=screening.id
        )
    else:
        target = url_for(
            "screening_steps.step",
            plan_id=access.plan.public_id,
            screening_id=screening.id,
            number=number,
        )
    return redirect(target, code=303)


@bp.get("/<plan_id>/screenings/<int:screening_id>/steps")
@plan_route(Permission.FILL_IN_SCREENING)
def resume(access: PlanAccess, screening_id: int) -> Response:
    """Where the family left off: the first area not answered yet."""
    screening, instrument = _own_view(access, screening_id)
    areas = _areas(instrument, screening)
    waiting = next((n for n, (_d, s) in enumerate(areas, 1) if s.answered_at is None), None)
    return _to_step(access, screening, waiting)


def _form(instrument: Instrument, score: DomainScore, *, posted: bool, locale: str) -> StepForm:
    form = StepForm() if posted else StepForm(formdata=None)
    scale = instrument.family_scale or instrument.scale
    not_applicable = instrument.family_not_applicable or instrument.not_applicable
    form.answer.choices = options(
        [(str(v), text(locale)) for v, text in sorted(scale.items(), reverse=True)]
        + [(NOT_APPLICABLE, not_applicable(locale)), (DONT_KNOW, _l("I don't know"))]
    )
    stored = queries.entry_of(score).shares
    kept = stored is not None and split_of(stored) is None
    form.split.choices = options(
        [(key, SPLIT_LABELS[key]) for key in FAMILY_SPLITS]
        + ([(KEPT, _l("As you filled it in before"))] if kept else [])
    )
    if not posted:
        form.answer.data = (
            NOT_APPLICABLE
            if score.not_applicable
            else DONT_KNOW
            if score.dont_know
            else str(score.score)
            if score.score
            else None
        )
        form.split.data = KEPT if kept else split_of(stored)
        form.situation.data = score.situation
    return form


def _complete_enough(form: StepForm) -> bool:
    """Both questions answered (the second only with a score), else say which one is not."""
    answer = form.answer.data or ""
    if not answer:
        form.answer.errors = [str(_l("Choose how it is going, or skip this area."))]
    elif answer.isdigit() and not form.split.data:
        form.split.errors = [str(_l("Choose who helps."))]
    return not (form.answer.errors or form.split.errors)


def _entry(form: StepForm, score: DomainScore) -> Entry:
    answer, split = form.answer.data or "", form.split.data or ""
    if answer == NOT_APPLICABLE:
        return Entry(not_applicable=True)
    if answer == DONT_KNOW:
        return Entry(dont_know=True)
    shares = queries.entry_of(score).shares if split == KEPT else FAMILY_SPLITS.get(split)
    own, network, professional = shares or (None, None, None)
    return Entry(int(answer) if answer.isdigit() else None, False, own, network, professional)


@bp.route("/<plan_id>/screenings/<int:screening_id>/steps/<int:number>", methods=["GET", "POST"])
@plan_route(Permission.FILL_IN_SCREENING)
def step(access: PlanAccess, screening_id: int, number: int) -> Response | str:
    screening, instrument = _own_view(access, screening_id)
    areas = _areas(instrument, screening)
    if not 1 <= number <= len(areas):
        abort(404)
    domain, score = areas[number - 1]
    locale = current_locale()
    posted = request.method == "POST"
    form = _form(instrument, score, posted=posted, locale=locale)
    skip = request.form.get("go") == "skip"
    if posted and form.validate_on_submit() and (skip or _complete_enough(form)):
        with saving(form) as saved:
            services.answer_area(
                access,
                current_user,
                screening,
                score,
                entry=None if skip else _entry(form, score),
                situation=form.situation.data or "",
            )
        if isinstance(saved.error, services.ScreeningInvalid):
            for (_domain, field), message in saved.error.errors.items():
                target = form.split if field in ("own", "network", "professional") else form.answer
                target.errors = [*target.errors, message]
        if saved:
            return _to_step(access, screening, number + 1 if number < len(areas) else None)
    return render_template(
        "screening/step.html",
        access=access,
        screening=screening,
        domain=domain,
        number=number,
        total=len(areas),
        form=form,
        pictures={key: split_picture(shares) for key, shares in FAMILY_SPLITS.items()},
        subject=_subject(access, screening),
        locale=locale,
    )


def _subject(access: PlanAccess, screening: Screening) -> str:
    return pages.subject_name({p.id: p for p in plan_queries.persons(access)}, screening.person_id)


@bp.route("/<plan_id>/screenings/<int:screening_id>/steps/done", methods=["GET", "POST"])
@plan_route(Permission.FILL_IN_SCREENING)
def done(access: PlanAccess, screening_id: int) -> Response | str:
    """All answers on one page, each with a link to change it, and "ready"."""
    screening, instrument = _own_view(access, screening_id)
    areas = _areas(instrument, screening)
    form = DoneForm() if request.method == "POST" else DoneForm(obj=screening)
    if form.validate_on_submit():
        with saving(form) as saved:
            services.complete_own_view(
                access, current_user, screening, general_picture=form.general_picture.data or ""
            )
        if saved:
            flash(_l("Thank you. Your own view is saved."), "success")
            return redirect(
                url_for("screening.show", plan_id=access.plan.public_id, screening_id=screening.id),
                code=303,
            )
    locale = current_locale()
    scale = instrument.family_scale or instrument.scale
    return render_template(
        "screening/step_done.html",
        access=access,
        screening=screening,
        areas=[
            (n, domain, score, _answer_text(score, scale, instrument, locale))
            for n, (domain, score) in enumerate(areas, 1)
        ],
        form=form,
        subject=_subject(access, screening),
        locale=locale,
    )


def _answer_text(
    score: DomainScore, scale: dict[int, Text], instrument: Instrument, locale: str
) -> str:
    """What was answered, in the words it was chosen with."""
    if score.answered_at is None:
        return str(_l("Not answered yet"))
    if score.not_applicable:
        return (instrument.family_not_applicable or instrument.not_applicable)(locale)
    if score.dont_know:
        return str(_l("I don't know"))
    if score.score is None:
        return str(_l("Skipped"))
    shares = queries.entry_of(score).shares
    split = split_of(shares) if shares else None
    how = scale[score.score](locale)
    return f"{how} {SPLIT_LABELS[split]}." if split else how
