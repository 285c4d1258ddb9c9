"""What the screening pages show, built outside the views: the timeline per person, one
check with its bars, shifts, signals and the other view beside it, and two checks compared."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from samenplan.accounts.models import User
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.errors import NotAllowed
from samenplan.plans import queries as plan_queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import Person
from samenplan.screening import queries, services
from samenplan.screening.bars import bar, sentence
from samenplan.screening.forms import StartForm, start_form
from samenplan.screening.instruments import Instrument, registry
from samenplan.screening.models import DomainScore, Perspective, Screening
from samenplan.screening.rules import Change, Entry, Signal, compare, differs

#: the subject key of a check about the whole household (a person's key is their id)
HOUSEHOLD = "household"


def subject_name(persons: dict[int, Person], person_id: int | None) -> str:
    return persons[person_id].name if person_id in persons else str(_l("The whole household"))


def may_edit(
    access: PlanAccess, actor: User, screening: Screening, *, allow_completed: bool = False
) -> bool:
    try:
        services.check_may_edit(access, actor, screening, allow_completed=allow_completed)
    except NotAllowed:
        return False
    return True


# --- the timeline -----------------------------------------------------------------------------


@dataclass
class Subject:
    key: str
    name: str
    person: Person | None
    screenings: list[Screening]
    form: StartForm | None
    #: completed checks this viewer may not see
    hidden: int = 0


def timeline(access: PlanAccess, today: dt.date, *, may_start: bool) -> list[Subject]:
    """The household first, then each person: their checks, and a start form for who may."""
    persons = {p.id: p for p in plan_queries.persons(access)}
    screenings = queries.all_visible(access)
    hidden = queries.hidden_counts(access)
    return [
        Subject(
            key=key,
            name=subject_name(persons, person.id if person else None),
            person=person,
            screenings=[s for s in screenings if s.person_id == (person.id if person else None)],
            form=start_form(person, today) if may_start else None,
            hidden=hidden.get(person.id if person else None, 0),
        )
        for key, person in [(HOUSEHOLD, None), *((str(p.id), p) for p in persons.values())]
    ]


# --- one check ---------------------------------------------------------------------------------


@dataclass
class Row:
    """One life area of a check: its bar and words, what changed, the other view beside it."""

    domain_id: str
    label: str
    description: str
    entry: Entry
    bar: Markup
    sentence: str
    signals: list[Signal]
    change: Change | None
    own_view: Entry | None
    own_view_bar: Markup | None
    differs: bool
    texts: DomainScore


@dataclass
class ScreeningPage:
    screening: Screening
    instrument: Instrument
    rows: list[Row]
    #: the professional check before this one (shifts are measured against it)
    previous: Screening | None
    #: the other view of the same moment: the client's own view, or the professional one
    other: Screening | None
    subject: str
    #: the person the check is about (None: the household)
    person: Person | None
    corrected_by: Screening | None
    corrects: Screening | None
    may_edit: bool
    may_correct: bool


def screening_page(
    access: PlanAccess, actor: User, screening: Screening, *, points: int, locale: str
) -> ScreeningPage | None:
    """None when the check's instrument file is no longer installed."""
    instrument = registry().get(screening.instrument_id)
    if instrument is None:
        return None
    everything = queries.all_visible(access)
    professional = screening.perspective == Perspective.PROFESSIONAL
    if professional:
        previous = queries.previous_reference(everything, screening)
        other = queries.own_view_of(access, screening)
    else:
        previous = None
        other = next((s for s in everything if s.id == screening.view_of_id), None)
    scores = queries.scores_of([s.id for s in (screening, previous, other) if s is not None])
    now = queries.entries(scores[screening.id])
    before = queries.entries(scores[previous.id]) if previous else None
    beside = queries.entries(scores[other.id]) if other else None
    signals = queries.domain_signals(now, before) if screening.completed and professional else {}
    changes = {c.domain_id: c for c in compare(list(now), before, now)} if before else {}
    texts = {s.domain_id: s for s in scores[screening.id]}
    rows = []
    for domain in instrument.domains:
        if domain.id not in now:
            continue
        label, entry = domain.label(locale), now[domain.id]
        other_entry = beside.get(domain.id) if beside else None
        rows.append(
            Row(
                domain_id=domain.id,
                label=label,
                description=domain.description(locale),
                entry=entry,
                bar=bar(label, entry),
                sentence=sentence(label, entry),
                signals=signals.get(domain.id, []),
                change=changes.get(domain.id),
                own_view=other_entry,
                own_view_bar=bar(label, other_entry) if beside is not None else None,
                differs=differs(entry, other_entry, points=points),
                texts=texts[domain.id],
            )
        )
    persons = {p.id: p for p in plan_queries.persons(access)}
    return ScreeningPage(
        screening=screening,
        instrument=instrument,
        rows=rows,
        previous=previous,
        other=other,
        subject=subject_name(persons, screening.person_id),
        person=persons.get(screening.person_id or -1),
        corrected_by=next((s for s in everything if s.corrects_id == screening.id), None),
        corrects=next((s for s in everything if s.id == screening.corrects_id), None),
        may_edit=may_edit(access, actor, screening),
        may_correct=screening.completed
        and screening.superseded_at is None
        and may_edit(access, actor, screening, allow_completed=True),
    )


