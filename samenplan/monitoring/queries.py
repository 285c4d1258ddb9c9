"""The monitor's SQL: every figure is an aggregate in the database (window functions for each
household's first and latest check), never a loop over plans in Python. Each query returns
small grouped rows with the number of distinct households (plans) behind every figure.

A household is a plan. Only completed professional checks that were not replaced by a
correction count (the reference, DESIGN.md §6)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, and_, case, cast, distinct, func, literal, null, select, union_all
from sqlalchemy.orm import aliased

from samenplan.extensions import db
from samenplan.monitoring.models import SurveyAnswer, SurveyResponse
from samenplan.monitoring.scope import Period, Scope
from samenplan.plans.models import Goal, GoalStatus, Plan, ProgressEntry
from samenplan.screening.models import DomainScore, Perspective, Screening, ScreeningStatus
from samenplan.screening.rules import Thresholds


def _in_scope(scope: Scope) -> Any:
    return select(Plan.id).where(scope.plans_where())


def plan_counts(scope: Scope, period: Period) -> dict[str, int]:
    """Active (open at some time in the period), started and closed plans."""
    start, end = period.start_at, period.end_at
    row = db.session.execute(
        select(
            func.count().filter(
                Plan.created_at < end, (Plan.closed_at.is_(None)) | (Plan.closed_at >= start)
            ),
            func.count().filter(Plan.created_at >= start, Plan.created_at < end),
            func.count().filter(Plan.closed_at >= start, Plan.closed_at < end),
        ).where(scope.plans_where())
    ).one()
    return {"active": row[0], "started": row[1], "closed": row[2]}


def closures(scope: Scope, period: Period) -> dict[str | None, int]:
    """Closed plans per closure reason (None: closed before reasons were asked)."""
    rows = db.session.execute(
        select(Plan.closure_reason, func.count())
        .where(
            scope.plans_where(),
            Plan.closed_at >= period.start_at,
            Plan.closed_at < period.end_at,
        )
        .group_by(Plan.closure_reason)
    )
    return {(r.value if r else None): n for r, n in rows}


def goal_outcomes(scope: Scope, period: Period) -> list[tuple[str | None, str | None, int, int]]:
    """(domain, outcome, goals, households) for goals closed in the period, with the totals
    per domain (outcome None), per outcome (domain None) and overall (both None)."""
    base = (
        Goal.plan_id.in_(_in_scope(scope)),
        Goal.status != GoalStatus.OPEN,
        Goal.closed_at >= period.start_at,
        Goal.closed_at < period.end_at,
    )
    counted = (func.count(), func.count(distinct(Goal.plan_id)))
    parts: list[Any] = [
        select(Goal.domain, Goal.status, *counted).where(*base).group_by(Goal.domain, Goal.status),
        select(Goal.domain, null(), *counted).where(*base).group_by(Goal.domain),
        select(null(), Goal.status, *counted).where(*base).group_by(Goal.status),
        select(null(), null(), *counted).where(*base),
    ]
    return [
        (d, s.value if hasattr(s, "value") else s, n, h)
        for d, s, n, h in db.session.execute(union_all(*parts))
    ]


def progress_change(scope: Scope, period: Period) -> list[tuple[str | None, float, int, int]]:
    """(domain, average change, goals, households): from each goal's first to its latest
    progress entry in the period, for goals with two or more; domain None is all domains."""
    where = (
        ProgressEntry.plan_id.in_(_in_scope(scope)),
        ProgressEntry.recorded_on >= period.start,
        ProgressEntry.recorded_on < period.end,
    )
    # one window (one sort): the whole goal's entries in its frame, one row kept per goal
    window: dict[str, Any] = {
        "partition_by": ProgressEntry.goal_id,
        "order_by": (ProgressEntry.recorded_on, ProgressEntry.id),
    }
    whole = {**window, "rows": (None, None)}
    ranked = (
        select(
            ProgressEntry.goal_id,
            ProgressEntry.plan_id,
            func.first_value(ProgressEntry.value).over(**whole).label("first"),
            func.last_value(ProgressEntry.value).over(**whole).label("latest"),
            func.count().over(**whole).label("n"),
            func.row_number().over(**window).label("rank"),
        )
        .where(*where)
        .subquery()
    )
    goals = (
        select(ranked.c.goal_id, ranked.c.plan_id, ranked.c.first, ranked.c.latest)
        .where(ranked.c.n >= 2, ranked.c.rank == 1)
        .cte("measured_goals")
    )
    change = cast(goals.c.latest - goals.c.first, Integer)
    measured = (func.avg(change), func.count(), func.count(distinct(goals.c.plan_id)))
    joined = goals.join(Goal, Goal.id == goals.c.goal_id)
    parts = [
        select(Goal.domain, *measured).select_from(joined).group_by(Goal.domain),
        select(null(), *measured).select_from(joined),
    ]
    return [
        (d, float(a), n, h) for d, a, n, h in db.session.execute(union_all(*parts)) if a is not None
    ]


def _reference(scope: Scope) -> tuple[Any, ...]:
    return (
        Screening.plan_id.in_(_in_scope(scope)),
        Screening.perspective == Perspective.PROFESSIONAL,
        Screening.status == ScreeningStatus.COMPLETED,
        Screening.superseded_at.is_(None),
    )


def _subject() -> dict[str, Any]:
    return {"partition_by": (Screening.plan_id, Screening.person_id, Screening.instrument_id)}


def check_pairs(scope: Scope, period: Period) -> Any:
    """Per subject (a person, or the household, with one instrument): its first and latest
    reference check in the period, where there are two or more."""
    window: dict[str, Any] = {**_subject(), "order_by": (Screening.moment, Screening.id)}
    whole = {**window, "rows": (None, None)}
    ranked = (
        select(
            Screening.plan_id,
            func.first_value(Screening.id).over(**whole).label("first_id"),
            func.last_value(Screening.id).over(**whole).label("last_id"),
            func.row_number().over(**window).label("rank"),
        )
        .where(*_reference(scope), Screening.moment >= period.start, Screening.moment < period.end)
        .subquery()
    )
    return (
        select(ranked.c.plan_id, ranked.c.first_id, ranked.c.last_id)
        .where(ranked.c.first_id != ranked.c.last_id, ranked.c.rank == 1)
        .subquery()
    )


def _pair_scores(pairs: Any) -> tuple[Any, Any, Any, Any]:
    """The first and latest check of each pair, life area by life area, where both have a
    score and a split."""
    first, last = aliased(DomainScore), aliased(DomainScore)
    joined = pairs.join(first, first.screening_id == pairs.c.first_id).join(
        last, and_(last.screening_id == pairs.c.last_id, last.domain_id == first.domain_id)
    )
    complete = and_(
        first.score.is_not(None),
        last.score.is_not(None),
        first.own_share.is_not(None),
        last.own_share.is_not(None),
    )
    return joined, first, last, complete


def domain_shifts(scope: Scope, period: Period) -> list[dict[str, Any]]:
    """Per life area: the average score and shares at the first and at the latest check, and
    the households they are built on."""
    pairs = check_pairs(scope, period)
    joined, first, last, complete = _pair_scores(pairs)
    columns = {
        "score_first": first.score,
        "score_last": last.score,
        "own_first": first.own_share,
        "own_last": last.own_share,
        "network_first": first.network_share,
        "network_last": last.network_share,
        "professional_first": first.professional_share,
        "professional_last": last.professional_share,
    }
    stmt = (
        select(
            first.domain_id,
            func.count(distinct(pairs.c.plan_id)),
            *(func.avg(cast(c, Integer)).label(k) for k, c in columns.items()),
        )
        .select_from(joined)
        .where(complete)
        .group_by(first.domain_id)
    )
    result = []
    for row in db.session.execute(stmt):
        values = {k: float(v) for k, v in zip(columns, row[2:], strict=True)}
        result.append({"domain": row[0], "households": row[1], **values})
    return result


def household_direction(scope: Scope, period: Period) -> dict[str, int]:
    """Households whose scores went up, stayed level or went down in all, summed over their
    life areas from the first to the latest check in the period."""
    pairs = check_pairs(scope, period)
    joined, first, last, complete = _pair_scores(pairs)
    per_household = (
        select(pairs.c.plan_id, func.sum(last.score - first.score).label("change"))
        .select_from(joined)
        .where(complete)
        .group_by(pairs.c.plan_id)
        .subquery()
    )
    direction = case(
        (per_household.c.change > 0, literal("better")),
        (per_household.c.change < 0, literal("worse")),
        else_=literal("same"),
    )
    rows = db.session.execute(select(direction, func.count()).group_by(direction))
    return {d: n for d, n in rows}


def domain_signals(scope: Scope, period: Period, t: Thresholds) -> list[dict[str, Any]]:
    """Per life area, households with each signal in a check of the period (the rules of
    screening/rules.py in SQL, against the subject's check before), and households where
    "less help possible" was followed by a lower professional share at the next check."""
    window: dict[str, Any] = {
        "partition_by": (
            Screening.plan_id,
            Screening.person_id,
            Screening.instrument_id,
            DomainScore.domain_id,
        ),
        "order_by": (Screening.moment, Screening.id),
    }
    ds = DomainScore
    rows = (
        select(
            Screening.plan_id,
            Screening.moment,
            ds.domain_id,
            ds.score,
            ds.own_share,
            ds.professional_share,
            func.lag(ds.score).over(**window).label("prev_score"),
            func.lag(ds.professional_share).over(**window).label("prev_professional"),
            func.lead(ds.professional_share).over(**window).label("next_professional"),
        )
        .join(ds, ds.screening_id == Screening.id)
        .where(*_reference(scope))
        .subquery()
    )
    r = rows.c
    scored = and_(r.score.is_not(None), r.own_share.is_not(None))
    hidden = and_(scored, r.score >= t.hidden_min_score, r.own_share < t.hidden_max_own)
    down = and_(
        scored,
        (
            and_(
                r.prev_score.is_not(None),
                r.score >= r.prev_score,
                r.professional_share < r.prev_professional,
            )
        )
        | and_(r.professional_share >= t.down_min_professional, r.score >= t.down_min_score),
    )
    up = and_(
        scored,
        (and_(r.prev_score.is_not(None), r.score <= r.prev_score - t.up_drop))
        | (r.score <= t.acute_score),
    )
    followed = and_(
        down, r.next_professional.is_not(None), r.next_professional < r.professional_share
    )

    def households(flag: Any) -> Any:
        return func.count(distinct(case((flag, r.plan_id))))

    stmt = (
        select(
            r.domain_id,
            households(hidden),
            households(down),
            households(followed),
            households(up),
            func.count(distinct(r.plan_id)),
        )
        .where(r.moment >= period.start, r.moment < period.end)
        .group_by(r.domain_id)
    )
    keys = ("hidden", "down", "followed", "up", "households")
    return [
        {"domain": row[0], **dict(zip(keys, row[1:], strict=True))}
        for row in db.session.execute(stmt)
    ]


def satisfaction(scope: Scope, period: Period) -> list[dict[str, Any]]:
    """Per respondent group and question: the average, the share of 4 or more (for the
    five-point questions), the answers and the households behind them."""
    r, a = SurveyResponse, SurveyAnswer
    stmt = (
        select(
            r.group,
            a.question_id,
            func.avg(cast(a.value, Integer)),
            func.count(),
            func.sum(case((a.value >= 4, 1), else_=0)),
            func.count(distinct(r.plan_id)),
        )
        .join(r, r.id == a.response_id)
        .where(
            r.plan_id.in_(_in_scope(scope)),
            r.created_at >= period.start_at,
            r.created_at < period.end_at,
        )
        .group_by(r.group, a.question_id)
    )
    keys = ("mean", "answers", "four_or_more", "households")
    return [
        {
            "group": g.value if hasattr(g, "value") else g,
            "question": q,
            **dict(zip(keys, rest, strict=True)),
        }
        for g, q, *rest in db.session.execute(stmt)
    ]
