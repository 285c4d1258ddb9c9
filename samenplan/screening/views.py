"""Screening pages: the timeline, filling in, the bars with shifts and signals, comparisons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from samenplan.clock import local_today
from samenplan.core import inputs
from samenplan.core.forms import options
from samenplan.core.i18n import current_locale
from samenplan.core.web import saving
from samenplan.errors import DomainError, NotAllowed, ValidationFailed
from samenplan.plans import queries as plan_queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.guard import plan_route
from samenplan.plans.models import Person
from samenplan.policy import Permission, can
from samenplan.screening import queries, services
from samenplan.screening.bars import bar, legend, sentence
from samenplan.screening.forms import CorrectionForm, DomainForm, ScreeningForm, StartForm
from samenplan.screening.instruments import Domain, Instrument, registry, today_age
from samenplan.screening.models import DomainScore, Perspective, Screening
from samenplan.screening.rules import PRESETS, Change, Entry, Signal, compare, differs

bp = Blueprint("screening", __name__, url_prefix="/plans")

HOUSEHOLD = "household"


def _instrument(screening: Screening) -> Instrument:
    instrument = registry().get(screening.instrument_id)
    if instrument is None:  # a custom instrument file was removed after use
        abort(404)
    return instrument


def _subject_name(persons: dict[int, Person], person_id: int | None) -> str:
    return persons[person_id].name if person_id in persons else str(_l("The whole household"))


# --- the timeline -----------------------------------------------------------------------------


@dataclass
class Subject:
    key: str
    name: str
    person: Person | None
    screenings: list[Screening]
    form: StartForm | None


@bp.get("/<plan_id>/screenings")
@plan_route(Permission.VIEW_PLAN)
def index(access: PlanAccess) -> str:
    persons = {p.id: p for p in plan_queries.persons(access)}
    screenings = queries.all_visible(access)
    today = local_today()
    subjects = []
    for key, person in [(HOUSEHOLD, None), *((str(p.id), p) for p in persons.values())]:
        person_id = person.id if person else None
        form = None
        if can(current_user, Permission.RUN_SCREENING, access):
            form = _start_form(person, today, formdata=None)
        subjects.append(
            Subject(
                key,
                _subject_name(persons, person_id),
                person,
                [s for s in screenings if s.person_id == person_id],
                form,
            )
        )
    return render_template(
        "screening/index.html",
        access=access,
        subjects=subjects,
        instruments=registry(),
        locale=current_locale(),
    )


def _start_form(
    person: Person | None, today: dt.date, formdata: MultiDict[str, str] | None = None
) -> StartForm:
    form = StartForm(formdata=formdata, prefix="start")
    age = today_age(person.date_of_birth, today) if person else None
    choices = (
        registry().for_household()
        if person is None
        else registry().for_person(age) or list(registry())
    )
    form.instrument.choices = options((i.id, i.name(current_locale())) for i in choices)
    default = registry().default(household=person is None, age=age)
    if formdata is None:
        form.instrument.data = default.id if default else None
        form.moment.data = today
    return form


@bp.post("/<plan_id>/screenings/new")
@plan_route(Permission.RUN_SCREENING)
def start(access: PlanAccess) -> Response | str:
    persons = {p.id: p for p in plan_queries.persons(access)}
    subject = request.form.get("start-subject", "")
    person = persons.get(inputs.parse_int(subject) or 0)
    if subject != HOUSEHOLD and person is None:
        flash(_l("Choose who this is about."), "error")
        return redirect(url_for("screening.index", plan_id=access.plan.public_id), code=303)
    form = _start_form(person, local_today(), formdata=request.form)
    if form.validate_on_submit():
        instrument = registry().get(form.instrument.data or "")
        with saving() as saved:
            if instrument is None:
                raise ValidationFailed(str(_l("Choose an instrument.")), field="instrument")
            screening = services.start_screening(
                access, current_user, instrument=instrument, person=person, moment=form.moment.data
            )
        if saved:
            return redirect(
                url_for("screening.edit", plan_id=access.plan.public_id, screening_id=screening.id),
                code=303,
            )
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(url_for("screening.index", plan_id=access.plan.public_id), code=303)


# --- one screening --------------------------------------------------------------------------


@dataclass
class Row:
    domain_id: str
    label: str
    description: str
    entry: Entry
    bar: object
    sentence: str
    signals: list[Signal]
    change: Change | None
    own_view: Entry | None
    own_view_bar: object
    differs: bool
    texts: DomainScore


def _load(access: PlanAccess, screening_id: int) -> Screening:
    screening = queries.screening_in_plan(access, screening_id)
    if screening is None:
        abort(404)
    return screening


@bp.get("/<plan_id>/screenings/<int:screening_id>")
@plan_route(Permission.VIEW_PLAN)
def show(access: PlanAccess, screening_id: int) -> str:
    screening = _load(access, screening_id)
    instrument = _instrument(screening)
    everything = queries.all_visible(access)
    reference = (
        screening
        if screening.perspective == Perspective.PROFESSIONAL
        else next((s for s in everything if s.id == screening.view_of_id), None)
    )
    previous = (
        queries.previous_reference(everything, screening)
        if screening.perspective == Perspective.PROFESSIONAL
        else None
    )
    own_view = (
        queries.own_view_of(access, screening)
        if screening.perspective == Perspective.PROFESSIONAL
        else None
    )
    other = (
        own_view if own_view is not None else (reference if reference is not screening else None)
    )
    scores = queries.scores_of([s.id for s in (screening, previous, other) if s is not None])
    now = queries.entries(scores[screening.id])
    before = queries.entries(scores[previous.id]) if previous else None
    beside = queries.entries(scores[other.id]) if other else None
    found = (
        queries.domain_signals(now, before)
        if screening.completed and screening.perspective == Perspective.PROFESSIONAL
        else {}
    )
    changes = {c.domain_id: c for c in compare(list(now), before, now)} if before else {}
    locale = current_locale()
    points = int(current_app.config["VIEW_DIFFERENCE"])
    texts = {s.domain_id: s for s in scores[screening.id]}
    rows = []
    for domain in instrument.domains:
        if domain.id not in now:
            continue
        label = domain.label(locale)
        entry = now[domain.id]
        other_entry = beside.get(domain.id) if beside else None
        rows.append(
            Row(
                domain.id,
                label,
                domain.description(locale),
                entry,
                bar(label, entry),
                sentence(label, entry),
                found.get(domain.id, []),
                changes.get(domain.id),
                other_entry,
                bar(label, other_entry) if beside is not None else None,
                differs(entry, other_entry, points=points),
                texts[domain.id],
            )
        )
    persons = {p.id: p for p in plan_queries.persons(access)}
    corrected_by = next((s for s in everything if s.corrects_id == screening.id), None)
    return render_template(
        "screening/show.html",
        access=access,
        screening=screening,
        instrument=instrument,
        rows=rows,
        previous=previous,
        other=other,
        legend=legend(),
        locale=locale,
        subject=_subject_name(persons, screening.person_id),
        corrected_by=corrected_by,
        corrects=next((s for s in everything if s.id == screening.corrects_id), None),
        may_edit=_may_edit(access, screening),
        may_correct=screening.completed
        and screening.superseded_at is None
        and _may_edit(access, screening, allow_completed=True),
        points=points,
        button_form=ScreeningForm(formdata=None),
    )


def _may_edit(access: PlanAccess, screening: Screening, *, allow_completed: bool = False) -> bool:
    try:
        services.check_may_edit(access, current_user, screening, allow_completed=allow_completed)
    except NotAllowed:
        return False
    return True


# --- filling in -----------------------------------------------------------------------------


def _domain_forms(
    instrument: Instrument, scores: list[DomainScore], formdata: MultiDict[str, str] | None
) -> list[tuple[Domain, DomainForm]]:
    locale = current_locale()
    scale = [("", str(_l("Choose…")))] + [
        (str(v), f"{v} – {t(locale)}") for v, t in sorted(instrument.scale.items())
    ]
    pairs = []
    for score in scores:
        domain = instrument.domain(score.domain_id)
        if domain is None:
            continue
        prefix = f"d-{score.domain_id}"
        if formdata is not None:
            form = DomainForm(formdata=formdata, prefix=prefix)
        else:
            form = DomainForm(
                formdata=None,
                prefix=prefix,
                data={
                    "score": str(score.score) if score.score else "",
                    "not_applicable": score.not_applicable,
                    "own": score.own_share,
                    "network": score.network_share,
                    "professional": score.professional_share,
                    "situation": score.situation,
                    "own_text": score.own_text,
                    "network_text": score.network_text,
                    "professional_text": score.professional_text,
                },
            )
        form.score.choices = options(scale)
        pairs.append((domain, form))
    return pairs


def _inputs(pairs: list[tuple[Domain, DomainForm]]) -> dict[str, services.DomainInput]:
    result = {}
    for domain, form in pairs:
        score = form.score.data
        result[domain.id] = services.DomainInput(
            entry=Entry(
                score=int(score) if score and str(score).isdigit() else None,
                not_applicable=bool(form.not_applicable.data),
                own=form.own.data,
                network=form.network.data,
                professional=form.professional.data,
            ),
            situation=form.situation.data or "",
            own_text=form.own_text.data or "",
            network_text=form.network_text.data or "",
            professional_text=form.professional_text.data or "",
        )
    return result


@bp.route("/<plan_id>/screenings/<int:screening_id>/edit", methods=["GET", "POST"])
@plan_route(Permission.FILL_IN_SCREENING)
def edit(access: PlanAccess, screening_id: int) -> Response | str:
    screening = _load(access, screening_id)
    if not _may_edit(access, screening):
        abort(403)
    instrument = _instrument(screening)
    scores = queries.scores_of([screening.id])[screening.id]
    posted = request.method == "POST"
    meta = ScreeningForm() if posted else ScreeningForm(obj=screening)
    pairs = _domain_forms(instrument, scores, request.form if posted else None)
    problems = 0
    if posted and meta.validate_on_submit():
        preset = request.form.get("preset", "")
        shapes_ok = all([form.validate() for _domain, form in pairs])  # every message at once
        if preset:
            _apply_preset(pairs, preset)
        elif shapes_ok:
            complete = request.form.get("finish") == "complete"
            with saving(meta) as saved:
                services.save_screening(
                    access,
                    current_user,
                    screening,
                    scores,
                    inputs=_inputs(pairs),
                    general_picture=meta.general_picture.data or "",
                    shared_with_network=bool(meta.shared_with_network.data),
                    complete=complete,
                )
            if isinstance(saved.error, services.ScreeningInvalid):
                forms = {d.id: f for d, f in pairs}
                for (domain_id, field), message in saved.error.errors.items():
                    target = getattr(forms[domain_id], field)
                    target.errors = [*target.errors, message]
            if saved:
                flash(
                    _l("The strengths check is completed.")
                    if complete
                    else _l("Saved as draft. You can go on later."),
                    "success",
                )
                target = "screening.show" if complete else "screening.edit"
                return redirect(
                    url_for(target, plan_id=access.plan.public_id, screening_id=screening.id),
                    code=303,
                )
    problems = sum(1 for _d, f in pairs if f.errors)
    persons = {p.id: p for p in plan_queries.persons(access)}
    return render_template(
        "screening/edit.html",
        access=access,
        screening=screening,
        instrument=instrument,
        pairs=pairs,
        form=meta,
        locale=current_locale(),
        problems=problems,
        subject=_subject_name(persons, screening.person_id),
        presets=PRESETS,
    )


def _apply_preset(pairs: list[tuple[Domain, DomainForm]], preset: str) -> None:
    domain_id, _sep, name = preset.partition(":")
    shares = PRESETS.get(name)
    for domain, form in pairs:
        if domain.id == domain_id and shares is not None:
            form.own.data, form.network.data, form.professional.data = shares
            form.own.raw_data = form.network.raw_data = form.professional.raw_data = None


@bp.post("/<plan_id>/screenings/<int:screening_id>/own-view")
@plan_route(Permission.OWN_VIEW)
def own_view(access: PlanAccess, screening_id: int) -> Response:
    reference = _load(access, screening_id)
    if ScreeningForm().validate_on_submit():
        domains = [s.domain_id for s in queries.scores_of([reference.id])[reference.id]]
        try:
            # returns this person's existing view (its newest version) if there is one
            view = services.start_own_view(access, current_user, reference, domains)
        except DomainError:
            abort(403)
        # a completed view is read-only: show it (a correction starts from there)
        target = "screening.show" if view.completed else "screening.edit"
        return redirect(
            url_for(target, plan_id=access.plan.public_id, screening_id=view.id), code=303
        )
    return redirect(
        url_for("screening.show", plan_id=access.plan.public_id, screening_id=reference.id),
        code=303,
    )


@bp.route("/<plan_id>/screenings/<int:screening_id>/correct", methods=["GET", "POST"])
@plan_route(Permission.FILL_IN_SCREENING)
def correct(access: PlanAccess, screening_id: int) -> Response | str:
    original = _load(access, screening_id)
    if not _may_edit(access, original, allow_completed=True) or not original.completed:
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
            flash(
                _l("A new version is ready. Change what needs changing and complete it.")
                if started
                else _l(
                    "There is already a correction of this check in progress. You go on with "
                    "it here."
                ),
                "success" if started else "info",
            )
            return redirect(
                url_for("screening.edit", plan_id=access.plan.public_id, screening_id=copy.id),
                code=303,
            )
    return render_template("screening/correct.html", access=access, screening=original, form=form)


@bp.get("/<plan_id>/screenings/compare")
@plan_route(Permission.VIEW_PLAN)
def compare_two(access: PlanAccess) -> str:
    everything = queries.all_visible(access)
    by_id = {s.id: s for s in everything}
    first = by_id.get(inputs.int_arg("a") or -1)
    second = by_id.get(inputs.int_arg("b") or -1)
    if first is None or second is None:
        abort(404)
    if (first.moment, first.id) > (second.moment, second.id):
        first, second = second, first
    instrument = _instrument(second)
    scores = queries.scores_of([first.id, second.id])
    before, after = queries.entries(scores[first.id]), queries.entries(scores[second.id])
    locale = current_locale()
    rows = [
        (
            d.label(locale),
            change,
            bar(d.label(locale), change.before),
            bar(d.label(locale), change.after),
        )
        for d in instrument.domains
        for change in compare([d.id], before, after)
        if d.id in before or d.id in after
    ]
    return render_template(
        "screening/compare.html",
        access=access,
        first=first,
        second=second,
        rows=rows,
        legend=legend(),
        instrument=instrument,
        locale=locale,
    )
