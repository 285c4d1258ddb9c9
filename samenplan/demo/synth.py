"""A synthetic region for benchmarks and the monitor: ``flask synth --households N``.

Organisations (one social team per Frisian municipality), teams, professionals and team
leads; households with persons, a client account and sometimes a network member; plans with
goals, actions, progress, agenda and logbook; and strengths checks over the last two years
that shift the way real ones do: in most households own strength and network grow and
professional help shrinks, in some nothing moves, in a few it gets worse, and some families
stop early (their plan is closed).

Everything goes in with multi-row inserts, a chunk of households per transaction. Synthetic
accounts cannot log in (a password nobody knows, ``awaiting_invitation``) and have addresses
under ``.invalid``, which never receive mail. Never in production.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from typing import Any

import click
from flask import current_app
from sqlalchemy import func, select, text

from samenplan.accounts.models import Role, Team, User
from samenplan.accounts.passwords import hash_password
from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.clock import local_today
from samenplan.demo.households import (
    GOAL_TITLES,
    SURNAMES,
    Household,
    Region,
    domain_scores,
    draw_household,
    goal_ending,
)
from samenplan.demo.outcomes import municipality_code, write_surveys
from samenplan.demo.region import SynthRefused, accounts, at, build_region, chunks, insert_rows
from samenplan.extensions import db
from samenplan.plans.models import (
    Action,
    ActionStatus,
    Goal,
    GoalStatus,
    LogEntry,
    Participation,
    Person,
    Plan,
    PlanRole,
    PlanStatus,
    ProgressEntry,
    Relation,
)
from samenplan.screening.instruments import Instrument, registry
from samenplan.screening.models import DomainScore, Perspective, Screening, ScreeningStatus

CHUNK = 500


def write_households(
    region: Region, numbers: range, seed: int, password_hash: str, today: dt.date
) -> dict[str, int]:
    """One chunk of households, table by table, each table in one multi-row insert."""
    instrument = registry().default(household=False, age=None)
    if instrument is None:
        raise SynthRefused("no adult strengths check instrument is installed")
    homes = [draw_household(n, seed, region, today) for n in numbers]
    plans, parents, participations, counts = _people(homes, numbers, seed, password_hash, today)
    counts |= _goals(homes, plans, participations, today)
    counts |= _calendar_and_log(homes, plans, today)
    counts |= _checks(homes, plans, parents, instrument)
    counts |= write_surveys(homes, plans, today)
    return counts


def _people(
    homes: list[Household], numbers: range, seed: int, password_hash: str, today: dt.date
) -> tuple[list[int], list[int], dict[int, list[int]], dict[str, int]]:
    """Accounts, plans, persons and participations; the plan, parent and participation ids."""
    clients = insert_rows(
        User, accounts("client", seed, numbers, Role.CLIENT, password_hash), ids=True
    )
    with_network = [h for h in homes if h.has_network]
    network_rows = accounts(
        "net", seed, [h.number for h in with_network], Role.NETWORK, password_hash
    )
    network_ids = dict(
        zip(
            (h.number for h in with_network), insert_rows(User, network_rows, ids=True), strict=True
        )
    )
    plans = insert_rows(
        Plan,
        [
            {
                "title": f"Plan {SURNAMES[h.number % len(SURNAMES)]} {h.number}",
                "status": PlanStatus.CLOSED if h.closed_on else PlanStatus.OPEN,
                "closed_at": at(h.closed_on, 16) if h.closed_on else None,
                "closure_reason": h.closure,
                "municipality_code": municipality_code(h.municipality),
                "created_by_id": h.coordinator,
                "created_at": at(h.start, 9),
                "updated_at": at(h.closed_on or h.moments[-1], 16),
            }
            for h in homes
        ],
        ids=True,
    )
    parents = insert_rows(
        Person,
        [
            {
                "plan_id": plan,
                "name": f"Ouder {h.number}",
                "relation": Relation.PARENT,
                "date_of_birth": today - dt.timedelta(days=h.rng.randint(25 * 365, 55 * 365)),
                "user_id": client,
                "created_at": at(h.start, 9),
                "updated_at": at(h.start, 9),
            }
            for h, plan, client in zip(homes, plans, clients, strict=True)
        ],
        ids=True,
    )
    insert_rows(
        Person,
        [
            {
                "plan_id": plan,
                "name": f"Kind {i + 1}",
                "relation": Relation.CHILD,
                "date_of_birth": born,
                "created_at": at(h.start, 9),
                "updated_at": at(h.start, 9),
            }
            for h, plan in zip(homes, plans, strict=True)
            for i, born in enumerate(h.children)
        ],
    )
    part_rows, owners = [], []
    for h, plan, client in zip(homes, plans, clients, strict=True):
        h.client_id, h.network_id = client, network_ids.get(h.number)
        joined = at(h.start, 9)
        people = [(client, PlanRole.CLIENT, False), (h.coordinator, PlanRole.PROFESSIONAL, True)]
        if h.professional is not None and h.professional != h.coordinator:
            people.append((h.professional, PlanRole.PROFESSIONAL, False))
        if h.number in network_ids:
            people.append((network_ids[h.number], PlanRole.NETWORK, False))
        for user, role, coordinator in people:
            part_rows.append(
                {
                    "plan_id": plan,
                    "user_id": user,
                    "role": role,
                    "is_coordinator": coordinator,
                    "accepted_at": joined,
                    "created_at": joined,
                    "updated_at": joined,
                }
            )
            owners.append(h.number)
    participations: dict[int, list[int]] = {}
    for number, pid in zip(owners, insert_rows(Participation, part_rows, ids=True), strict=True):
        participations.setdefault(number, []).append(pid)

    counts = {"households": len(homes), "accounts": len(clients) + len(network_rows)}
    return plans, parents, participations, counts | {"participations": len(part_rows)}


def _goals(
    homes: list[Household], plans: list[int], participations: dict[int, list[int]], today: dt.date
) -> dict[str, int]:
    goal_rows, goal_homes = [], []
    for h, plan in zip(homes, plans, strict=True):
        for domain in h.rng.sample(sorted(GOAL_TITLES), h.rng.randint(2, 4)):
            status, reason, closed_on = goal_ending(h, today)
            goal_rows.append(
                {
                    "plan_id": plan,
                    "domain": domain,
                    "title": GOAL_TITLES[domain],
                    "status": GoalStatus(status),
                    "end_reason": reason,
                    "closed_at": at(closed_on, 15) if closed_on else None,
                    "target_date": h.start + dt.timedelta(days=h.rng.randint(90, 540)),
                    "shared_with_network": h.rng.random() < 0.8,
                    "created_by_id": h.coordinator,
                    "version": 1,
                    "created_at": at(h.start, 11),
                    "updated_at": at(h.start, 11),
                }
            )
            goal_homes.append((h, plan))
    goals = insert_rows(Goal, goal_rows, ids=True)
    actions, progress = [], []
    for goal, (h, plan) in zip(goals, goal_homes, strict=True):
        end = h.closed_on or today
        for _ in range(2):
            due = h.start + dt.timedelta(days=h.rng.randint(14, 400))
            done = due < end and h.rng.random() < 0.7
            actions.append(
                {
                    "plan_id": plan,
                    "goal_id": goal,
                    "description": "Afspraak maken en nabellen",
                    "assignee_id": h.rng.choice(participations[h.number]),
                    "due_date": due,
                    "status": ActionStatus.DONE if done else ActionStatus.OPEN,
                    "done_at": at(due, 15) if done else None,
                    "created_by_id": h.coordinator,
                    "version": 1,
                    "created_at": at(h.start, 11),
                    "updated_at": at(h.start, 11),
                }
            )
        value, day = h.rng.randint(2, 5), h.start
        while day <= end:
            progress.append(
                {
                    "plan_id": plan,
                    "goal_id": goal,
                    "recorded_on": day,
                    "value": value,
                    "author_id": h.coordinator,
                    "created_at": at(day, 12),
                    "updated_at": at(day, 12),
                }
            )
            drift = {"better": 1, "same": 0, "worse": -1}[h.trajectory]
            value = max(0, min(10, value + drift * h.rng.choice([0, 1]) + h.rng.choice([-1, 0, 1])))
            day += dt.timedelta(days=h.rng.randint(30, 60))
    insert_rows(Action, actions)
    insert_rows(ProgressEntry, progress)
    return {"goals": len(goals), "actions": len(actions), "progress entries": len(progress)}


def _calendar_and_log(homes: list[Household], plans: list[int], today: dt.date) -> dict[str, int]:
    agenda, log = [], []
    for h, plan in zip(homes, plans, strict=True):
        for moment in h.moments:
            agenda.append(
                {
                    "plan_id": plan,
                    "title": "Evaluatie van het plan",
                    "kind": AgendaKind.EVALUATION,
                    "starts_at": at(moment, 10),
                    "ends_at": at(moment, 11),
                    "created_by_id": h.coordinator,
                    "created_at": at(h.start),
                    "updated_at": at(h.start),
                }
            )
        if h.closed_on is None:
            soon = today + dt.timedelta(days=h.rng.randint(1, 30))
            agenda.append(
                {
                    "plan_id": plan,
                    "title": "Gesprek bij het gezin thuis",
                    "kind": AgendaKind.APPOINTMENT,
                    "starts_at": at(soon, 14),
                    "created_by_id": h.coordinator,
                    "created_at": at(h.start),
                    "updated_at": at(h.start),
                }
            )
        for k in range(h.rng.randint(2, 8)):
            day = min(h.closed_on or today, h.start + dt.timedelta(days=20 * k))
            log.append(
                {
                    "plan_id": plan,
                    "author_id": h.coordinator,
                    "text": "We hebben de afspraken van deze week doorgenomen.",
                    "shared_with_network": h.rng.random() < 0.7,
                    "created_at": at(day, 13),
                    "updated_at": at(day, 13),
                }
            )
    insert_rows(AgendaItem, agenda)
    insert_rows(LogEntry, log)
    return {"agenda items": len(agenda), "log entries": len(log)}


def _checks(
    homes: list[Household], plans: list[int], parents: list[int], instrument: Instrument
) -> dict[str, int]:
    """A professional strengths check of the parent at every evaluation moment."""
    domains = [d.id for d in instrument.domains if d.supplement is None]
    screening_rows, score_sets = [], []
    for h, plan, parent in zip(homes, plans, parents, strict=True):
        for moment, scores in zip(h.moments, domain_scores(h, domains), strict=True):
            screening_rows.append(
                {
                    "plan_id": plan,
                    "person_id": parent,
                    "instrument_id": instrument.id,
                    "instrument_version": instrument.version,
                    "perspective": Perspective.PROFESSIONAL,
                    "moment": moment,
                    "status": ScreeningStatus.COMPLETED,
                    "completed_at": at(moment, 12),
                    "author_id": h.coordinator,
                    "created_at": at(moment, 11),
                    "updated_at": at(moment, 12),
                }
            )
            score_sets.append(scores)
    screenings = insert_rows(Screening, screening_rows, ids=True)
    scores = [
        row | {"screening_id": sid, "created_at": row_time, "updated_at": row_time}
        for sid, rows, row_time in zip(
            screenings, score_sets, (r["completed_at"] for r in screening_rows), strict=True
        )
        for row in rows
    ]
    insert_rows(DomainScore, scores)
    return {"strengths checks": len(screenings), "life-area scores": len(scores)}


def seed_used(seed: int) -> bool:
    """Whether a region with this seed was written here already (its accounts exist)."""
    found = db.session.scalar(
        select(func.count()).select_from(User).where(User.email.like(f"synth-{seed}-%"))
    )
    return bool(found)


def synthesize(
    households: int,
    seed: int,
    *,
    progress: Any = None,
    only: list[str] | None = None,
    home_team: Team | None = None,
) -> dict[str, int]:
    """Write the region; commits per chunk of households. ``progress(done)`` after each.
    ``only`` and ``home_team``: see ``region.build_region`` (the demo uses them)."""
    if households < 1:
        raise SynthRefused("ask for at least one household")
    if seed_used(seed):
        raise SynthRefused(f"a synthetic region with seed {seed} is already here; pick another")
    password_hash = hash_password(secrets.token_urlsafe(32))  # nobody knows it
    region = build_region(households, seed, password_hash, only=only, home_team=home_team)
    db.session.commit()
    totals: dict[str, int] = {}
    today = local_today()
    for numbers in chunks(households, CHUNK):
        for key, value in write_households(region, numbers, seed, password_hash, today).items():
            totals[key] = totals.get(key, 0) + value
        db.session.commit()
        if progress is not None:
            progress(numbers.stop)
    # fresh statistics, so the planner knows the tables are big now (autovacuum would only
    # get to it later, and until then picks sequential scans)
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    totals["professionals"] = sum(len(v) for v in region.professionals.values())
    totals["organisations"] = len(region.organisations)
    return totals


@click.command("synth")
@click.option("--households", type=click.IntRange(1, 2_000_000), required=True)
@click.option(
    "--seed", type=int, default=1, show_default=True, help="The same seed, the same region."
)
def synth_command(households: int, seed: int) -> None:
    """Write a synthetic region of this many households (for benchmarks and the monitor)."""
    if current_app.config["SAMENPLAN_ENV"] == "production":
        raise click.ClickException(
            "synthetic data is not for production (SAMENPLAN_ENV=production)"
        )
    started = time.perf_counter()

    def report(done: int) -> None:
        click.echo(f"  {done} of {households} households ({time.perf_counter() - started:.0f} s)")

    try:
        totals = synthesize(households, seed, progress=report)
    except SynthRefused as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"Synthetic region (seed {seed}) in {time.perf_counter() - started:.1f} s:")
    for name, count in totals.items():
        click.echo(f"  {count:>9} {name}")
