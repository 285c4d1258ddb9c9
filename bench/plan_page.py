"""Benchmark: server time of the plan overview for a large plan.

Builds a plan with 30 goals, 150 actions, 300 progress entries, 60 agenda items and 200 log
entries in a fresh database (SQLite by default; --database-url for PostgreSQL), then requests
the overview 50 times in-process and prints the median, the 95th percentile, the query count,
and the same for /health as a baseline measured in the same run.

    .venv/bin/python bench/plan_page.py [--requests 50] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from _setup import client_with, fresh_app, start_session  # first: puts the repository on sys.path
from sqlalchemy import event

from samenplan.accounts.models import Role
from samenplan.extensions import db
from tests.plans.factories import LARGE, grow_plan
from tests.scenario import build_plan, new_user


def timed(client, url: str, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        app = fresh_app(url)
        with app.app_context():
            client_user = new_user("bench-ouder@example.test", Role.CLIENT)
            pro = new_user("bench-regie@example.test", Role.PROFESSIONAL)
            network = new_user("bench-oma@example.test", Role.NETWORK)
            db.session.flush()
            objs = build_plan("Bench plan", client_user, pro, network=network)
            grow_plan(objs.plan, list(objs.participations.values()), client_user.id, **LARGE)
            token = start_session(pro)
            plan_url = f"/plans/{objs.plan.public_id}/"
        client = client_with(app, token)
        timed(client, plan_url, 5)  # warm up templates and connections
        timed(client, "/health", 5)
        queries: list[str] = []
        with app.app_context():
            engine = db.engine

        def _count(*event_args: object) -> None:
            queries.append(str(event_args[2]))

        event.listen(engine, "before_cursor_execute", _count)
        client.get(plan_url)
        query_count = len(queries)
        event.remove(engine, "before_cursor_execute", _count)
        overview = timed(client, plan_url, args.requests)
        health = timed(client, "/health", args.requests)
        kind = url.split(":", 1)[0]
        print(
            f"plan overview, large plan ({', '.join(f'{v} {k}' for k, v in LARGE.items())}), "
            f"{kind}, "
            f"{args.requests} requests as a professional (audit-logged):"
        )
        print(
            f"  median {statistics.median(overview):.1f} ms, "
            f"p95 {statistics.quantiles(overview, n=20)[-1]:.1f} ms, "
            f"{query_count} SQL queries per request"
        )
        print(
            f"  baseline /health median {statistics.median(health):.1f} ms "
            f"(overview = {statistics.median(overview) / statistics.median(health):.0f}× baseline)"
        )
        db.engine.dispose()


if __name__ == "__main__":
    main()
