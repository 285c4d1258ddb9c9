"""Benchmark: do plan pages stay as fast when the region grows? 100 against 15 000 households.

For each size, a fresh PostgreSQL database gets the migrations and ``flask synth`` (timed),
then a separate process times, in-process with the test client, the plan overview (as the
coordinator, audit-logged, and as the parent), a goal page and My plans, each against
``/health`` measured in the same process; the scale ratio of a page is
(page / health at the large size) / (page / health at the small size), so a busier machine
in one of the runs does not count as slowness. My plans lists every plan of the person, and
a coordinator has more plans in a bigger region, so it is also judged per plan listed. At
the large size every SELECT of those pages is EXPLAINed and any sequential scan of a table
over 10 000 rows is printed. Exit status 1 when a ratio is over 1.2 or there is such a scan.

    .venv/bin/python bench/scale.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
        [--sizes 100,15000] [--requests 60]

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
from sqlalchemy import event, func, select, text

from samenplan import create_app
from samenplan.accounts.models import User
from samenplan.extensions import db
from samenplan.plans.models import Goal, Participation, Person, Plan, PlanStatus

PAGES = ("overview, coordinator", "overview, parent", "goal page", "My plans")
BIG_TABLE = 10_000
SHOWN = int(os.environ.get("SCALE_SHOW_SQL", "90"))


def measure(requests: int, explain: bool) -> dict[str, object]:
    """In this process: the pages of one typical plan of the region, and their query plans."""
    app = create_app({"WTF_CSRF_ENABLED": False, "TOTP_REQUIRED": False})
    with app.app_context():
        open_plans = select(Plan.id).where(Plan.status == PlanStatus.OPEN).order_by(Plan.id)
        count = db.session.scalar(select(func.count()).select_from(open_plans.subquery())) or 0
        plan = db.session.get(Plan, db.session.scalars(open_plans.offset(count // 2)).first())
        assert plan is not None
        coordinator = db.session.scalar(
            select(Participation.user_id).where(
                Participation.plan_id == plan.id, Participation.is_coordinator
            )
        )
        parent = db.session.scalar(
            select(Person.user_id).where(Person.plan_id == plan.id, Person.user_id.is_not(None))
        )
        goal = db.session.scalar(select(Goal.id).where(Goal.plan_id == plan.id).limit(1))
        tokens = {
            who: start_session(db.session.get(User, uid))  # type: ignore[arg-type]
            for who, uid in (("coordinator", coordinator), ("parent", parent))
        }
        caseload = db.session.scalar(
            select(func.count()).where(
                Participation.user_id == coordinator, Participation.removed_at.is_(None)
            )
        )
        base = f"/plans/{plan.public_id}/"
        pages = {
            "overview, coordinator": ("coordinator", base),
            "overview, parent": ("parent", base),
            "goal page": ("coordinator", f"{base}goals/{goal}"),
            "My plans": ("coordinator", "/plans/"),
        }
        engine = db.engine
        database_mb = (
            db.session.scalar(text("SELECT pg_database_size(current_database())")) or 0
        ) / 1e6
    clients = {who: client_with(app, token) for who, token in tokens.items()}

    def timed(who: str, url: str) -> float:
        client = clients[who]
        for _ in range(5):
            client.get(url)
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(times)

    result: dict[str, object] = {
        "health": timed("coordinator", "/health"),
        "database MB": database_mb,
        "plans in My plans": caseload,
    }
    for name, (who, url) in pages.items():
        result[name] = timed(who, url)
    result["health after"] = timed("coordinator", "/health")
    if explain:
        statements: list[tuple[str, object]] = []

        def keep(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", keep)
        for who, url in pages.values():
            clients[who].get(url)
        event.remove(engine, "before_cursor_execute", keep)
        scans = set()
        with engine.connect() as conn:
            sizes = {
                name: rows
                for name, rows in conn.execute(
                    text("SELECT relname, n_live_tup FROM pg_stat_user_tables")
                )
            }
            raw = conn.connection.dbapi_connection
            assert raw is not None
            with raw.cursor() as cursor:
                for statement, parameters in statements:
                    cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
                    for node in _nodes(cursor.fetchone()[0][0]["Plan"]):
                        table = node.get("Relation Name")
                        if node["Node Type"] == "Seq Scan" and sizes.get(table, 0) > BIG_TABLE:
                            scans.add(f"{table} ({sizes[table]} rows): {statement[:SHOWN]}")
        result["statements"] = len(statements)
        result["seq scans"] = sorted(scans)
    return result


def _nodes(node: dict[str, object]) -> list[dict[str, object]]:
    children = node.get("Plans") or []
    return [node, *(n for child in children for n in _nodes(child))]  # type: ignore[union-attr, arg-type]


def run_size(
    households: int, base: str, directory: Path, args: argparse.Namespace
) -> dict[str, Any]:
    with synthetic_region(base, directory, households, "scale") as (env, synth_seconds):
        result = measure_in(env, __file__, "--measure", str(args.requests), "--explain")
    result["synth seconds"] = synth_seconds
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TEST_DATABASE_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--sizes", default="100,15000")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--explain", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.explain)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for households in sizes:
            print(f"  {households} households …", flush=True)
            results[households] = run_size(households, args.database_url, Path(tmp), args)
    small, large = results[sizes[0]], results[sizes[-1]]
    print(f"\nPostgreSQL, in-process, median of {args.requests} requests per page")
    header = "".join(f"{n:>14}" for n in sizes)
    print(f"{'households':32}{header}   ratio (vs /health)")
    for label in ("synth seconds", "database MB", "plans in My plans", "health"):
        print(f"{label:32}" + "".join(f"{results[n][label]:14.1f}" for n in sizes))
    worst = 0.0
    for page in PAGES:
        ratio = (large[page] / large["health"]) / (small[page] / small["health"])
        if page != "My plans":  # it lists more plans in a bigger region: judged per plan below
            worst = max(worst, ratio)
        cells = "".join(f"{results[n][page]:11.1f} ms" for n in sizes)
        print(f"{page:32}{cells}   {ratio:.2f}")
    per_plan = (large["My plans"] / large["plans in My plans"] / large["health"]) / (
        small["My plans"] / small["plans in My plans"] / small["health"]
    )
    worst = max(worst, per_plan)
    print(f"{'My plans, per plan listed':32}{'':28}   {per_plan:.2f}")
    print(f"SELECTs per round of the four pages: {large['statements']}")
    scans = large["seq scans"]
    print("sequential scans of tables over 10 000 rows:", "none" if not scans else "")
    for scan in scans:
        print(f"  {scan}")
    return 0 if worst <= 1.2 and not scans else 1


if __name__ == "__main__":
    sys.exit(main())
