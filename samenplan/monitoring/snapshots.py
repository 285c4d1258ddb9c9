"""The monitor's figures for one scope and period: computed by the queries, kept as a snapshot.

Counting a whole region's year takes seconds (every check, goal and progress entry of the
year); people read the same figures far more often than they change. So the figures of a
scope and period are kept in ``monitor_snapshots`` for ``MONITOR_CACHE_SECONDS`` (0: always
count afresh). How they stay fresh: a view of an older snapshot counts again before it shows
anything, and the worker counts the periods people look at most (this year, this quarter
and the ones before, for every scope in use) every few minutes, so that nobody waits. The
page says when its figures were counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import distinct, select

from samenplan.accounts.models import Role, User, UserMunicipality
from samenplan.clock import local_today, utcnow
from samenplan.extensions import db
from samenplan.monitoring import queries
from samenplan.monitoring.models import MonitorSnapshot
from samenplan.monitoring.scope import Period, Scope, parse_period, quarter_period, scopes_for
from samenplan.screening.queries import thresholds


@dataclass
class Figures:
    """What the queries found for one scope and period, before labels and suppression."""

    counts: dict[str, int]
    closures: list[tuple[str | None, int]]
    goals: list[tuple[str | None, str | None, int, int]]
    progress: list[tuple[str | None, float, int, int]]
    shifts: list[dict[str, Any]]
    direction: dict[str, int]
    signals: list[dict[str, Any]]
    satisfaction: list[dict[str, Any]]
    computed_at: dt.datetime


def count(scope: Scope, period: Period) -> Figures:
    return Figures(
        counts=queries.plan_counts(scope, period),
        closures=list(queries.closures(scope, period).items()),
        goals=queries.goal_outcomes(scope, period),
        progress=queries.progress_change(scope, period),
        shifts=queries.domain_shifts(scope, period),
        direction=queries.household_direction(scope, period),
        signals=queries.domain_signals(scope, period, thresholds()),
        satisfaction=queries.satisfaction(scope, period),
        computed_at=utcnow(),
    )


def key_of(scope: Scope, period: Period) -> str:
    """Whose plans and which period; and the signal thresholds, which the counts follow."""
    rules = hashlib.sha256(repr(thresholds()).encode()).hexdigest()[:12]
    who = f"team:{scope.team_id}" if scope.team_id is not None else ",".join(scope.codes)
    return f"{period.key}|{rules}|{who}"[:300]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value))


def _encode(figures: Figures) -> str:
    data = asdict(figures)
    data.pop("computed_at")
    return json.dumps(data, default=_plain)


def _decode(row: MonitorSnapshot) -> Figures:
    data = json.loads(row.payload)
    return Figures(
        counts=data["counts"],
        closures=[(k, n) for k, n in data["closures"]],
        goals=[tuple(r) for r in data["goals"]],
        progress=[tuple(r) for r in data["progress"]],
        shifts=data["shifts"],
        direction=data["direction"],
        signals=data["signals"],
        satisfaction=data["satisfaction"],
        computed_at=row.computed_at,
    )


def _store(key: str, figures: Figures) -> None:
    """Keep the snapshot; two counts of the same figures at once both succeed (an upsert)."""
    values = {"key": key, "computed_at": figures.computed_at, "payload": _encode(figures)}
    statement = db.insert(MonitorSnapshot).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[MonitorSnapshot.key],
        set_={"computed_at": values["computed_at"], "payload": values["payload"]},
    )
    with db.writing():  # a monitor view only reads; this is its one short write
        db.session.execute(statement)


def max_age() -> dt.timedelta:
    return dt.timedelta(seconds=int(current_app.config["MONITOR_CACHE_SECONDS"]))


def figures(scope: Scope, period: Period) -> Figures:
    """The figures, from a snapshot younger than the configured age, else counted now."""
    age = max_age()
    if age <= dt.timedelta(0):
        return count(scope, period)
    key = key_of(scope, period)
    row = db.session.get(MonitorSnapshot, key)
    if row is not None and utcnow() - row.computed_at < age:
        return _decode(row)
    fresh = count(scope, period)
    _store(key, fresh)
    return fresh


def scopes_in_use() -> list[Scope]:
    """Every scope someone can open now: each team lead's team, and each policy officer's
    municipalities one by one and together (the same set of two officers counts once)."""
    found: dict[str, Scope] = {}
    officers = select(distinct(UserMunicipality.user_id))
    people = db.session.scalars(
        select(User).where(
            User.active.is_(True),
            (User.role == Role.TEAM_LEAD) | User.id.in_(officers),
        )
    )
    for user in people:
        for scope in scopes_for(user):
            found.setdefault(f"{scope.team_id}|{scope.codes}", scope)
    return list(found.values())


def refresh_current() -> int:
    """Count this year and this quarter, and the periods before them, for every scope in
    use (the worker does this every few minutes). Returns the number of snapshots."""
    if max_age() <= dt.timedelta(0):
        return 0
    today = local_today()
    year = parse_period(str(today.year), today)
    quarter = quarter_period(today.year, (today.month - 1) // 3 + 1)
    periods = [year, year.previous(), quarter, quarter.previous()]
    done = 0
    for scope in scopes_in_use():
        for period in periods:
            _store(key_of(scope, period), count(scope, period))
            done += 1
    return done
