"""Writes to screenings. Completed screenings are read-only; corrections are new versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from samenplan.accounts.models import User
from samenplan.audit.services import AuditAction, record
from samenplan.clock import local_today, utcnow
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.errors import Conflict, NotAllowed, ValidationFailed
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import Person, PlanRole
from samenplan.screening import queries
from samenplan.screening.instruments import Instrument
from samenplan.screening.models import (
    DOMAIN_TEXTS,
    DomainScore,
    Perspective,
    Screening,
    ScreeningStatus,
)
from samenplan.screening.rules import Entry, EntryError, check_entry

MESSAGES = {
    "score_missing": _l("Choose a score for this life area, or leave the shares empty."),
    "domain_missing": _l("Choose a score or 'not applicable'."),
    "score_range": _l("Choose a score from 1 to 5."),
    "shares_missing": _l("Fill in the three shares."),
    "share_range": _l("Use a number from 0 to 100."),
    "shares_sum": _l("The three shares must add up to 100."),
}


@dataclass
class DomainInput:
    entry: Entry
    situation: str = ""
    own_text: str = ""
    network_text: str = ""
    professional_text: str = ""


@dataclass
class ScreeningInvalid(ValidationFailed):
    """Some domains break the rules; ``errors`` maps (domain id, field) to a message."""

    errors: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(str(_l("Some life areas need another look.")))


# --- starting ---------------------------------------------------------------------------------


def start_screening(
    access: PlanAccess,
    actor: User,
    *,
    instrument: Instrument,
    person: Person | None,
    moment: dt.date,
) -> Screening:
    """A professional opens a new screening (a draft) for a person or the household."""
    if access.role != PlanRole.PROFESSIONAL:
        raise NotAllowed(str(_l("Only professionals start a strengths check.")))
    if moment > local_today() + dt.timedelta(days=1):
        raise ValidationFailed(str(_l("The date cannot be in the future.")), field="moment")
    return _new(
        access,
        actor,
        instrument_id=instrument.id,
        version=instrument.version,
        domains=[d.id for d in instrument.domains],
        person_id=person.id if person else None,
        moment=moment,
        perspective=Perspective.PROFESSIONAL,
    )


def _new(
    access: PlanAccess,
    actor: User,
    *,
    instrument_id: str,
    version: str,
    domains: list[str],
    person_id: int | None,
    moment: dt.date,
    perspective: Perspective,
    **extra: object,
) -> Screening:
    screening = Screening(
        plan_id=access.plan.id,
        person_id=person_id,
        instrument_id=instrument_id,
        instrument_version=version,
        perspective=perspective,
        moment=moment,
        author_id=actor.id,
        status=ScreeningStatus.DRAFT,
        **extra,
    )
    db.session.add(screening)
    db.session.flush()
    db.session.add_all(
        DomainScore(screening_id=screening.id, domain_id=d, position=i)
        for i, d in enumerate(domains)
    )
    db.session.flush()
    record(
        AuditAction.SCREENING_CREATED,
        actor=actor,
        plan_id=access.plan.id,
        obj=screening,
        details={"instrument": instrument_id, "perspective": perspective.value},
    )
    return screening


def start_own_view(
    access: PlanAccess, actor: User, reference: Screening, domains: list[str]
) -> Screening:
    """The family fills in their own view of the same moment; one per person per reference."""
    if access.role != PlanRole.CLIENT or reference.perspective != Perspective.PROFESSIONAL:
        raise NotAllowed(str(_l("Only the family adds their own view.")))
    existing = queries.own_view_of(access, reference, author_id=actor.id)
    if existing is not None:
        return existing
    return _new(
        access,
        actor,
        instrument_id=reference.instrument_id,
        version=reference.instrument_version,
        domains=domains,
        person_id=reference.person_id,
        moment=reference.moment,
        perspective=Perspective.CLIENT,
        view_of_id=reference.id,
        shared_with_network=False,
    )


def start_correction(
    access: PlanAccess, actor: User, original: Screening, *, reason: str, scores: list[DomainScore]
) -> tuple[Screening, bool]:
    """A new version of a completed screening, starting from its values; both are kept.
    Returns the draft and whether it is new.

    A check has at most one open correction: while one is a draft, asking again returns
    that draft (its own reason stays). The original's row is locked first, so that two
    requests at the same moment do not both find none and both start one (on SQLite the
    write transaction holds the database from its start)."""
    original = (
        db.session.scalar(
            select(Screening)
            .where(Screening.id == original.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        or original
    )
    if not original.completed or original.superseded_at is not None:
        raise Conflict(str(_l("Only the newest completed version can be corrected.")))
    check_may_edit(access, actor, original, allow_completed=True)
    existing = db.session.scalar(
        select(Screening).where(
            Screening.corrects_id == original.id, Screening.status == ScreeningStatus.DRAFT
        )
    )
    if existing is not None:
        return existing, False
    if not reason.strip():
        raise ValidationFailed(str(_l("Write why this needs a correction.")), field="reason")
    copy = _new(
        access,
        actor,
        instrument_id=original.instrument_id,
        version=original.instrument_version,
        domains=[s.domain_id for s in scores],
        person_id=original.person_id,
        moment=original.moment,
        perspective=original.perspective,
        view_of_id=original.view_of_id,
        corrects_id=original.id,
        correction_reason=reason.strip(),
        general_picture=original.general_picture,
        shared_with_network=original.shared_with_network,
    )
    new_scores = {
        s.domain_id: s
        for s in db.session.scalars(select(DomainScore).where(DomainScore.screening_id == copy.id))
    }
    for old in scores:
        new_scores[old.domain_id].copy_from(old)
    db.session.flush()
    return copy, True


# --- filling in -------------------------------------------------------------------------------


def check_may_edit(
    access: PlanAccess, actor: User, screening: Screening, *, allow_completed: bool = False
) -> None:
    if screening.completed and not allow_completed:
        raise NotAllowed(
            str(_l("A completed strengths check cannot be changed. Make a correction."))
        )
    if not access.open:
        raise NotAllowed(str(_l("This plan is closed.")))
    if screening.perspective == Perspective.PROFESSIONAL and access.role != PlanRole.PROFESSIONAL:
        raise NotAllowed(str(_l("Only professionals fill in this view.")))
    if screening.perspective == Perspective.CLIENT and (
        access.role != PlanRole.CLIENT or screening.author_id != actor.id
    ):
        raise NotAllowed(str(_l("Only the person who started this view fills it in.")))


def _complete(screening: Screening) -> None:
    """Completed from now on; a correction replaces the version it corrects."""
    screening.status = ScreeningStatus.COMPLETED
    screening.completed_at = utcnow()
    if screening.corrects_id is not None:
        original = db.session.get(Screening, screening.corrects_id)
        if original is not None:
            original.superseded_at = utcnow()


def save_screening(
    access: PlanAccess,
    actor: User,
    screening: Screening,
    scores: list[DomainScore],
    *,
    inputs: dict[str, DomainInput],
    general_picture: str,
    shared_with_network: bool,
    complete: bool,
) -> Screening:
    """Store what was filled in. Nothing is stored unless every domain is valid; completing
    needs a score or "not applicable" in every domain."""
    check_may_edit(access, actor, screening)
    errors: dict[tuple[str, str], str] = {}
    checked: dict[str, Entry] = {}
    for score in scores:
        given = inputs.get(score.domain_id, DomainInput(Entry()))
        try:
            checked[score.domain_id] = check_entry(given.entry, complete=complete)
        except EntryError as error:
            errors[(score.domain_id, error.field)] = str(MESSAGES[error.code])
    if errors:
        raise ScreeningInvalid(errors=errors)
    for score in scores:
        entry, given = checked[score.domain_id], inputs.get(score.domain_id, DomainInput(Entry()))
        score.score, score.not_applicable = entry.score, entry.not_applicable
        score.dont_know = entry.dont_know
        score.own_share, score.network_share, score.professional_share = (
            entry.shares if entry.shares is not None else (None, None, None)
        )
        for name in DOMAIN_TEXTS:
            setattr(score, name, getattr(given, name).strip())
    screening.general_picture = general_picture.strip()
    screening.shared_with_network = shared_with_network
    if complete:
        _complete(screening)
    db.session.flush()
    record(
        AuditAction.SCREENING_COMPLETED if complete else AuditAction.SCREENING_SAVED,
        actor=actor,
        plan_id=access.plan.id,
        obj=screening,
    )
    return screening


# --- the family's own view, one life area at a time --------------------------------------------


def answer_area(
    access: PlanAccess,
    actor: User,
    screening: Screening,
    score: DomainScore,
    *,
    entry: Entry | None,
    situation: str,
) -> None:
    """Store one life area of an own view at once (nothing is lost when the phone locks);
    ``entry`` None skips the area. Raises ScreeningInvalid for a broken entry."""
    check_may_edit(access, actor, screening)
    checked = Entry()
    if entry is not None:
        try:
            checked = check_entry(entry, complete=False)
        except EntryError as error:
            raise ScreeningInvalid(
                errors={(score.domain_id, error.field): str(MESSAGES[error.code])}
            ) from None
    score.score, score.not_applicable, score.dont_know = (
        checked.score,
        checked.not_applicable,
        checked.dont_know,
    )
    score.own_share, score.network_share, score.professional_share = (
        checked.shares if checked.shares is not None else (None, None, None)
    )
    score.situation = situation.strip()
    score.answered_at = utcnow()
    db.session.flush()
    record(AuditAction.SCREENING_SAVED, actor=actor, plan_id=access.plan.id, obj=screening)


def complete_own_view(
    access: PlanAccess, actor: User, screening: Screening, *, general_picture: str
) -> None:
    """The family is done: areas they skipped or did not know stay so."""
    check_may_edit(access, actor, screening)
    if screening.perspective != Perspective.CLIENT:
        raise NotAllowed(str(_l("Only the family adds their own view.")))
    screening.general_picture = general_picture.strip()
    _complete(screening)
    db.session.flush()
    record(AuditAction.SCREENING_COMPLETED, actor=actor, plan_id=access.plan.id, obj=screening)
