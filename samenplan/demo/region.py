"""The synthetic region's organisations, teams and staff, and the multi-row insert that
``flask synth`` writes everything with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Table, insert

from samenplan.accounts.models import Organisation, Role, Team, User
from samenplan.clock import AMSTERDAM
from samenplan.demo.households import FIRST_NAMES, MUNICIPALITIES, SURNAMES, Region
from samenplan.extensions import db

HOUSEHOLDS_PER_PROFESSIONAL = 35
PROFESSIONALS_PER_TEAM = 12
#: teams of the demo's first municipality, its home team one of them
HOME_TEAMS = 3


class SynthRefused(RuntimeError):
    pass


def insert_rows(table: Any, rows: list[dict[str, Any]], *, ids: bool = False) -> list[int]:
    """One multi-row insert; with ``ids``, the new ids in the order of ``rows``."""
    if not rows:
        return []
    target: Table = table.__table__
    # one statement for all rows needs the same keys in each: a key some rows leave out is NULL
    keys = {key for row in rows for key in row}
    rows = [dict.fromkeys(keys) | row for row in rows]
    if not ids:
        db.session.execute(insert(target), rows)
        return []
    stmt = insert(target).returning(target.c.id, sort_by_parameter_order=True)
    return list(db.session.scalars(stmt, rows))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=AMSTERDAM).astimezone(dt.UTC)


def chunks(n: int, size: int) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(start + size, n))


def accounts(
    kind: str, seed: int, numbers: Sequence[int], role: Role, password_hash: str, **extra: Any
) -> list[dict[str, Any]]:
    return [
        {
            "email": f"synth-{seed}-{kind}{n}@synth.invalid",
            "name": f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {SURNAMES[n % len(SURNAMES)]}",
            "password_hash": password_hash,
            "role": role,
            "awaiting_invitation": True,
            **extra,
        }
        for n in numbers
    ]


def build_region(
    households: int,
    seed: int,
    password_hash: str,
    *,
    only: Sequence[str] | None = None,
    home_team: Team | None = None,
) -> Region:
    """Organisations, teams, professionals and team leads for this many households; with
    ``only``, in those municipalities alone. With ``home_team`` (the demo's), that existing
    team is one of at least three teams among which the first municipality's professionals
    work."""
    weights = {name: MUNICIPALITIES[name] for name in only} if only else dict(MUNICIPALITIES)
    region = Region(weights=weights)
    total = sum(weights.values())
    for name, weight in weights.items():
        share = max(1, round(households * weight / total))
        professionals = max(1, share // HOUSEHOLDS_PER_PROFESSIONAL)
        home = home_team if name == next(iter(weights)) else None
        [org] = insert_rows(
            Organisation, [{"name": f"Sociaal team {name} (synth {seed})"}], ids=True
        )
        team_count = max(1, -(-professionals // PROFESSIONALS_PER_TEAM))
        if home is not None:  # the home team is one of a few teams of the municipality
            team_count = max(HOME_TEAMS, team_count) - 1
        teams = insert_rows(
            Team,
            [{"organisation_id": org, "name": f"Team {n + 1}"} for n in range(team_count)],
            ids=True,
        )
        leads = accounts(f"lead{org}-", seed, range(team_count), Role.TEAM_LEAD, password_hash)
        insert_rows(
            User,
            [r | {"organisation_id": org, "team_id": t} for r, t in zip(leads, teams, strict=True)],
        )
        places = [(org, t) for t in teams]
        if home is not None:
            places.insert(0, (home.organisation_id, home.id))
        first = sum(len(v) for v in region.professionals.values())
        rows = accounts(
            "pro", seed, range(first, first + professionals), Role.PROFESSIONAL, password_hash
        )
        for i, row in enumerate(rows):
            row["organisation_id"], row["team_id"] = places[i % len(places)]
        region.professionals[name] = insert_rows(User, rows, ids=True)
        region.organisations[name] = org
    return region
