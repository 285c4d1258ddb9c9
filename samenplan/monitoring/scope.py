"""What a monitor covers: whose plans (a team, one municipality, all of a policy officer's
municipalities) over which period (a year or a quarter), and the period before it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select

from samenplan.accounts.models import Role, User
from samenplan.accounts.monitored import monitored_codes
from samenplan.clock import AMSTERDAM
from samenplan.core.i18n import gettext as _
from samenplan.municipalities import name_of
from samenplan.plans.models import Participation, Plan, PlanRole


@dataclass(frozen=True)
class Scope:
    #: "team", a municipality code, or "all" (every municipality of the officer)
    key: str
    label: str
    team_id: int | None = None
    codes: tuple[str, ...] = ()

    def plans_where(self) -> ColumnElement[bool]:
        """The plans this scope counts: a team's by the professionals who take part in them,
        a municipality's by the household's municipality."""
        if self.team_id is not None:
            members = (
                select(Participation.plan_id)
                .join(User, User.id == Participation.user_id)
                .where(User.team_id == self.team_id, Participation.role == PlanRole.PROFESSIONAL)
            )
            return Plan.id.in_(members)
        return Plan.municipality_code.in_(self.codes)


def scopes_for(user: User) -> list[Scope]:
    """The monitors this user may open, the widest first; empty when none."""
    if user.role == Role.TEAM_LEAD and user.team_id is not None:
        team = user.team
        label = f"{team.name} ({team.organisation.name})" if team else ""
        return [Scope("team", label, team_id=user.team_id)]
    if user.role != Role.POLICY:
        return []
    codes = monitored_codes(user)
    scopes = [Scope(code, name_of(code), codes=(code,)) for code in codes]
    scopes.sort(key=lambda s: s.label.lower())
    if len(codes) > 1:
        scopes.insert(0, Scope("all", _("All my municipalities"), codes=tuple(codes)))
    return scopes


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: dt.date
    #: the first day after the period
    end: dt.date

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), tzinfo=AMSTERDAM).astimezone(dt.UTC)

    @property
    def end_at(self) -> dt.datetime:
        return dt.datetime.combine(self.end, dt.time(), tzinfo=AMSTERDAM).astimezone(dt.UTC)

    def previous(self) -> Period:
        year, quarter = _parts(self.key)
        if quarter is None:
            return year_period(year - 1)
        return quarter_period(year - (quarter == 1), (quarter - 2) % 4 + 1)


_KEY = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")
FIRST_YEAR = 2000


def _parts(key: str) -> tuple[int, int | None]:
    found = _KEY.match(key)
    if not found:
        raise ValueError(key)
    return int(found.group(1)), int(found.group(2)) if found.group(2) else None


def year_period(year: int) -> Period:
    return Period(str(year), str(year), dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


def quarter_period(year: int, quarter: int) -> Period:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), 3 * quarter % 12 + 1, 1)
    return Period(
        f"{year}-Q{quarter}", _("Quarter %(q)d %(year)d", q=quarter, year=year), start, end
    )


def parse_period(key: str | None, today: dt.date) -> Period:
    """A period from its key (``2026`` or ``2026-Q3``), within 2000 up to this year; anything
    else is this year."""
    try:
        year, quarter = _parts(key or "")
    except ValueError:
        return year_period(today.year)
    if not FIRST_YEAR <= year <= today.year:
        return year_period(today.year)
    return year_period(year) if quarter is None else quarter_period(year, quarter)


def period_choices(today: dt.date, years: int = 3) -> list[Period]:
    """This year and the years before, each followed by its quarters that have begun."""
    result = []
    for year in range(today.year, today.year - years, -1):
        result.append(year_period(year))
        result.extend(
            quarter_period(year, q) for q in range(4, 0, -1) if dt.date(year, 3 * q - 2, 1) <= today
        )
    return result
