"""Benchmark: how long the plan summary PDF takes, for a small and a large plan.

Builds both plans in a fresh database (SQLite by default; --database-url for PostgreSQL),
renders each summary --runs times in-process through the real route (warm, as in a running
server) and prints the median time and the page count. Target: the large plan under 3 s.

    .venv/bin/python bench/summary_pdf.py [--runs 5] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from samenplan import create_app, migrate
from samenplan.accounts import services as account_services
from samenplan.accounts.auth import SESSION_KEY
from samenplan.accounts.models import Role
from samenplan.extensions import db
from tests.plans.factories import LARGE, grow_plan
from tests.scenario import build_plan, make_screening, new_user


def pages(pdf: bytes) -> int:
    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url)
        app = create_app(
            {
                "DATABASE_URL": url,
                "WTF_CSRF_ENABLED": False,
                "TOTP_REQUIRED": False,
                "ARGON2_TIME_COST": 1,
                "ARGON2_MEMORY_COST": 1024,
                "ARGON2_PARALLELISM": 1,
            }
        )
        urls = {}
        with app.app_context():
            pro = new_user("bench-regie@example.test", Role.PROFESSIONAL)
            db.session.flush()
            for size in ("small", "large"):
                client = new_user(f"bench-{size}@example.test", Role.CLIENT)
                network = new_user(f"bench-oma-{size}@example.test", Role.NETWORK)
                db.session.flush()
                objs = build_plan(f"Plan ({size})", client, pro, network=network)
                if size == "large":
                    grow_plan(objs.plan, list(objs.participations.values()), client.id, **LARGE)
                    for days in (120, 60):
                        make_screening(
                            objs.plan,
                            objs.persons["parent"],
                            pro,
                            days_ago=days,
                            values=(3, 40, 20, 40),
                        )
                urls[size] = f"/plans/{objs.plan.public_id}/summary.pdf"
            _session, token = account_services.start_session(
                pro, ip="127.0.0.1", user_agent="bench"
            )
            db.session.commit()
        client = app.test_client()
        with client.session_transaction() as flask_session:
            flask_session[SESSION_KEY] = token
        client.get(urls["small"])  # warm up: WeasyPrint import, fonts, templates
        for size, path in urls.items():
            times, pdf = [], b""
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - start)
                assert response.status_code == 200, response.status_code
                pdf = response.data
            detail = (
                ", ".join(f"{v} {k}" for k, v in LARGE.items())
                if size == "large"
                else "2 goals, 2 actions, 3 screenings"
            )
            print(
                f"summary PDF, {size} plan ({detail}): median {statistics.median(times):.2f} s "
                f"over {args.runs} runs, {pages(pdf)} pages, {len(pdf) // 1024} KiB"
            )
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
