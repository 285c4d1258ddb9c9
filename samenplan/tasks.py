"""The task queue (Huey): background work runs in worker processes, not in the web process.

``QUEUE_URL`` chooses where the queue lives: a SQLite file of its own beside the app's
database (development, one machine) or Redis (production, workers on other machines too).
The web process only enqueues; ``flask --app samenplan worker`` runs the consumer. Tasks
carry ids only and keep their state in the database, so running one twice does no harm.

What Huey does not do for us: a task is taken off the queue when a worker starts it, so a
worker that is killed (SIGKILL, out of memory, a machine lost) takes its task with it.
Huey's ``retries`` only cover a task that raises. Print runs therefore keep a heartbeat in
their row, and a periodic check here (and one when the worker starts) queues again the runs
whose heartbeat stopped (``reports.jobs.requeue_stale``). A worker that is merely stopped
(Ctrl+C, SIGTERM) hands its run back at once (Huey's "interrupted" signal).

This module sits above the features, like ``cli.py``: it wires their tasks to the queue.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Huey, Task
from huey.signals import SIGNAL_INTERRUPTED

from samenplan.audit import chain
from samenplan.clock import utcnow
from samenplan.config import ConfigError
from samenplan.core import once
from samenplan.extensions import db
from samenplan.monitoring import snapshots
from samenplan.reminders import send as reminders
from samenplan.reports import jobs

QUEUE_NAME = "samenplan"
#: seconds before a print run that raised is tried again
PRINT_RETRY_DELAY = 10
WORKER_TYPES = ("process", "thread")

log = logging.getLogger(__name__)

#: the app tasks run in when there is no app context (thread workers)
_worker_app: Flask | None = None


def queue(app: Flask | None = None) -> Huey:
    """The app's queue, made on first use from its configuration."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    huey = app.extensions.get("samenplan_queue")
    if huey is None:
        huey = app.extensions["samenplan_queue"] = make_huey(app.config)
    assert isinstance(huey, Huey)
    return huey


def make_huey(config: Mapping[str, Any]) -> Huey:
    """A Huey instance for QUEUE_URL with this app's tasks registered on it."""
    url = str(config["QUEUE_URL"])
    common: dict[str, Any] = {"name": QUEUE_NAME, "results": False, "utc": True}
    huey: Huey
    if config.get("QUEUE_IMMEDIATE"):
        # Tasks run inside enqueue(), in the caller's process (tests, `make dev`).
        huey = MemoryHuey(immediate=True, **common)
    elif url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(filename=str(path), **common)
    elif url.startswith(("redis://", "rediss://", "unix://")):
        huey = RedisHuey(url=url, **common)
    else:
        raise ConfigError(f"QUEUE_URL must be redis://… or sqlite:///path, got {url!r}")
    _register(huey, config)
    return huey


def _register(huey: Huey, config: Mapping[str, Any]) -> None:
    attempts = max(1, int(config["PRINT_JOBS_ATTEMPTS"]))
    huey.task(retries=attempts - 1, retry_delay=PRINT_RETRY_DELAY, name="print_run")(print_run)
    huey.task(name="requeue_stale_jobs")(requeue_stale_jobs)
    huey.periodic_task(crontab(minute="*"), name="requeue_stale_jobs_periodic")(requeue_stale_jobs)
    huey.periodic_task(crontab(minute="5", hour="0"), name="audit_anchor")(log_audit_anchor)
    huey.periodic_task(crontab(minute="*/10"), name="monitor_snapshots")(count_monitor)
    huey.periodic_task(crontab(minute="*/15"), name="reminders")(send_reminders)
    huey.periodic_task(crontab(minute="20", hour="3"), name="form_tokens")(forget_form_tokens)

    def interrupted(_signal: str, task: Task, *_args: Any) -> None:
        # The worker was stopped in the middle: hand the run back and queue it again.
        if task.name == "print_run":
            with _app().app_context():
                jobs.release(*task.args)
            huey.enqueue(task)

    huey.signal(SIGNAL_INTERRUPTED)(interrupted)


def _app() -> Flask:
    """The app a task runs in: the caller's (immediate mode; forked workers inherit the worker
    command's), the worker command's (thread workers), else one made once per process (a
    consumer started some other way)."""
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]
    if _worker_app is None:
        from samenplan import create_app

        _worker_app = create_app()
    return _worker_app


# --- tasks -----------------------------------------------------------------------------------


def print_run(public_id: str) -> None:
    """Render a team lead's print run (reports.jobs.run); raising makes Huey retry it."""
    jobs.run(_app(), public_id)


def requeue_stale_jobs() -> None:
    """Queue again the print runs whose worker was lost."""
    app = _app()
    with app.app_context():
        again = jobs.requeue_stale()
    huey = queue(app)
    for public_id in again:
        log.warning("print job %s lost its worker; queued again", public_id)
        huey.enqueue(_task(huey, "print_run", public_id))


def log_audit_anchor() -> None:
    """Once a day, the audit trail's latest event and hash in the worker's log: an anchor
    outside the database for `flask audit verify --anchor` (docs/security.md)."""
    with _app().app_context(), db.read_only():
        latest = chain.head(db.session())
    if latest is not None:
        log.info("audit anchor %d:%s", *latest)


def count_monitor() -> None:
    """Every ten minutes: the monitor's figures for the periods people look at most, so that
    a team lead or policy officer never waits for a region's year to be counted."""
    with _app().app_context():
        done = snapshots.refresh_current()
    log.info("monitor: %d snapshots counted", done)


def send_reminders() -> None:
    """Every quarter of an hour: find new reminders and mail what is due (reminders/send.py;
    never twice, also when two workers run it at once)."""
    found, mails = reminders.run(_app(), utcnow())
    log.info("reminders: %d new, %d mails", found, mails)


def forget_form_tokens() -> None:
    """Once a night: the one-time tokens of create forms sent more than 30 days ago
    (core/once.py); a form that old may be sent once more."""
    with _app().app_context():
        gone = once.forget_old(utcnow())
        db.commit()
    log.info("form tokens: %d forgotten", gone)


def enqueue_print_run(public_id: str) -> None:
    """Put a print run on the current app's queue."""
    huey = queue()
    huey.enqueue(_task(huey, "print_run", public_id))


def _task(huey: Huey, name: str, *args: Any) -> Task:
    task_class = huey._registry.string_to_task(f"{__name__}.{name}")
    task: Task = task_class(args=args)
    return task


# --- the worker ------------------------------------------------------------------------------


def run_worker(app: Flask, *, workers: int, worker_type: str) -> None:
    """Run a Huey consumer until stopped: Ctrl+C (SIGINT) finishes the tasks in hand first,
    SIGTERM stops at once and hands the print runs in hand back to the queue."""
    global _worker_app
    if worker_type not in WORKER_TYPES:
        raise ValueError(f"worker_type must be one of {WORKER_TYPES}")
    _worker_app = app
    huey = queue(app)
    if huey.immediate:
        raise ConfigError("QUEUE_IMMEDIATE runs tasks in the web process; there is no worker")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s %(name)s: %(message)s"))
    for name in ("huey", __name__):
        logging.getLogger(name).addHandler(handler)
        logging.getLogger(name).setLevel(logging.INFO)
    # Runs lost while no worker was running are picked up now, not a minute from now.
    huey.enqueue(_task(huey, "requeue_stale_jobs"))
    # Forked workers must not share database connections with this process.
    db.engine.dispose()
    consumer = huey.create_consumer(
        workers=workers,
        worker_type=worker_type,
        periodic=True,
        check_worker_health=True,
        health_check_interval=5,
    )
    consumer.run()
