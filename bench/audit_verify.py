"""Benchmark: how long `flask audit verify` takes to walk the hash chain.

Fills a fresh database with a valid chain of N synthetic audit events (page views, changes
and logins over a year, details like the app's), then times, in one run:
- the baseline: streaming the same columns of every row without checking anything;
- verify: the same stream with each event's canonical JSON hashed and its link checked.
It prints both, the ratio, and the time per event. PostgreSQL with --database-url pointing
at an EMPTY database (it is migrated here); SQLite in a temporary file otherwise.

    .venv/bin/python bench/audit_verify.py [--events 200000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time

from _setup import fresh_app  # first: puts the repository on sys.path
from sqlalchemy import insert, select

from samenplan.audit import chain
from samenplan.audit.models import AuditEvent
from samenplan.extensions import db

ACTIONS = [
    ("plan.viewed", {"page": "plans.overview"}),
    ("plan.viewed", {"page": "plans.goal"}),
    ("plan.listed", {"page": "plans.index"}),
    ("goal.changed", {"title": ["Oud doel", "Nieuw doel"]}),
    ("progress.added", {}),
    ("login.succeeded", {}),
    ("login.failed", {"email": "iemand@example.test", "reason": "credentials"}),
]
BATCH = 20_000


def rows(count: int, seed: int = 7513) -> list[dict[str, object]]:
    rng = random.Random(seed)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    prev = chain.GENESIS
    result = []
    for n in range(count):
        action, details = ACTIONS[rng.randrange(len(ACTIONS))]
        fields: dict[str, object] = {
            "created_at": start + dt.timedelta(seconds=n * 30, microseconds=rng.randrange(10**6)),
            "actor_id": None,
            "plan_id": None,
            "action": action,
            "object_type": "Goal" if action == "goal.changed" else None,
            "object_id": str(rng.randrange(1, 10**6)) if action == "goal.changed" else None,
            "ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}",
            "details": chain.normalised_details(details),
        }
        digest = chain.content_hash(prev, fields)
        result.append({**fields, "prev_hash": prev, "hash": digest})
        prev = digest
    return result


def fill(count: int) -> float:
    started = time.perf_counter()
    data = rows(count)
    for offset in range(0, count, BATCH):
        db.session.execute(insert(AuditEvent), data[offset : offset + BATCH])
        db.session.commit()
    return time.perf_counter() - started


def scan() -> tuple[int, float]:
    """The baseline: the same rows and columns streamed, nothing checked."""
    columns = [getattr(AuditEvent, name) for name in chain.FIELDS]
    stmt = select(AuditEvent.id, AuditEvent.prev_hash, AuditEvent.hash, *columns).order_by(
        AuditEvent.id
    )
    started = time.perf_counter()
    result = db.session.execute(stmt, execution_options={"yield_per": 5000})
    count = sum(1 for _row in result)
    result.close()
    db.session.commit()
    return count, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--database-url", help="an EMPTY database; SQLite in a temp file if not")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        app = fresh_app(url)
        with app.app_context():
            filled = fill(args.events)
            scan()  # warm the cache: both timings below read from memory
            count, baseline = scan()
            started = time.perf_counter()
            verdict = chain.verify(db.session())
            checked = time.perf_counter() - started
            db.session.commit()
        assert verdict.broken is None and verdict.events == count == args.events, verdict
    print(
        json.dumps(
            {
                "database": url.split(":", 1)[0],
                "events": count,
                "fill_s": round(filled, 1),
                "baseline_scan_s": round(baseline, 2),
                "verify_s": round(checked, 2),
                "verify_to_scan_ratio": round(checked / baseline, 2),
                "verify_us_per_event": round(checked / count * 1e6, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
