"""Reads of screenings through the viewer's PlanAccess (network and youth rules apply)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, and_, func, not_, select
from sqlalchemy.orm import joinedload

from samenplan.extensions import db
from samenplan.plans.access import PlanAccess
from samenplan.screening.models import DomainScore, Perspective, Screening, ScreeningStatus
from samenplan.screening.rules import Entry, Signal, Thresholds, signals


def visible(access: PlanAccess) -> Select[tuple[Screening]]:
    stmt = select(Screening).where(
        Screening.plan_id == access.plan.id, *access.sees_where(Screening)
    )
    return stmt.options(joinedload(Screening.author))


def hidden_counts(access: PlanAccess) -> dict[int | None, int]:
    """Per person (None: the household), how many completed checks this viewer may not see:
    a network member reads that they are there, not that there are none."""
    seen = access.sees_where(Screening)
    if not seen:
        return {}
    rows = db.session.execute(
        select(Screening.person_id, func.count())
        .where(
            Screening.plan_id == access.plan.id,
            Screening.perspective == Perspective.PROFESSIONAL,
            Screening.status == ScreeningStatus.COMPLETED,
            Screening.superseded_at.is_(None),
            not_(and_(*seen)),
        )
        .group_by(Screening.person_id)
    )
    return {person_id: count for person_id, count in rows}


def screening_in_plan(access: PlanAccess, screening_id: int) -> Screening | None:
    return db.session.scalar(visible(access).where(Screening.id == screening_id))


def scores_of(screening_ids: list[int]) -> dict[int, list[DomainScore]]:
    result: dict[int, list[DomainScore]] = defaultdict(list)
    for score in db.session.scalars(
        select(DomainScore)
        .where(DomainScore.screening_id.in_(screening_ids or [-1]))
        .order_by(DomainScore.screening_id, DomainScore.position)
    ):
        result[score.screening_id].append(score)
    return result


def entry_of(score: DomainScore) -> Entry:
    return Entry(
        score=score.score,
        not_applicable=score.not_applicable,
        own=score.own_share,
        network=score.network_share,
        professional=score.professional_share,
        dont_know=score.dont_know,
    )


def entries(scores: list[DomainScore]) -> dict[str, Entry]:
    return {s.domain_id: entry_of(s) for s in scores}


def all_visible(access: PlanAccess) -> list[Screening]:
    return list(db.session.scalars(visible(access).order_by(Screening.moment, Screening.id)))


def is_reference(screening: Screening) -> bool:
    """Counts in timelines, comparisons and monitoring: the professional view, completed,
    and not replaced by a correction."""
    return (
        screening.perspective == Perspective.PROFESSIONAL
        and screening.status == ScreeningStatus.COMPLETED
        and screening.superseded_at is None
    )


def previous_reference(screenings: list[Screening], screening: Screening) -> Screening | None:
    """The reference screening of the same subject and instrument just before this one."""
    earlier = [
        s
        for s in screenings
        if is_reference(s)
        and s.person_id == screening.person_id
        and s.instrument_id == screening.instrument_id
        and (s.moment, s.id) < (screening.moment, screening.id)
        and s.id != screening.corrects_id
    ]
    return earlier[-1] if earlier else None


def thresholds() -> Thresholds:
    return Thresholds.from_config(current_app.config)


def domain_signals(
    current: dict[str, Entry], previous: dict[str, Entry] | None
) -> dict[str, list[Signal]]:
    t = thresholds()
    return {
        domain: found
        for domain, entry in current.items()
        if (found := signals(entry, previous.get(domain) if previous else None, t))
    }


@dataclass
class Latest:
    """The newest reference screening of one subject, with the one before it."""

    screening: Screening
    scores: list[DomainScore]
    previous: Screening | None
    previous_scores: list[DomainScore]
    signals: dict[str, list[Signal]]


def latest_per_subject(access: PlanAccess) -> list[Latest]:
    """For the plan overview: the newest screening per person and for the household; two queries."""
    screenings = all_visible(access)
    newest: dict[tuple[int | None, str], Screening] = {}
    for s in screenings:
        if is_reference(s):
            newest[(s.person_id, s.instrument_id)] = s
    pairs = [(s, previous_reference(screenings, s)) for s in newest.values()]
    scores = scores_of([s.id for pair in pairs for s in pair if s is not None])
    result = []
    for current, before in pairs:
        now = entries(scores[current.id])
        result.append(
            Latest(
                current,
                scores[current.id],
                before,
                scores[before.id] if before else [],
                domain_signals(now, entries(scores[before.id]) if before else None),
            )
        )
    return result


def own_view_of(
    access: PlanAccess, screening: Screening, *, author_id: int | None = None
) -> Screening | None:
    """The family's own view of this moment: its newest version (a correction in progress
    counts as newest). With ``author_id``: only the view that this person started."""
    stmt = visible(access).where(
        Screening.view_of_id == screening.id, Screening.superseded_at.is_(None)
    )
    if author_id is not None:
        stmt = stmt.where(Screening.author_id == author_id)
    views = db.session.scalars(stmt.order_by(Screening.id)).all()
    return views[-1] if views else None
