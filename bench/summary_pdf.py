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
import tempfile
import time

from _setup import client_with, fresh_app, start_session  # first: puts the repository on sys.path

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
        app = fresh_app(url)
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
            token = start_session(pro)
        client = client_with(app, token)
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