# --- two checks compared ---------------------------------------------------------------------


@dataclass
class CompareRow:
    label: str
    change: Change
    before_bar: Markup
    after_bar: Markup


@dataclass
class ComparePage:
    first: Screening
    second: Screening
    instrument: Instrument
    rows: list[CompareRow]


def compare_page(
    access: PlanAccess, first_id: int | None, second_id: int | None, *, locale: str
) -> ComparePage | None:
    """Two visible checks, the older first; None when either is not there for this viewer."""
    by_id = {s.id: s for s in queries.all_visible(access)}
    first, second = by_id.get(first_id or -1), by_id.get(second_id or -1)
    if first is None or second is None:
        return None
    if (first.moment, first.id) > (second.moment, second.id):
        first, second = second, first
    instrument = registry().get(second.instrument_id)
    if instrument is None:
        return None
    scores = queries.scores_of([first.id, second.id])
    before, after = queries.entries(scores[first.id]), queries.entries(scores[second.id])
    rows = [
        CompareRow(
            label=d.label(locale),
            change=change,
            before_bar=bar(d.label(locale), change.before),
            after_bar=bar(d.label(locale), change.after),
        )
        for d in instrument.domains
        for change in compare([d.id], before, after)
        if d.id in before or d.id in after
    ]
    return ComparePage(first=first, second=second, instrument=instrument, rows=rows)


# --- one life area over time -----------------------------------------------------------------


@dataclass
class AreaPoint:
    screening: Screening
    entry: Entry
    bar: Markup


@dataclass
class AreaLine:
    label: str
    points: list[AreaPoint]


@dataclass
class TimelinePage:
    subject: str
    checks: list[Screening]
    areas: list[AreaLine]


def area_timeline(access: PlanAccess, subject: str, *, locale: str) -> TimelinePage | None:
    """Every completed check of one person (or the household), each life area as a line
    of bars from the first check to the newest; None when the subject is not there."""
    persons = {p.id: p for p in plan_queries.persons(access)}
    person_id = None if subject == HOUSEHOLD else (int(subject) if subject.isdigit() else -1)
    if person_id is not None and person_id not in persons:
        return None
    checks = [
        s
        for s in queries.all_visible(access)
        if queries.is_reference(s) and s.person_id == person_id
    ]
    scores = queries.scores_of([s.id for s in checks])
    areas: dict[str, AreaLine] = {}
    for check in checks:
        instrument = registry().get(check.instrument_id)
        entries = queries.entries(scores[check.id])
        for domain in instrument.domains if instrument else ():
            if domain.id not in entries:
                continue
            label = domain.label(locale)
            line = areas.setdefault(domain.id, AreaLine(label, []))
            entry = entries[domain.id]
            line.points.append(AreaPoint(check, entry, bar(label, entry)))
    return TimelinePage(subject_name(persons, person_id), checks, list(areas.values()))
