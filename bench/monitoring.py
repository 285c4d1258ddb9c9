"""Benchmark: the monitor at the size of a region. 1 000 against 15 000 households.

For each size, a fresh PostgreSQL database gets the migrations and ``flask synth`` (all of
Fryslân's municipalities), a policy officer who may monitor all of them and a team lead of
the largest synthetic team. A separate process then times, in-process with the test client,
the monitor (this year, with the year before beside it) for the whole region, for the
largest municipality over a year and over a quarter, and for the team, each against
``/health`` measured in the same process. It prints the times, their ratio to ``/health``,
and the growth from the small to the large size as a ratio of those ratios (so a busier
machine in one run does not count as slowness), with the SQL statements per page.
Each page is timed twice: counted on every view (``MONITOR_CACHE_SECONDS=0``) and read from
the snapshot that the worker keeps fresh (monitoring/snapshots.py). Exit status 1 when a
page from its snapshot takes a second or more at the large size (the issue's target).

    .venv/bin/python bench/monitoring.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
        [--sizes 1000,15000] [--requests 15]

The databases are made on that server and dropped at the end. Loopback only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _setup import (  # the script's folder is on the path
    client_with,
    measure_in,
    start_session,
    synthetic_region,
)
from sqlalchemy import event, func, select

from samenplan import create_app
from samenplan.accounts.models import Role, Team, User
from samenplan.accounts.monitored import set_monitored
from samenplan.accounts.services import create_user
from samenplan.clock import local_today
from samenplan.extensions import db
from samenplan.plans.models import Plan

PAGES = ("region, year", "municipality, year", "municipality, quarter", "team, year")
TARGET_MS = 1000.0


def measure(requests: int) -> dict[str, object]:
    """In this process: the monitor pages as the officer and the team lead."""
    app = create_app({"WTF_CSRF_ENABLED": False, "TOTP_REQUIRED": False})
    today = local_today()
    with app.app_context():
        codes = list(
            db.session.scalars(
                select(Plan.municipality_code)
                .where(Plan.municipality_code.is_not(None))
                .group_by(Plan.municipality_code)
                .order_by(func.count().desc())
            )
        )
        team_id, team_size = db.session.execute(
            select(User.team_id, func.count())
            .where(User.team_id.is_not(None))
            .group_by(User.team_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        team = db.session.get(Team, team_id)
        officer = create_user(
            None,
            email="bench-beleid@bench.test",
            name="Beleid",
            role=Role.POLICY,
            password="bench-wachtwoord-beleid",  # nosec B106  # a throw-away db
        )
        lead = create_user(
            None,
            email="bench-lead@bench.test",
            name="Leider",
            role=Role.TEAM_LEAD,
            password="bench-wachtwoord-leider",  # nosec B106
            organisation=team.organisation if team else None,
            team=team,
        )
        set_monitored(None, officer, [c for c in codes if c])
        db.session.commit()
        tokens = {"officer": start_session(officer), "lead": start_session(lead)}
        plans = db.session.scalar(select(func.count(Plan.id))) or 0
        engine = db.engine
    clients = {who: client_with(app, token) for who, token in tokens.items()}
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    pages = {
        "region, year": ("officer", f"/monitoring/?scope=all&period={today.year}"),
        "municipality, year": ("officer", f"/monitoring/?scope={codes[0]}&period={today.year}"),
        "municipality, quarter": ("officer", f"/monitoring/?scope={codes[0]}&period={quarter}"),
        "team, year": ("lead", f"/monitoring/?period={today.year}"),
    }

    def timed(who: str, url: str) -> float:
        client = clients[who]
        for _ in range(2):
            client.get(url)
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(times)

    result: dict[str, object] = {
        "plans": plans,
        "team members": team_size,
        "health": timed("officer", "/health"),
    }
    statements: list[str] = []

    def keep(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    for name, (who, url) in pages.items():
        # counted on every view (no snapshot), then read from the snapshot the first view kept
        app.config["MONITOR_CACHE_SECONDS"] = 0
        result[f"{name} counted"] = timed(who, url)
        statements.clear()
        event.listen(engine, "before_cursor_execute", keep)
        page = clients[who].get(url).get_data(as_text=True)
        event.remove(engine, "before_cursor_execute", keep)
        result[f"{name} statements"] = len(statements)
        result[f"{name} hidden cells"] = page.count('<span aria-hidden="true">&lt; ')
        app.config["MONITOR_CACHE_SECONDS"] = 600
        result[name] = timed(who, url)
    result["health after"] = timed("officer", "/health")
    return result


def run_size(households: int, base: str, directory: Path, requests: int) -> dict[str, Any]:
    with synthetic_region(base, directory, households, "monitor") as (env, synth_seconds):
        result = measure_in(env, __file__, "--measure", str(requests))
    result["synth seconds"] = synth_seconds
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TEST_DATABASE_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--sizes", default="1000,15000")
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for households in sizes:
            print(f"  {households} households …", flush=True)
            results[households] = run_size(households, args.database_url, Path(tmp), args.requests)
    small, large = results[sizes[0]], results[sizes[-1]]
    print(f"\nPostgreSQL, in-process, median of {args.requests} requests per page")
    print(f"{'households':26}" + "".join(f"{n:>22}" for n in sizes) + "   growth")
    for label in ("synth seconds", "plans", "team members", "health"):
        print(f"{label:26}" + "".join(f"{results[n][label]:22.1f}" for n in sizes))
    slowest = {"counted": 0.0, "snapshot": 0.0}
    for how, suffix in (("counted", " counted"), ("snapshot", "")):
        print(
            f"\nthe monitor, {how} on each view"
            if how == "counted"
            else "\nthe monitor, from the snapshot"
        )
        for page in PAGES:
            key = f"{page}{suffix}"
            growth = (large[key] / large["health"]) / (small[key] / small["health"])
            slowest[how] = max(slowest[how], large[key])
            cells = "".join(
                f"{results[n][key]:8.0f} ms ({results[n][key] / results[n]['health']:5.0f}×)"
                for n in sizes
            )
            print(f"{page:26}{cells}   {growth:.2f}")
    print("(× = times /health in the same run; growth = the large size's × over the small one's)")
    for page in PAGES:
        print(
            f"{page}: {large[f'{page} statements']} SQL statements when counted, "
            f"{large[f'{page} hidden cells']} hidden cells at {sizes[-1]} households"
        )
    for how, ms in slowest.items():
        print(
            f"slowest page at {sizes[-1]} households, {how}: {ms:.0f} ms "
            f"(target < {TARGET_MS:.0f} ms)"
        )
    slowest_shown = slowest["snapshot"]
    return 0 if slowest_shown < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
